public import CoreMetrics
import Metrics
public import Foundation
public import Optimization
public import ResumeParsing
import Tracing

/// Resume optimization as a job kind: the original Lambda design's job, on the generic job center.
///
/// The input is the uploaded resume file (with an optional file-name hint), the job description
/// and the caller's options. A job reports the stages `Extracting resume text`,
/// `Tailoring with <provider>`, `Checking facts` (and `Removing unsupported claims with <provider>`
/// when repairing) and `Writing result`. When it completes, its report carries the output file
/// (`optimized_resume_<first 8 characters of the job id>.<fileType>`; for a `.docx` resume, by default, the user's own document edited in place) and
/// ``Details``: the match scores before and after, the matched and missing keywords, and the
/// fabrication warnings.
///
/// Failures carry stable codes: a resume that cannot be read fails with its `ResumeParsingError`
/// code (`unsupportedFormat`, `limitExceeded`, `encryptedDocument`, `noText`, …), the pipeline's
/// refusals with their `OptimizationError` code (`invalidInput`, `unsupportedClaims`,
/// `truncatedOutput`, …) and provider failures with `provider` followed by the provider error's kind
/// (`providerRateLimited`, `providerAuthentication`, …). Retryable provider failures are retried by
/// the job center.
///
/// ```swift
/// let center = try JobCenter(kind: ResumeOptimizationJob(optimizer: ResumeOptimizer(provider: nil)))
/// let submitted = try await center.submit(
///     .init(resume: uploadedBytes, fileName: "resume.docx", jobDescription: posting),
///     userID: user
/// )
/// ```
public struct ResumeOptimizationJob: JobKind {
    /// `resume-optimization`.
    public static let identifier = "resume-optimization"

    /// One optimization to run.
    public struct Input: Codable, Sendable, Hashable {
        /// The uploaded resume file's bytes (`.docx` or plain text).
        public var resume: Data
        /// The uploaded file's name, a hint for format detection (the content decides).
        public var fileName: String?
        /// The job description's text.
        public var jobDescription: String
        /// The caller's choices: fact-check policy, output format, model, personal-data redaction.
        public var options: OptimizationRequest.Options

        /// Creates an input.
        public init(
            resume: Data,
            fileName: String? = nil,
            jobDescription: String,
            options: OptimizationRequest.Options = .init()
        ) {
            self.resume = resume
            self.fileName = fileName
            self.jobDescription = jobDescription
            self.options = options
        }
    }

    /// What a completed optimization adds to its status report.
    public struct Details: Codable, Sendable, Hashable {
        /// The original resume's match score, 0 to 100.
        public var matchBefore: Int
        /// The optimized resume's match score, 0 to 100.
        public var matchAfter: Int
        /// The job description's keywords the optimized resume contains.
        public var matched: [String]
        /// The job description's keywords the optimized resume still lacks.
        public var missing: [String]
        /// Claims in the optimized resume that the original does not support.
        public var warnings: [FabricationWarning]
        /// Whether an AI model wrote the text (`false`: the deterministic offline tailor did).
        public var usedAI: Bool
        /// What tailored the resume, such as `OpenAI` or `offline tailor`.
        public var providerName: String
        /// The model that answered, when one did.
        public var model: String?
        /// Tokens consumed.
        public var usage: TokenUsage
        /// A one-line summary for people.
        public var summary: String
        /// For `docx` output: what the document editor changed and the changes it refused, with reasons.
        public var documentEdits: DocxEditReport?
        /// What personal data was replaced with placeholders before the model call (counts by kind,
        /// never the values); `nil` in details stored before redaction existed.
        public var redaction: RedactionSummary?

        /// Creates details.
        public init(
            matchBefore: Int,
            matchAfter: Int,
            matched: [String],
            missing: [String],
            warnings: [FabricationWarning],
            usedAI: Bool,
            providerName: String,
            model: String?,
            usage: TokenUsage,
            summary: String,
            redaction: RedactionSummary? = nil,
            documentEdits: DocxEditReport? = nil
        ) {
            self.documentEdits = documentEdits
            self.matchBefore = matchBefore
            self.matchAfter = matchAfter
            self.matched = matched
            self.missing = missing
            self.warnings = warnings
            self.usedAI = usedAI
            self.providerName = providerName
            self.model = model
            self.usage = usage
            self.summary = summary
            self.redaction = redaction
        }
    }

