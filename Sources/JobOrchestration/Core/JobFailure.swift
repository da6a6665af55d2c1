/// Why a job failed: a stable code a program can switch on and a message a person can act on.
///
/// A ``JobKind`` throws a `JobFailure` (or maps its own errors to one in ``JobKind/failure(for:)``);
/// the job center adds the failures of its own (``Code/timedOut``, ``Code/deadlineExceeded``,
/// ``Code/interrupted``). A `FAILED` ``JobStatusReport`` carries the code and the message. The message
/// must never contain user payload such as resume text or prompts.
public struct JobFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, extensible error code, such as `timedOut` or `unreadableResume`.
    ///
    /// Job kinds add their own codes with ``init(_:)-(String)``; the identifiers are part of the API and never change.
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// The stable identifier, for example `timedOut`.
        public let identifier: String

        /// Creates a code with the given identifier.
        public init(_ identifier: String) {
            self.identifier = identifier
        }

        /// Creates a code from a string literal.
        public init(stringLiteral value: String) {
            self.identifier = value
        }

        public init(from decoder: any Decoder) throws {
            self.identifier = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(identifier)
        }

        public var description: String { identifier }

        /// One attempt ran longer than the per-attempt timeout.
        public static let timedOut = Code("timedOut")
        /// The job did not finish before its overall deadline.
        public static let deadlineExceeded = Code("deadlineExceeded")
        /// The process stopped while the job ran and the job could not be resumed.
        public static let interrupted = Code("interrupted")
        /// The job's stored input could not be read back.
        public static let invalidInput = Code("invalidInput")
        /// The job failed in a way its kind did not describe.
        public static let internalError = Code("internalError")
    }

    /// What went wrong, for programs.
    public var code: Code
    /// What happened and what to do, for people. Never contains user payload.
    public var message: String
    /// Whether running the job again may succeed (for example a rate limit or a provider outage).
    public var isRetryable: Bool
    /// How long to wait before the next attempt, when the cause said so (for example `Retry-After`).
    public var retryAfter: Duration?

    /// Creates a failure.
    public init(code: Code, message: String, isRetryable: Bool = false, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.isRetryable = isRetryable
        self.retryAfter = retryAfter
    }

    public var description: String {
        "JobFailure.\(code): \(message)"
    }
}
