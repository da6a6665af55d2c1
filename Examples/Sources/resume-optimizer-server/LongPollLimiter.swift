import Synchronization

/// Counts each user's long polls (`GET /status?wait=`) in flight, so that one user cannot hold an
/// unbounded number of waiting requests (each holds a connection and a subscription).
///
/// Beyond the cap a long poll answers at once with the current status, as a plain status read: the
/// client's next poll simply waits again, nothing is refused.
final class LongPollLimiter: Sendable {
    /// The most long polls one user may have waiting at once.
    let maximumPerUser: Int
    private let counts = Mutex<[String: Int]>([:])

    init(maximumPerUser: Int) {
        self.maximumPerUser = maximumPerUser
    }

    /// Takes a place for `user`; `false` when the user already has ``maximumPerUser`` waiting.
    func acquire(_ user: String) -> Bool {
        counts.withLock { counts in
            let current = counts[user, default: 0]
            guard current < maximumPerUser else { return false }
            counts[user] = current + 1
            return true
        }
    }

    /// Gives back a place taken with ``acquire(_:)``.
    func release(_ user: String) {
        counts.withLock { counts in
            let remaining = counts[user, default: 1] - 1
            counts[user] = remaining > 0 ? remaining : nil
        }
    }

    /// The long polls `user` has waiting now.
    func count(for user: String) -> Int {
        counts.withLock { $0[user, default: 0] }
    }
}
