// TEMPORARY: the store contract (revision 2) as pgcore described it, until it is merged into
// JobOrchestration. Deleted when main has the real types.
import Foundation
import JobOrchestration

struct JobLease: Sendable, Hashable {
    var jobID: JobID
    var owner: String
    var fencingToken: Int
    init(jobID: JobID, owner: String, fencingToken: Int) {
        self.jobID = jobID
        self.owner = owner
        self.fencingToken = fencingToken
    }
}

enum JobWriteCondition: Sendable, Hashable {
    case leased(JobLease)
    case revision(Int)
}

struct JobClaimRequest: Sendable, Hashable {
    var kind: String
    var owner: String
    var limit: Int
    var maximumRunningPerUser: Int
    var leaseDuration: Duration
    var now: Date
    init(kind: String, owner: String, limit: Int, maximumRunningPerUser: Int, leaseDuration: Duration, now: Date) {
        self.kind = kind
        self.owner = owner
        self.limit = limit
        self.maximumRunningPerUser = maximumRunningPerUser
        self.leaseDuration = leaseDuration
        self.now = now
    }
}

struct JobClaim: Sendable, Hashable {
    var record: JobRecord
    var fencingToken: Int
    var input: Data?
    var wasInterrupted: Bool
}

struct JobStoreChange: Sendable, Hashable {
    enum Event: Sendable, Hashable { case runnable, changed, deleted }
    var jobID: JobID
    var userID: String
    var kind: String
    var revision: Int
    var event: Event
}

protocol JobStoreDraft: Sendable {
    func insert(_ record: JobRecord, input: Data) async throws -> JobInsertion
    func record(for id: JobID, userID: String) async throws -> JobRecord?
    func input(for id: JobID, userID: String) async throws -> Data?
    func result(for id: JobID, userID: String) async throws -> Data?
    func records(forUser userID: String, kind: String?, after cursor: JobHistoryCursor?, limit: Int) async throws -> [JobRecord]
    func claimJobs(_ request: JobClaimRequest) async throws -> [JobClaim]
    func renewLeases(_ leases: [JobLease], leaseDuration: Duration, now: Date) async throws -> [JobLease]
    func releaseLeases(owner: String) async throws -> Int
    @discardableResult func update(_ record: JobRecord, condition: JobWriteCondition) async throws -> Bool
    @discardableResult func finish(_ record: JobRecord, result: Data?, keepInput: Bool, condition: JobWriteCondition) async throws -> Bool
    @discardableResult func delete(id: JobID, userID: String) async throws -> Bool
    func unfinishedJobCount(userID: String) async throws -> Int
    func unfinishedJobCount() async throws -> Int
    func prune(finishedBefore: Date, resultsFinishedBefore: Date?) async throws -> JobPruneSummary
    func changes() -> AsyncStream<JobStoreChange>?
}