    /// What the result file is called before the job's id: `optimized_resume_<id8>.<file type>`.
    public static let fileStem = "optimized_resume"

    /// The first stage's message.
    public static let extractingStage = "Extracting resume text"

    /// Tailors the resume.
    public let optimizer: ResumeOptimizer
    /// Reads the uploaded file.
    public let parser: ResumeParser
    /// A fixed wait at the start of the `Tailoring with <provider>` stage, so that a demonstration
    /// can watch a job in `PROCESSING` even with an instant provider. Default: `.zero` (no wait).
    /// The wait ends early when the job is cancelled or times out.
    public let tailoringDelay: Duration

    /// Creates the job kind.
    ///
    /// - Parameters:
    ///   - optimizer: The pipeline; its provider (or the offline tailor) names the tailoring stage.
    ///   - parser: Reads uploaded files, with its limits. Default: `ResumeParser.init(configuration:)` defaults.
    ///   - tailoringDelay: A fixed wait when tailoring starts, for demonstrations. Default: `.zero`.
    ///   - metricsFactory: Where the parse time is recorded (``JobMetricsLabel/parseDuration``). Default: the
    ///     factory bootstrapped with `MetricsSystem`.
    public init(
        optimizer: ResumeOptimizer,
        parser: ResumeParser = ResumeParser(),
        tailoringDelay: Duration = .zero,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.optimizer = optimizer
        self.parser = parser
        self.tailoringDelay = tailoringDelay
        self.metricsFactory = metricsFactory
    }

    private let metricsFactory: any MetricsFactory

    private func recordParse(format: String, outcome: String, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        Timer(
            label: JobMetricsLabel.parseDuration,
            dimensions: [("format", format), ("outcome", outcome)],
            factory: metricsFactory
        ).record(duration: elapsed)
    }

    /// `Resume optimization job submitted`, as in the original Lambda design.
    public var submittedMessage: String { "Resume optimization job submitted" }
    /// `Resume optimization complete`, as in the original Lambda design.
    public var completedMessage: String { "Resume optimization complete" }
    /// `Resume optimization cancelled`.
    public var cancelledMessage: String { "Resume optimization cancelled" }

    /// Parses the resume, runs the pipeline, and returns the output file with the scores and warnings.
    public func run(_ input: Input, context: JobContext) async throws -> JobOutput<Details> {
        await context.reportStage(Self.extractingStage)
        let started = ContinuousClock.now
        let document: ResumeDocument = try withSpan("resume.parse") { span in
            span.attributes["resume.bytes"] = input.resume.count
            do {
                let document = try parser.parse(input.resume, fileNameHint: input.fileName)
                recordParse(format: document.format.identifier, outcome: "succeeded", since: started)
                span.attributes["resume.format"] = document.format.identifier
                return document
            } catch let error as ResumeParsingError {
                recordParse(format: "unknown", outcome: error.code.identifier, since: started)
                throw error
            }
        }
        let request = OptimizationRequest(
            resume: document,
            jobDescription: input.jobDescription,
            options: input.options,
            originalDocument: input.resume
        )
        let result = try await optimizer.optimize(request, logger: context.logger) { [tailoringDelay] stage in
            await context.reportStage(stage.message)
            if case .tailoring = stage, tailoringDelay > .zero {
                // Cancellation ends the wait early; the optimizer then stops.
                try? await Task.sleep(for: tailoringDelay)
            }
        }
        return JobOutput(
            artifact: JobArtifact(result, named: Self.fileStem, jobID: context.jobID),
            details: Details(
                matchBefore: result.matchBefore.score,
                matchAfter: result.matchAfter.score,
                matched: result.matchAfter.matched,
                missing: result.matchAfter.missing,
                warnings: result.warnings,
                usedAI: result.usedAI,
                providerName: result.providerName,
                model: result.model,
                usage: result.usage,
                summary: result.summary,
                redaction: result.redaction,
                documentEdits: result.documentEdits
            )
        )
    }

    /// Maps parsing, pipeline and provider errors to failures with stable codes and actionable messages
    /// (``JobFailure/mapping(_:)``).
    public func failure(for error: any Error) -> JobFailure {
        switch JobFailure.mapping(error) {
        case let failure?:
            return failure
        default:
            return JobFailure(
                code: .internalError,
                message:
                    "The resume could not be optimized because of an internal error. Try again; if it keeps failing, report it to the service operator."
            )
        }
    }
}
