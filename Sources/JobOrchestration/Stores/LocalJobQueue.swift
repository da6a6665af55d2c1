import DequeModule
import Foundation
import NIOConcurrencyHelpers

/// The queue of one process's store (``InMemoryJobStore``, ``DirectoryJobStore``): which unfinished
/// jobs are runnable, which are leased, and the claim rules of ``JobStore/claimJobs(_:)`` (fairness
/// between users, the per-user cap, lapsed and abandoned leases). Pure bookkeeping: the stores keep it
/// next to their records under their own lock.
struct LocalJobQueue {
    struct Lease: Hashable {
        var owner: String
        var expiresAt: Date
        var fencingToken: Int
    }

    private struct Job {
        var userID: String
        var kind: String
        var cursor: JobHistoryCursor
        var lease: Lease?
        /// The last lease's token (kept after a release, so that the next claim continues from it).
        var fencingToken: Int
    }

    struct Claimed: Hashable {
        var id: JobID
        var userID: String
        var lease: Lease
        var wasInterrupted: Bool
    }

    private var jobs: [JobID: Job] = [:]
    /// Runnable jobs per kind, per user, oldest first.
    private var runnable: [String: [String: Deque<JobID>]] = [:]
    /// Leased jobs per kind.
    private var leased: [String: Set<JobID>] = [:]
    private var unfinishedPerUser: [String: Int] = [:]
    /// Owners that claimed from this store object; leases of any other owner are abandoned.
    private var liveOwners: Set<String> = []

    var unfinishedCount: Int { jobs.count }

    func unfinishedCount(userID: String) -> Int { unfinishedPerUser[userID] ?? 0 }

    func contains(_ id: JobID) -> Bool { jobs[id] != nil }

    func lease(of id: JobID) -> Lease? { jobs[id]?.lease }

    /// Whether `lease` is the job's current lease.
    func isCurrent(_ lease: JobLease) -> Bool {
        guard let current = jobs[lease.jobID]?.lease else { return false }
        return current.owner == lease.owner && current.fencingToken == lease.fencingToken
    }

    /// Adds an unfinished job: runnable when `lease` is `nil`, otherwise leased (abandoned unless its
    /// owner claims from this store object).
    mutating func add(_ record: JobRecord) {
        guard jobs[record.id] == nil else { return }
        var lease: Lease?
        if let owner = record.leaseOwner {
            lease = Lease(
                owner: owner,
                expiresAt: record.leaseExpiresAt ?? .distantPast,
                fencingToken: record.fencingToken
            )
        }
        jobs[record.id] = Job(
            userID: record.userID,
            kind: record.kind,
            cursor: record.historyCursor,
            lease: lease,
            fencingToken: record.fencingToken
        )
        unfinishedPerUser[record.userID, default: 0] += 1
        if lease != nil {
            leased[record.kind, default: []].insert(record.id)
        } else {
            enqueue(record.id)
        }
    }

    /// Forgets a job that ended or was deleted.
    mutating func remove(_ id: JobID) {
        guard let job = jobs.removeValue(forKey: id) else { return }
        interruptedMarks.remove(id)
        let remaining = (unfinishedPerUser[job.userID] ?? 1) - 1
        unfinishedPerUser[job.userID] = remaining > 0 ? remaining : nil
        if job.lease != nil {
            leased[job.kind]?.remove(id)
        } else {
            runnable[job.kind]?[job.userID]?.removeAll { $0 == id }
            if runnable[job.kind]?[job.userID]?.isEmpty == true { runnable[job.kind]?[job.userID] = nil }
        }
    }

