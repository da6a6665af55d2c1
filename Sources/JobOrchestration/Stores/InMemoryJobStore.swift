public import Foundation
import NIOConcurrencyHelpers

/// A ``JobStore`` in memory: fast, and the default.
///
/// Everything is lost when the process ends, including unfinished jobs, so a crash loses jobs
/// silently; use ``DirectoryJobStore`` when jobs must survive restarts. Queued jobs keep their input
/// here until they end.
///
/// Several ``JobCenter``s in one process may share a store: they share its queue, honour each other's
/// leases until they lapse, and see each other's changes through ``changes()``. A lease whose owner
/// never claimed from this store object counts as abandoned.
public final class InMemoryJobStore: JobStore {
    private struct Entry {
        var record: JobRecord
        var input: Data?
        var result: Data?
    }

    private struct IdempotencyKey: Hashable {
        var userID: String
        var key: String
    }

    private struct State {
        var entries: [JobID: Entry] = [:]
        /// Each user's jobs, oldest first.
        var byUser: [String: [JobHistoryCursor]] = [:]
        var idempotency: [IdempotencyKey: JobID] = [:]
        var queue = LocalJobQueue()
    }

    private let state = NIOLockedValueBox(State())
    private let broadcaster = JobChangeBroadcaster()

    /// Creates an empty store.
    public init() {}

    /// The number of jobs stored.
    public var count: Int {
        state.withLockedValue { $0.entries.count }
    }

    public func insert(_ record: JobRecord, input: Data) async throws -> JobInsertion {
        let insertion = state.withLockedValue { state -> JobInsertion in
            if let key = record.idempotencyKey {
                let idempotencyKey = IdempotencyKey(userID: record.userID, key: key)
                if let existingID = state.idempotency[idempotencyKey], let existing = state.entries[existingID] {
                    return .existing(existing.record)
                }
                state.idempotency[idempotencyKey] = record.id
            }
            state.entries[record.id] = Entry(record: record, input: input, result: nil)
            let cursor = record.historyCursor
            state.byUser[record.userID, default: []].append(cursor)
            Self.restoreOrder(&state.byUser[record.userID, default: []])
            if record.status == .processing { state.queue.add(record) }
            return .inserted(record)
        }
        if case .inserted(let record) = insertion { broadcaster.publish(record, .runnable) }
        return insertion
    }

    private static func restoreOrder(_ list: inout [JobHistoryCursor]) {
        var index = list.count - 1
        while index > 0, list[index] < list[index - 1] {
            list.swapAt(index, index - 1)
            index -= 1
        }
    }

    public func record(for id: JobID, userID: String) async throws -> JobRecord? {
        state.withLockedValue { state in
            guard let record = state.entries[id]?.record, record.userID == userID else { return nil }
            return record
        }
    }

    public func record(forIdempotencyKey key: String, userID: String) async throws -> JobRecord? {
        state.withLockedValue { state in
            guard let id = state.idempotency[IdempotencyKey(userID: userID, key: key)] else { return nil }
            return state.entries[id]?.record
        }
    }

    public func input(for id: JobID, userID: String) async throws -> Data? {
        state.withLockedValue { state in
            guard let entry = state.entries[id], entry.record.userID == userID else { return nil }
            return entry.input
        }
    }

    public func result(for id: JobID, userID: String) async throws -> Data? {
        state.withLockedValue { state in
            guard let entry = state.entries[id], entry.record.userID == userID else { return nil }
            return entry.result
        }
    }

    private static func holds(_ condition: JobWriteCondition, _ current: JobRecord, _ queue: LocalJobQueue) -> Bool {
        switch condition {
        case .leased(let lease):
            return current.status == .processing && lease.jobID == current.id && queue.isCurrent(lease)
        case .revision(let revision):
            return current.revision == revision
        }
    }

    public func update(_ record: JobRecord, condition: JobWriteCondition) async throws -> Bool {
        let stored: JobRecord? = state.withLockedValue { state in
            guard let current = state.entries[record.id]?.record, current.userID == record.userID,
                Self.holds(condition, current, state.queue)
            else { return nil }
            var updated = record
            updated.leaseOwner = current.leaseOwner
            updated.leaseExpiresAt = current.leaseExpiresAt
            updated.fencingToken = current.fencingToken
            state.entries[record.id]?.record = updated
            if updated.status.isTerminal { state.queue.remove(record.id) }
            return updated
        }
        guard let stored else { return false }
        broadcaster.publish(stored, .changed)
        return true
    }

    public func finish(_ record: JobRecord, result: Data?, keepInput: Bool, condition: JobWriteCondition) async throws
        -> Bool
    {
        let stored: JobRecord? = state.withLockedValue { state in
            guard let current = state.entries[record.id], current.record.userID == record.userID,
                Self.holds(condition, current.record, state.queue)
            else { return nil }
            var finished = record
            finished.leaseOwner = nil
            finished.leaseExpiresAt = nil
            finished.fencingToken = current.record.fencingToken
            state.entries[record.id] = Entry(
                record: finished,
                input: keepInput ? current.input : nil,
                result: result
            )
            state.queue.remove(record.id)
            return finished
        }
        guard let stored else { return false }
        broadcaster.publish(stored, .changed)
        return true
    }

