public import Foundation
import NIOConcurrencyHelpers

/// A ``JobStore`` in memory: fast, and the default.
///
/// Everything is lost when the process ends, including unfinished jobs, so a crash loses jobs
/// silently; use ``DirectoryJobStore`` when jobs must survive restarts. Inputs are not kept
/// (``keepsInputs`` is `false`). One store serves one process; a new ``JobCenter`` on the same store
/// instance takes over the unfinished jobs of the previous one, as after a restart.
public final class InMemoryJobStore: JobStore {
    private struct Entry {
        var record: JobRecord
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
    }

    private let state = NIOLockedValueBox(State())

    /// Creates an empty store.
    public init() {}

    /// `false`: inputs live only in the job center's memory while a job is unfinished.
    public var keepsInputs: Bool { false }

    /// The number of jobs stored.
    public var count: Int {
        state.withLockedValue { $0.entries.count }
    }

    public func insert(_ record: JobRecord, input: Data?) async throws -> JobInsertion {
        state.withLockedValue { state in
            if let key = record.idempotencyKey {
                let idempotencyKey = IdempotencyKey(userID: record.userID, key: key)
                if let existingID = state.idempotency[idempotencyKey], let existing = state.entries[existingID] {
                    return .existing(existing.record)
                }
                state.idempotency[idempotencyKey] = record.id
            }
            state.entries[record.id] = Entry(record: record, result: nil)
            let cursor = record.historyCursor
            var list = state.byUser[record.userID, default: []]
            list.append(cursor)
            var index = list.count - 1
            while index > 0, list[index] < list[index - 1] {
                list.swapAt(index, index - 1)
                index -= 1
            }
            state.byUser[record.userID] = list
            return .inserted(record)
        }
    }

    public func record(for id: JobID, userID: String) async throws -> JobRecord? {
        state.withLockedValue { state in
            guard let record = state.entries[id]?.record, record.userID == userID else { return nil }
            return record
        }
    }

    public func input(for id: JobID, userID: String) async throws -> Data? {
        nil
    }

    public func update(_ record: JobRecord) async throws -> Bool {
        state.withLockedValue { state in
            guard let current = state.entries[record.id]?.record, current.revision < record.revision else {
                return false
            }
            state.entries[record.id]?.record = record
            return true
        }
    }

    public func finish(_ record: JobRecord, result: Data?, keepInput: Bool) async throws -> Bool {
        state.withLockedValue { state in
            guard let current = state.entries[record.id]?.record, current.revision < record.revision else {
                return false
            }
            state.entries[record.id] = Entry(record: record, result: result)
            return true
        }
    }

    public func result(for id: JobID, userID: String) async throws -> Data? {
        state.withLockedValue { state in
            guard let entry = state.entries[id], entry.record.userID == userID else { return nil }
            return entry.result
        }
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

    public func claimJobs(kind: String, owner: String, leaseDuration: Duration, limit: Int, now: Date) async throws
        -> [JobRecord]
    {
        state.withLockedValue { state in
            var claimed: [JobRecord] = []
            for (id, entry) in state.entries where claimed.count < limit {
                let record = entry.record
                guard record.status == .processing, record.kind == kind, record.leaseOwner != owner else { continue }
                var updated = record
                updated.leaseOwner = owner
                updated.leaseExpiresAt = now.adding(leaseDuration)
                updated.revision += 1
                state.entries[id]?.record = updated
                claimed.append(updated)
            }
            return claimed
        }
    }

    public func renewLeases(for ids: [JobID], owner: String, leaseDuration: Duration, now: Date) async throws {
        state.withLockedValue { state in
            for id in ids where state.entries[id]?.record.leaseOwner == owner {
                state.entries[id]?.record.leaseExpiresAt = now.adding(leaseDuration)
            }
        }
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
}
