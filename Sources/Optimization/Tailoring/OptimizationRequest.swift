public import Foundation
public import ResumeParsing

/// One resume to tailor to one job description.
public struct OptimizationRequest: Sendable {
    /// Choices the caller makes for one optimization; safe to store as a job's input.
    public struct Options: Sendable, Hashable, Codable {
        /// What happens when the tailored text makes claims the resume does not support. Default ``FactCheckPolicy/warn``.
        public var factCheck: FactCheckPolicy
        /// The format of the output file; `nil` (the default) means ``OutputFormat/docx`` for a Word
        /// resume given with its ``OptimizationRequest/originalDocument``, ``OutputFormat/text`` otherwise.
        public var outputFormat: OutputFormat?
        /// For ``OutputFormat/docx``: write the edits as tracked changes (`w:ins`/`w:del`) that the user
        /// accepts or rejects in a word processor. `nil` (the default) or `false`: clean edits.
        public var trackChanges: Bool?
        /// The revision author of tracked changes; `nil` (the default) means `Resume Optimizer`.
        public var revisionAuthor: String?
        /// The model to ask; `nil` takes the provider's default. Ignored by the offline tailor.
        public var model: String?
        /// Whether the resume's name, e-mail addresses, phone numbers, street address, postcode and links
        /// are replaced with placeholders before the model sees them, and put back after. `nil` (the
        /// default) redacts for providers whose ``AIProvider/sendsDataOffDevice`` is `true` (the HTTP
        /// providers) and not for the stub; the offline tailor sends nothing anywhere.
        public var redactPersonalData: Bool?

        /// Creates options; every argument has the documented default.
        public init(
            factCheck: FactCheckPolicy = .warn,
            outputFormat: OutputFormat? = nil,
            model: String? = nil,
            redactPersonalData: Bool? = nil,
            trackChanges: Bool? = nil,
            revisionAuthor: String? = nil
        ) {
            self.trackChanges = trackChanges
            self.revisionAuthor = revisionAuthor
            self.factCheck = factCheck
            self.outputFormat = outputFormat
            self.model = model
            self.redactPersonalData = redactPersonalData
        }
    }

    /// The parsed resume: the only source of facts.
    public var resume: ResumeDocument
    /// The job description's text.
    public var jobDescription: String
    /// The caller's choices.
    public var options: Options
    /// The uploaded file's bytes, which a Word resume needs for ``OutputFormat/docx`` output (the
    /// document is edited in place); `nil` when only the text is at hand.
    public var originalDocument: Data?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - resume: The parsed resume.
    ///   - jobDescription: The job description's text.
    ///   - options: The caller's choices.
    ///   - originalDocument: The uploaded file's bytes, for ``OutputFormat/docx`` output of a Word resume.
    public init(
        resume: ResumeDocument,
        jobDescription: String,
        options: Options = Options(),
        originalDocument: Data? = nil
    ) {
        self.originalDocument = originalDocument
        self.resume = resume
        self.jobDescription = jobDescription
        self.options = options
    }
}
