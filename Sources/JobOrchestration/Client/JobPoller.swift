/// A status a ``JobPoller`` can follow: it knows when it is final.
///
/// ``JobStatusReport`` conforms; so can the decoded body of a remote `GET /status` response
/// (see ``JobPoller``).
public protocol PollableJobStatus: Sendable, Equatable {
    /// Whether the job has ended, so polling stops.
    var isTerminal: Bool { get }
}

extension JobStatusReport: PollableJobStatus {}

/// Polls a job's status until it ends, yielding each change: the client side of the original Lambda design's
/// "poll `/status` every 3 seconds" flow, for Swift programs that talk to a remote service.
///
/// The poller calls `fetch` at once, then every ``Configuration/interval`` (spread by
/// ``Configuration/jitter``), and yields a status whenever it differs from the last one yielded.
/// Iteration ends after a terminal status, or returns `nil` when the consuming task is cancelled;
/// it throws ``JobPollerError`` when the overall timeout passes, or the fetch error once
/// ``Configuration/toleratedConsecutiveFailures`` failures in a row are exceeded.
///
/// Against the example server's REST API, decode the documented `GET /status` body (the `JobStatus`
/// schema of its OpenAPI document; unknown fields are ignored) and let the server long-poll:
///
/// ```swift
/// struct RemoteJobStatus: Decodable, PollableJobStatus {
///     var status: String  // PROCESSING, COMPLETED, FAILED or CANCELLED
///     var message: String
///     var jobId: String
///     var optimizedResumeUrl: String?  // COMPLETED
///     var errorCode: String?  // FAILED
///     var isTerminal: Bool { status != "PROCESSING" }
/// }
///
/// let poller = JobPoller {
///     var request = URLRequest(url: URL(string: "\(server)/status?jobId=\(jobID)&wait=20")!)
///     request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
///     let (body, _) = try await URLSession.shared.data(for: request)
///     return try JSONDecoder().decode(RemoteJobStatus.self, from: body)
/// }
/// for try await status in poller {
///     print("\(status.status): \(status.message)")
/// }
/// ```
public struct JobPoller<Status: PollableJobStatus>: AsyncSequence, Sendable {
    /// A status.
    public typealias Element = Status

    /// How a poller paces itself.
    public struct Configuration: Sendable, Hashable {
        /// The time between two fetches. Default: 3 seconds (the original Lambda design's client).
        public var interval: Duration
        /// The random spread of each interval, as a fraction (0.1 means ±10 %), so that many clients do
        /// not poll in step. Default: 0.1.
        public var jitter: Double
        /// The longest the poller keeps polling; `nil` polls until the job ends. Default: 10 minutes.
        public var timeout: Duration?
        /// Failed fetches in a row that are tolerated (polling continues at the next tick) before the
        /// error is thrown. Default: 2.
        public var toleratedConsecutiveFailures: Int

        /// Creates a configuration.
        public init(
            interval: Duration = .seconds(3),
            jitter: Double = 0.1,
            timeout: Duration? = .seconds(600),
            toleratedConsecutiveFailures: Int = 2
        ) {
            self.interval = interval
            self.jitter = jitter
            self.timeout = timeout
            self.toleratedConsecutiveFailures = toleratedConsecutiveFailures
        }
    }

    private let configuration: Configuration
    private let fetch: @Sendable () async throws -> Status

    /// Creates a poller.
    ///
    /// - Parameters:
    ///   - configuration: Interval, jitter, timeout and failure tolerance.
    ///   - fetch: Reads the status once, for example with an HTTP `GET /status?jobId=…`.
    public init(configuration: Configuration = .init(), fetch: @escaping @Sendable () async throws -> Status) {
        self.configuration = configuration
        self.fetch = fetch
    }

    /// Makes an iterator; each iterator polls on its own.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(configuration: configuration, fetch: fetch)
    }

    /// Polls.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let configuration: Configuration
        private let fetch: @Sendable () async throws -> Status
        private var last: Status?
        private var started: ContinuousClock.Instant?
        private var finished = false

        init(configuration: Configuration, fetch: @escaping @Sendable () async throws -> Status) {
            self.configuration = configuration
            self.fetch = fetch
        }

        /// The next changed status; `nil` after the terminal one or when the task is cancelled.
        public mutating func next() async throws -> Status? {
            guard !finished else { return nil }
            var first = started == nil
            let start = started ?? ContinuousClock.now
            started = start
            let stopAt = configuration.timeout.map { start.advanced(by: $0) }
            var failures = 0
            while true {
                if !first {
                    var wait = configuration.interval
                    if configuration.jitter > 0 {
                        let spread = Swift.min(Swift.max(configuration.jitter, 0), 1)
                        wait = wait * (1 + Double.random(in: -spread...spread))
                    }
                    var wakeAt = ContinuousClock.now.advanced(by: wait)
                    if let stopAt, wakeAt > stopAt { wakeAt = stopAt }
                    do {
                        try await Task.sleep(until: wakeAt, clock: .continuous)
                    } catch {
                        finished = true
                        return nil
                    }
                }
                first = false
                if Task.isCancelled {
                    finished = true
                    return nil
                }
                if let stopAt, ContinuousClock.now >= stopAt {
                    finished = true
                    throw JobPollerError(
                        code: .timedOut,
                        message:
                            "The job did not finish within the polling timeout; it may still be running. Check its status later."
                    )
                }
                let status: Status
                do {
                    status = try await fetch()
                    failures = 0
                } catch {
                    if Task.isCancelled {
                        finished = true
                        return nil
                    }
                    failures += 1
                    if failures > configuration.toleratedConsecutiveFailures {
                        finished = true
                        throw JobPollerError(
                            code: .fetchFailed,
                            message:
                                "Reading the job's status failed \(failures) times in a row. Check the connection and try again.",
                            cause: error
                        )
                    }
                    continue
                }
                if status.isTerminal { finished = true }
                if status != last || last == nil {
                    last = status
                    return status
                }
                if finished { return nil }
            }
        }
    }
}

/// Why a ``JobPoller`` stopped before the job ended.
public struct JobPollerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case timedOut
            case fetchFailed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The overall timeout passed before the job ended.
        public static let timedOut = Code(.timedOut)
        /// Fetching the status failed more often in a row than tolerated; ``JobPollerError/cause`` holds the last error.
        public static let fetchFailed = Code(.fetchFailed)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// What happened and what to do.
    public var message: String
    /// The last fetch error, for ``Code/fetchFailed``.
    public var cause: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        "JobPollerError.\(code): \(message)"
    }
}