    /// Claims jobs by the rules of ``JobStore/claimJobs(_:)``.
    mutating func claim(_ request: JobClaimRequest) -> [Claimed] {
        liveOwners.insert(request.owner)
        let kind = request.kind
        // Lapsed and abandoned leases make their jobs runnable again.
        var interrupted: Set<JobID> = []
        var runningPerUser: [String: Int] = [:]
        for id in leased[kind] ?? [] {
            guard let job = jobs[id], let lease = job.lease else { continue }
            if lease.expiresAt <= request.now || !liveOwners.contains(lease.owner) {
                leased[kind]?.remove(id)
                jobs[id]?.lease = nil
                enqueue(id)
                interrupted.insert(id)
            } else {
                runningPerUser[job.userID, default: 0] += 1
            }
        }
        guard request.limit > 0, let users = runnable[kind], !users.isEmpty else { return [] }
        // Rounds: each user's oldest job, then each user's second, ...
        var picked: [JobID] = []
        var round = 0
        while picked.count < request.limit {
            var candidates: [(cursor: JobHistoryCursor, id: JobID)] = []
            for (userID, queue) in users where queue.count > round {
                let allowance = request.maximumRunningPerUser - (runningPerUser[userID] ?? 0)
                guard round < allowance else { continue }
                let id = queue[queue.index(queue.startIndex, offsetBy: round)]
                if let cursor = jobs[id]?.cursor { candidates.append((cursor, id)) }
            }
            if candidates.isEmpty { break }
            candidates.sort { $0.cursor < $1.cursor }
            for candidate in candidates.prefix(request.limit - picked.count) {
                picked.append(candidate.id)
            }
            round += 1
        }
        var claimed: [Claimed] = []
        claimed.reserveCapacity(picked.count)
        var takenPerUser: [String: Int] = [:]
        for id in picked {
            guard var job = jobs[id] else { continue }
            takenPerUser[job.userID, default: 0] += 1
            let lease = Lease(
                owner: request.owner,
                expiresAt: request.now.adding(request.leaseDuration),
                fencingToken: job.fencingToken + 1
            )
            job.lease = lease
            job.fencingToken = lease.fencingToken
            jobs[id] = job
            leased[kind, default: []].insert(id)
            claimed.append(
                Claimed(
                    id: id,
                    userID: job.userID,
                    lease: lease,
                    wasInterrupted: interrupted.contains(id) || isInterrupted(id)
                )
            )
        }
        // Each user's picks are the first jobs of that user's queue.
        for (userID, count) in takenPerUser {
            runnable[kind]?[userID]?.removeFirst(count)
            if runnable[kind]?[userID]?.isEmpty == true { runnable[kind]?[userID] = nil }
        }
        for id in picked { interruptedMarks.remove(id) }
        // Rescued jobs not claimed now stay marked as interrupted for their next claim.
        for id in interrupted where !picked.contains(id) { interruptedMarks.insert(id) }
        return claimed
    }

    /// Jobs whose lease lapsed or was abandoned and that have not been claimed since.
    private var interruptedMarks: Set<JobID> = []

    private func isInterrupted(_ id: JobID) -> Bool { interruptedMarks.contains(id) }

    /// Renews the leases that are current; returns those that are not.
    mutating func renew(_ leases: [JobLease], until expiresAt: Date) -> [JobLease] {
        var lost: [JobLease] = []
        for lease in leases {
            if isCurrent(lease) {
                jobs[lease.jobID]?.lease?.expiresAt = expiresAt
            } else {
                lost.append(lease)
            }
        }
        return lost
    }

    /// Makes the owner's leased jobs runnable; returns their ids and users.
    mutating func release(owner: String) -> [(id: JobID, userID: String)] {
        var released: [(id: JobID, userID: String)] = []
        for (kind, ids) in leased {
            for id in ids where jobs[id]?.lease?.owner == owner {
                leased[kind]?.remove(id)
                jobs[id]?.lease = nil
                enqueue(id)
                if let userID = jobs[id]?.userID { released.append((id, userID)) }
            }
        }
        liveOwners.remove(owner)
        return released
    }

    private mutating func enqueue(_ id: JobID) {
        guard let job = jobs[id] else { return }
        let jobs = self.jobs
        runnable[job.kind, default: [:]][job.userID, default: []].insertInOrder(id) { jobs[$0]?.cursor }
    }
}

extension Deque<JobID> {
    /// Appends, or inserts before the first younger job (rescued and released jobs keep their place).
    fileprivate mutating func insertInOrder(_ id: JobID, cursor: (JobID) -> JobHistoryCursor?) {
        guard let new = cursor(id), let last = last, let lastCursor = cursor(last), new < lastCursor else {
            append(id)
            return
        }
        let index = firstIndex { cursor($0).map { new < $0 } ?? false } ?? endIndex
        insert(id, at: index)
    }
}

/// In-process change notifications for the stores of one process.
final class JobChangeBroadcaster: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<JobStoreChange>.Continuation] = [:]
        var next = 0
    }

    private let state = NIOLockedValueBox(State())

    init() {}

    func subscribe() -> AsyncStream<JobStoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: JobStoreChange.self,
            bufferingPolicy: .bufferingNewest(4096)
        )
        let token = state.withLockedValue { state -> Int in
            state.next += 1
            state.subscribers[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.subscribers.removeValue(forKey: token) }
        }
        return stream
    }

    func publish(_ changes: [JobStoreChange]) {
        guard !changes.isEmpty else { return }
        let subscribers = state.withLockedValue { Array($0.subscribers.values) }
        for subscriber in subscribers {
            for change in changes { subscriber.yield(change) }
        }
    }

    func publish(_ record: JobRecord, _ event: JobStoreChange.Event) {
        publish([
            JobStoreChange(
                jobID: record.id,
                userID: record.userID,
                kind: record.kind,
                revision: record.revision,
                event: event
            )
        ])
    }
}
