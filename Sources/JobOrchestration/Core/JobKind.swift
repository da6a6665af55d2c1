public import Foundation
public import Logging

/// One kind of work the job center runs, such as resume optimization.
///
/// A kind says what its input and its extra result fields are, what its status messages say, and
/// how to do the work. The center handles everything else: queuing, limits, timeouts, retries,
/// cancellation, storage, links and updates.
///
/// ```swift
/// struct Thumbnail: JobKind {
///     static let identifier = "thumbnail"
///     var submittedMessage: String { "Thumbnail job submitted" }
///
///     func run(_ input: URL, context: JobContext) async throws -> JobOutput<NoJobDetails> {
///         await context.reportStage("Rendering")
///         let png = try await render(input)
///         return JobOutput(artifact: JobArtifact(
///             data: png, fileType: "png", contentType: "image/png", downloadFilename: "thumbnail.png"))
///     }
/// }
/// ```
public protocol JobKind: Sendable {
    /// What a job of this kind works on. The store keeps it as ``encodeInput(_:)`` writes it (JSON
    /// unless the kind says otherwise).
    associatedtype Input: Codable & Sendable
    /// Extra fields of a completed job's status report (for example match scores).
    associatedtype Details: Codable & Sendable & Hashable = NoJobDetails

    /// A stable name for the kind, stored with every job, such as `resume-optimization`.
    static var identifier: String { get }

    /// The message of the first `PROCESSING` report, such as `Resume optimization job submitted`.
    var submittedMessage: String { get }
    /// The message of a `COMPLETED` report, unless the output gives its own.
    var completedMessage: String { get }
    /// The message of a `CANCELLED` report.
    var cancelledMessage: String { get }
    /// Whether a job interrupted by a crash or restart may run again from its stored input.
    var canResumeAfterInterruption: Bool { get }

    /// Does the work of one attempt.
    ///
    /// Report each stage with ``JobContext/reportStage(_:)``. Honour task cancellation: the center
    /// cancels the attempt when the job is cancelled, times out or the service shuts down, and waits
    /// for this method to return before it releases the worker.
    ///
    /// - Throws: A ``JobFailure`` with a stable code and an actionable message; other errors are
    ///   mapped by ``failure(for:)``.
    func run(_ input: Input, context: JobContext) async throws -> JobOutput<Details>

    /// The bytes the store keeps for an input. The default is JSON with sorted keys; a kind whose input
    /// carries a file overrides this and ``decodeInput(_:)`` to store the file's bytes as they are
    /// rather than as base64 inside JSON (a third larger, and built through intermediate copies).
    static func encodeInput(_ input: Input) throws -> Data

    /// The input from bytes ``encodeInput(_:)`` wrote (possibly by an earlier version of the kind).
    static func decodeInput(_ data: Data) throws -> Input

    /// Turns an error thrown by ``run(_:context:)`` into a failure. The default passes a
    /// ``JobFailure`` through, gives the library's parsing, optimization and provider errors their
    /// codes (``JobFailure/mapping(_:)``), and reports anything else as ``JobFailure/Code/internalError``.
    func failure(for error: any Error) -> JobFailure
}

extension JobKind {
    /// JSON with sorted keys.
    public static func encodeInput(_ input: Input) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(input)
    }

    /// JSON.
    public static func decodeInput(_ data: Data) throws -> Input {
        try JSONDecoder().decode(Input.self, from: data)
    }

    /// `Job submitted`.
    public var submittedMessage: String { "Job submitted" }
    /// `Job complete`.
    public var completedMessage: String { "Job complete" }
    /// `Job cancelled`.
    public var cancelledMessage: String { "Job cancelled" }
    /// `true`.
    public var canResumeAfterInterruption: Bool { true }

    /// Passes a ``JobFailure`` through and maps the library's errors with ``JobFailure/mapping(_:)``
    /// (an empty resume fails with ``JobFailure/Code/emptyInput``, a rate limit with
    /// ``JobFailure/Code/providerRateLimited``); anything else becomes ``JobFailure/Code/internalError``.
    public func failure(for error: any Error) -> JobFailure {
        if let failure = JobFailure.mapping(error) { return failure }
        return JobFailure(
            code: .internalError,
            message:
                "The job failed because of an internal error. Try again; if it keeps failing, report it to the service operator."
        )
    }
}

/// The result fields of a job kind that has none.
public struct NoJobDetails: Codable, Sendable, Hashable {
    /// Creates the empty value.
    public init() {}
}

/// What one successful run produced.
public struct JobOutput<Details: Codable & Sendable & Hashable>: Sendable {
    /// The file to offer for download, if any.
    public var artifact: JobArtifact?
    /// Extra fields for the `COMPLETED` report.
    public var details: Details?
    /// The `COMPLETED` message; `nil` takes the kind's ``JobKind/completedMessage``.
    public var message: String?

    /// Creates an output.
    public init(artifact: JobArtifact? = nil, details: Details? = nil, message: String? = nil) {
        self.artifact = artifact
        self.details = details
        self.message = message
    }
}

/// What a running job knows about itself, and its way to report progress.
public struct JobContext: Sendable {
    /// The job's identifier.
    public let jobID: JobID
    /// The user who submitted the job.
    public let userID: String
    /// The attempt number, starting at 1.
    public let attempt: Int
    /// When this attempt will be stopped: the earlier of the attempt timeout and the job's deadline.
    public let deadline: ContinuousClock.Instant
    /// A logger carrying the `job.id` metadata. Never log user payload through it.
    public let logger: Logger

    private let stageReporter: @Sendable (String) async -> Void

    /// Creates a context; the job center makes these, tests of a job kind may too.
    public init(
        jobID: JobID,
        userID: String,
        attempt: Int = 1,
        deadline: ContinuousClock.Instant = .now.advanced(by: .seconds(300)),
        logger: Logger,
        stageReporter: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.jobID = jobID
        self.userID = userID
        self.attempt = attempt
        self.deadline = deadline
        self.logger = logger
        self.stageReporter = stageReporter
    }

    /// Publishes a new `PROCESSING` message naming the current stage, such as `Checking facts`.
    ///
    /// The message is stored and pushed to subscribers before this returns. It must not contain user payload.
    public func reportStage(_ message: String) async {
        await stageReporter(message)
    }
}
