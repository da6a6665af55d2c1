/// The error the job center's operations throw to their caller.
///
/// Switch on ``code``; show ``message``. A job that belongs to another user is reported exactly
/// like an unknown job (``Code/notFound``), so identifiers cannot be probed.
public struct JobError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value a program can switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notFound
            case idempotencyConflict
            case invalidLink
            case linkExpired
            case resultUnavailable
            case notAccepting
            case invalidInput
            case invalidConfiguration
            case storeFailure
            case tooManyUnfinishedJobs
            case queueFull
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No job with this identifier exists for this user (unknown, pruned, or another user's).
        public static let notFound = Code(.notFound)
        /// The idempotency key was used before with a different input.
        public static let idempotencyConflict = Code(.idempotencyConflict)
        /// The download link is malformed or its signature does not match (it was altered).
        public static let invalidLink = Code(.invalidLink)
        /// The download link was genuine but its lifetime has passed; read the status again for a fresh one.
        public static let linkExpired = Code(.linkExpired)
        /// The job has no downloadable result (not finished, failed, or the result expired).
        public static let resultUnavailable = Code(.resultUnavailable)
        /// The center is shutting down and accepts no new jobs.
        public static let notAccepting = Code(.notAccepting)
        /// The input could not be encoded or is not acceptable.
        public static let invalidInput = Code(.invalidInput)
        /// The configuration is not usable (for example a download-link secret that is too short).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The job store failed to read or write.
        public static let storeFailure = Code(.storeFailure)
        /// The user has ``JobCenterConfiguration/maximumUnfinishedJobsPerUser`` jobs queued or running;
        /// submit again when one has ended.
        public static let tooManyUnfinishedJobs = Code(.tooManyUnfinishedJobs)
        /// The center has ``JobCenterConfiguration/maximumUnfinishedJobs`` jobs queued or running in
        /// all; submit again later.
        public static let queueFull = Code(.queueFull)

        /// A stable identifier such as `notFound`.
        public var identifier: String { base.rawValue }
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// What happened and what to do, for a person.
    public var message: String
    /// The underlying error, when there is one (for example a file-system error from a store).
    public var cause: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause {
            return "JobError.\(code): \(message) (cause: \(String(describing: cause)))"
        }
        return "JobError.\(code): \(message)"
    }

    public static func == (lhs: JobError, rhs: JobError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }

    static let notFound = JobError(
        code: .notFound,
        message:
            "No such job. Check the job id; jobs are visible only to the user who submitted them and are removed after their retention period."
    )
}
