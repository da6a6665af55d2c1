import NIOConcurrencyHelpers

/// The subscribers to each job's updates. Lock-protected rather than actor-isolated so that a
/// stream's termination handler can unsubscribe synchronously.
///
/// It remembers the newest revision it delivered for each subscribed job, so that changes learnt from
/// the store (notifications, the fallback poll) are read and delivered only when they are newer.
final class UpdateHub: Sendable {
    typealias Continuation = AsyncStream<JobRecord>.Continuation

    private struct Subscription {
        var userID: String
        var continuations: [Int: Continuation] = [:]
        var revision = 0
    }

    private struct State {
        var subscriptions: [JobID: Subscription] = [:]
        var nextToken = 0
    }

    private let state = NIOLockedValueBox(State())

    init() {}

    /// Opens a stream of the job's records; it ends after a terminal record or when the consumer goes away.
    func subscribe(to id: JobID, userID: String) -> (AsyncStream<JobRecord>, Continuation) {
        let (stream, continuation) = AsyncStream.makeStream(of: JobRecord.self, bufferingPolicy: .bufferingNewest(16))
        let token = state.withLockedValue { state -> Int in
            state.nextToken += 1
            state.subscriptions[id, default: Subscription(userID: userID)].continuations[state.nextToken] = continuation
            return state.nextToken
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { state in
                state.subscriptions[id]?.continuations.removeValue(forKey: token)
                if state.subscriptions[id]?.continuations.isEmpty == true {
                    state.subscriptions.removeValue(forKey: id)
                }
            }
        }
        return (stream, continuation)
    }

    /// Delivers a record to the job's subscribers unless they had this revision; a terminal record also
    /// ends their streams.
    func publish(_ record: JobRecord) {
        let continuations: [Continuation]? = state.withLockedValue { state in
            guard let subscription = state.subscriptions[record.id], subscription.revision < record.revision else {
                return nil
            }
            if record.status.isTerminal {
                state.subscriptions.removeValue(forKey: record.id)
            } else {
                state.subscriptions[record.id]?.revision = record.revision
            }
            return Array(subscription.continuations.values)
        }
        guard let continuations else { return }
        for continuation in continuations {
            continuation.yield(record)
            if record.status.isTerminal { continuation.finish() }
        }
    }

    /// Ends the job's streams (the job was deleted).
    func end(_ id: JobID) {
        let subscription = state.withLockedValue { $0.subscriptions.removeValue(forKey: id) }
        for continuation in subscription?.continuations.values ?? [:].values { continuation.finish() }
    }

    /// Whether a change to revision `revision` of the job is news to a subscriber.
    func wants(_ id: JobID, revision: Int) -> Bool {
        state.withLockedValue { state in
            guard let subscription = state.subscriptions[id] else { return false }
            return subscription.revision < revision
        }
    }

    /// The subscribed jobs and their owners.
    var subscribedJobs: [(id: JobID, userID: String)] {
        state.withLockedValue { state in state.subscriptions.map { ($0.key, $0.value.userID) } }
    }

    /// The number of jobs with at least one subscriber.
    var subscribedJobCount: Int {
        state.withLockedValue { $0.subscriptions.count }
    }
}
