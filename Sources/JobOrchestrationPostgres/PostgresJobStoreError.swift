public import JobOrchestration
import PostgresNIO

/// The error a ``PostgresJobStore`` throws.
///
/// Switch on ``code``. Messages name the operation and, for errors PostgreSQL reported, its
/// SQLSTATE; they never contain job content, queries' values or the connection's password.
/// The job center wraps them in its own `storeFailure` error. ``isRetryable`` (``Code/unavailable``)
/// tells the center that a job's outcome can be written again once the database is back.
public struct PostgresJobStoreError: RetryableJobStoreError, Sendable, CustomStringConvertible {
    /// What went wrong, as a value a program can switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unavailable
            case notRunning
            case resultTooLarge
            case inputTooLarge
            case schemaTooNew
            case queryFailed
            case corruptRecord
            case invalidConfiguration
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// PostgreSQL cannot be reached, dropped the connection, is restarting, or did not answer
        /// within ``PostgresJobStoreConfiguration/operationTimeout``. Nothing was lost; retry later.
        public static let unavailable = Code(.unavailable)
        /// The store's ``PostgresJobStore/run()`` is not running (add the store to the service group).
        public static let notRunning = Code(.notRunning)
        /// A result is larger than ``PostgresJobStoreConfiguration/maximumResultSize``.
        public static let resultTooLarge = Code(.resultTooLarge)
        /// An input is larger than ``PostgresJobStoreConfiguration/maximumInputSize``.
        public static let inputTooLarge = Code(.inputTooLarge)
        /// The database was migrated by a newer version of this library; update the service.
        public static let schemaTooNew = Code(.schemaTooNew)
        /// PostgreSQL refused a statement (see the SQLSTATE in the message).
        public static let queryFailed = Code(.queryFailed)
        /// A stored row could not be read as a job record.
        public static let corruptRecord = Code(.corruptRecord)
        /// The configuration is not usable (for example a malformed database URL).
        public static let invalidConfiguration = Code(.invalidConfiguration)

        /// A stable identifier such as `unavailable`.
        public var identifier: String { base.rawValue }
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// What happened and what to do, for a person.
    public var message: String
    /// The SQLSTATE PostgreSQL reported, when it reported the error.
    public var sqlState: String?

    /// Creates an error.
    public init(code: Code, message: String, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String {
        "PostgresJobStoreError.\(code): \(message)"
    }

    /// Whether PostgreSQL was unreachable (``Code/unavailable``), so that the same call may succeed later.
    public var isRetryable: Bool { code == .unavailable }

    /// Classifies an error thrown by postgres-nio (or by the store's own timeout) for `operation`.
    static func wrapping(_ error: any Error, operation: String) -> PostgresJobStoreError {
        if let error = error as? PostgresJobStoreError { return error }
        if let error = error as? PSQLError {
            if error.code == .server, let state = error.serverInfo?[.sqlState] {
                // Class 08: connection exception; 57P01-57P03: the server is shutting down or starting.
                if state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state) {
                    return PostgresJobStoreError(
                        code: .unavailable,
                        message:
                            "PostgreSQL is not accepting work (\(operation), SQLSTATE \(state)). Retry when it is back.",
                        sqlState: state
                    )
                }
                return PostgresJobStoreError(
                    code: .queryFailed,
                    message: "PostgreSQL refused the store's statement (\(operation), SQLSTATE \(state)).",
                    sqlState: state
                )
            }
            return PostgresJobStoreError(
                code: .unavailable,
                message: "The connection to PostgreSQL failed (\(operation), \(error.code)). Retry when it is back."
            )
        }
        if error is CancellationError {
            return PostgresJobStoreError(
                code: .unavailable,
                message: "The store operation was cancelled (\(operation))."
            )
        }
        if error is PostgresDecodingError {
            return PostgresJobStoreError(
                code: .corruptRecord,
                message: "A stored job could not be read (\(operation)); its columns do not have the expected types."
            )
        }
        return PostgresJobStoreError(
            code: .unavailable,
            message: "PostgreSQL could not be reached (\(operation), \(type(of: error))). Retry when it is back."
        )
    }
}
