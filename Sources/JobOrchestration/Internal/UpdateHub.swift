import NIOConcurrencyHelpers

/// The subscribers to each job's updates. Lock-protected rather than actor-isolated so that a
/// stream's termination handler can unsubscribe synchronously.
final class UpdateHub: Sendable {
    typealias Continuation = AsyncStream<JobRecord>.Continuation

    private struct State {
        var subscribers: [JobID: [Int: Continuation]] = [:]
        var nextToken = 0
    }

    private let state = NIOLockedValueBox(State())

    init() {}

    /// Opens a stream of the job's records; it ends after a terminal record or when the consumer goes away.
    func subscribe(to id: JobID) -> (AsyncStream<JobRecord>, Continuation) {
        let (stream, continuation) = AsyncStream.makeStream(of: JobRecord.self, bufferingPolicy: .bufferingNewest(16))
        let token = state.withLockedValue { state -> Int in
            state.nextToken += 1
            state.subscribers[id, default: [:]][state.nextToken] = continuation
            return state.nextToken
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { state in
                state.subscribers[id]?.removeValue(forKey: token)
                if state.subscribers[id]?.isEmpty == true { state.subscribers.removeValue(forKey: id) }
            }
        }
        return (stream, continuation)
    }

    /// Delivers a record to the job's subscribers; a terminal record also ends their streams.
    func publish(_ record: JobRecord) {
        let continuations: [Continuation]? = state.withLockedValue { state in
            guard let subscribers = state.subscribers[record.id] else { return nil }
            if record.status.isTerminal { state.subscribers.removeValue(forKey: record.id) }
            return Array(subscribers.values)
        }
        guard let continuations else { return }
        for continuation in continuations {
            continuation.yield(record)
            if record.status.isTerminal { continuation.finish() }
        }
    }

    /// The number of jobs with at least one subscriber.
    var subscribedJobCount: Int {
        state.withLockedValue { $0.subscribers.count }
    }
}
