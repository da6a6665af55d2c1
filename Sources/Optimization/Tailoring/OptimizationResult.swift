public import Foundation
public import ResumeParsing

/// What ``ResumeOptimizer/optimize(_:logger:progress:)`` produced.
public struct OptimizationResult: Sendable, Hashable, Codable {
    /// The tailored resume text: for ``OutputFormat/docx``, the text the document holds, read back.
    public var text: String
    /// How well the original resume matched the job description.
    public var matchBefore: MatchReport
    /// How well the tailored resume matches the job description.
    public var matchAfter: MatchReport
    /// Claims in the tailored text that the original does not support (after any repair).
    public var warnings: [FabricationWarning]
    /// Tokens consumed by every model call; zero when no model was used.
    public var usage: TokenUsage
    /// Whether an AI model wrote the text. `false` means the deterministic offline tailor did.
    public var usedAI: Bool
    /// The name of what tailored the resume, such as `OpenAI` or `offline tailor`.
    public var providerName: String
    /// The model that answered, when one did.
    public var model: String?
    /// A one-line summary for people: what tailored the resume (whether an AI model was used), what
    /// changed, and why the match score moved or did not.
    public var summary: String
    /// What the offline tailor changed, one sentence each (reordered bullets and skills, the added
    /// summary line); empty when a model rewrote the text.
    public var changes: [String]
    /// The format of ``contents``.
    public var format: OutputFormat
    /// The result file's bytes in ``format``: the text in UTF-8 (``OutputFormat/text``,
    /// ``OutputFormat/markdown``) or the Word document (``OutputFormat/docx``). What the file is called
    /// is the caller's to say (a job kind names it after the job).
    public var contents: Data
    /// For ``OutputFormat/docx`` output: what the document editor changed and the changes it refused
    /// (the original paragraph stays where a change could not be placed safely). `nil` otherwise.
    public var documentEdits: DocxEditReport?
    /// What personal data was replaced with placeholders before the model call: counts by kind, never
    /// the values. ``RedactionSummary/disabled`` when nothing was redacted.
    public var redaction: RedactionSummary

    /// Creates a result.
    public init(
        text: String,
        matchBefore: MatchReport,
        matchAfter: MatchReport,
        warnings: [FabricationWarning],
        usage: TokenUsage,
        usedAI: Bool,
        providerName: String,
        model: String?,
        summary: String,
        format: OutputFormat,
        contents: Data,
        changes: [String] = [],
        redaction: RedactionSummary = .disabled,
        documentEdits: DocxEditReport? = nil
    ) {
        self.documentEdits = documentEdits
        self.text = text
        self.matchBefore = matchBefore
        self.matchAfter = matchAfter
        self.warnings = warnings
        self.usage = usage
        self.usedAI = usedAI
        self.providerName = providerName
        self.model = model
        self.summary = summary
        self.format = format
        self.contents = contents
        self.changes = changes
        self.redaction = redaction
    }
}