    public func delete(id: JobID, userID: String) async throws -> Bool {
        let deleted: JobRecord? = state.withLockedValue { state in
            guard let entry = state.entries[id], entry.record.userID == userID else { return nil }
            state.entries.removeValue(forKey: id)
            if let key = entry.record.idempotencyKey {
                state.idempotency.removeValue(forKey: IdempotencyKey(userID: userID, key: key))
            }
            state.byUser[userID]?.removeAll { $0.jobID == id }
            if state.byUser[userID]?.isEmpty == true { state.byUser.removeValue(forKey: userID) }
            state.queue.remove(id)
            return entry.record
        }
        guard let deleted else { return false }
        broadcaster.publish(deleted, .deleted)
        return true
    }

    public func unfinishedJobCount(userID: String) async throws -> Int {
        state.withLockedValue { $0.queue.unfinishedCount(userID: userID) }
    }

    public func unfinishedJobCount() async throws -> Int {
        state.withLockedValue { $0.queue.unfinishedCount }
    }

    public func records(forUser userID: String, kind: String?, after cursor: JobHistoryCursor?, limit: Int) async throws
        -> [JobRecord]
    {
        state.withLockedValue { state in
            guard let list = state.byUser[userID], limit > 0 else { return [] }
            var end = list.count
            if let cursor {
                // First position not below the cursor; everything before it is older.
                var low = 0
                var high = list.count
                while low < high {
                    let middle = (low + high) / 2
                    if list[middle] < cursor { low = middle + 1 } else { high = middle }
                }
                end = low
            }
            var records: [JobRecord] = []
            records.reserveCapacity(min(limit, end))
            var index = end - 1
            while index >= 0, records.count < limit {
                if let record = state.entries[list[index].jobID]?.record, kind == nil || record.kind == kind {
                    records.append(record)
                }
                index -= 1
            }
            return records
        }
    }

    public func claimJobs(_ request: JobClaimRequest) async throws -> [JobClaim] {
        state.withLockedValue { state in
            let claimed = state.queue.claim(request)
            var claims: [JobClaim] = []
            claims.reserveCapacity(claimed.count)
            for claim in claimed {
                guard var entry = state.entries[claim.id] else { continue }
                entry.record.leaseOwner = claim.lease.owner
                entry.record.leaseExpiresAt = claim.lease.expiresAt
                entry.record.fencingToken = claim.lease.fencingToken
                entry.record.attempts += 1
                state.entries[claim.id] = entry
                claims.append(JobClaim(record: entry.record, input: entry.input, wasInterrupted: claim.wasInterrupted))
            }
            return claims
        }
    }

    public func renewLeases(_ leases: [JobLease], leaseDuration: Duration, now: Date) async throws -> [JobLease] {
        state.withLockedValue { state in
            let expiresAt = now.adding(leaseDuration)
            let lost = state.queue.renew(leases, until: expiresAt)
            let lostSet = Set(lost)
            for lease in leases where !lostSet.contains(lease) {
                state.entries[lease.jobID]?.record.leaseExpiresAt = expiresAt
            }
            return lost
        }
    }

    public func releaseLeases(owner: String) async throws -> Int {
        let released: [JobRecord] = state.withLockedValue { state in
            state.queue.release(owner: owner).compactMap { id, _ in
                guard var record = state.entries[id]?.record else { return nil }
                record.leaseOwner = nil
                record.leaseExpiresAt = nil
                record.attempts = max(0, record.attempts - 1)
                state.entries[id]?.record = record
                return record
            }
        }
        for record in released { broadcaster.publish(record, .runnable) }
        return released.count
    }

    public func prune(finishedBefore: Date, resultsFinishedBefore: Date?) async throws -> JobPruneSummary {
        state.withLockedValue { state in
            var summary = JobPruneSummary()
            var deletedUsers: Set<String> = []
            for (id, entry) in state.entries {
                guard let finishedAt = entry.record.finishedAt else { continue }
                if finishedAt < finishedBefore {
                    state.entries.removeValue(forKey: id)
                    if let key = entry.record.idempotencyKey {
                        state.idempotency.removeValue(forKey: IdempotencyKey(userID: entry.record.userID, key: key))
                    }
                    deletedUsers.insert(entry.record.userID)
                    summary.deletedJobs += 1
                } else if let resultsFinishedBefore, finishedAt < resultsFinishedBefore, entry.result != nil {
                    state.entries[id]?.result = nil
                    state.entries[id]?.record.result = nil
                    summary.deletedResults += 1
                }
            }
            for userID in deletedUsers {
                let remaining = state.byUser[userID]?.filter { state.entries[$0.jobID] != nil } ?? []
                state.byUser[userID] = remaining.isEmpty ? nil : remaining
            }
            return summary
        }
    }

    /// Notifies every change to this store object, for the job centers sharing it.
    public func changes() -> AsyncStream<JobStoreChange>? {
        broadcaster.subscribe()
    }
}
