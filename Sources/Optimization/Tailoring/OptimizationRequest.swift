public import ResumeParsing

/// One resume to tailor to one job description.
public struct OptimizationRequest: Sendable {
    /// Choices the caller makes for one optimization; safe to store as a job's input.
    public struct Options: Sendable, Hashable, Codable {
        /// What happens when the tailored text makes claims the resume does not support. Default ``FactCheckPolicy/warn``.
        public var factCheck: FactCheckPolicy
        /// The format of the output file. Default ``OutputFormat/text``.
        public var outputFormat: OutputFormat
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
            outputFormat: OutputFormat = .text,
            model: String? = nil,
            redactPersonalData: Bool? = nil
        ) {
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
    /// The job's id; its first 8 characters name the output file (`optimized_resume_<id>.txt`).
    public var jobID: String
    /// The caller's choices.
    public var options: Options

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - resume: The parsed resume.
    ///   - jobDescription: The job description's text.
    ///   - jobID: The job's id, used for the download file name. Default: a new random UUID.
    ///   - options: The caller's choices.
    public init(resume: ResumeDocument, jobDescription: String, jobID: String? = nil, options: Options = Options()) {
        self.resume = resume
        self.jobDescription = jobDescription
        self.jobID = jobID ?? ResumeOptimizer.makeJobID()
        self.options = options
    }
}
