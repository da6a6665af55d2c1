public import Foundation

/// Where jobs are kept: records, inputs and results, and the queue of runnable jobs.
///
/// The package ships ``InMemoryJobStore`` (fast, lost on a crash) and ``DirectoryJobStore`` (durable on
/// one machine); a store shared by several processes (for example a database) implements the same
/// protocol, so a ``JobCenter`` switches store by configuration alone. Every lookup carries the user id.
///
/// ## The queue
/// A submitted job is inserted *runnable*: status `PROCESSING`, no lease, with its input. Job centers
/// take runnable jobs with ``claimJobs(_:)``, which gives the claimer a lease until
/// ``JobRecord/leaseExpiresAt`` and a new ``JobRecord/fencingToken``. A job is runnable again when its
/// lease lapses (its center died or stalled) or is released (graceful shutdown).
///
/// ## Fencing
/// Every write a worker makes is conditional on its lease (``JobWriteCondition/leased(_:)``): the stored
/// job must still be `PROCESSING` with the same owner and fencing token. A worker whose lease was taken
/// over, or whose job was cancelled or deleted, gets `false` and stops; it can never overwrite the
/// outcome another worker wrote.
///
/// ## Which leases a store honours
/// Shared stores honour every live lease until it lapses. Stores used by one process at a time (both
/// shipped ones) also treat a lease as abandoned when its owner never claimed from this store object: a
/// new process opening a directory after a crash takes over the unfinished jobs at once.
///
/// ## Revisions
/// ``JobRecord/revision`` counts visible changes (status, message, result, details, error). Claims,
/// renewals and releases never change it; ``update(_:condition:)`` and
/// ``finish(_:result:keepInput:condition:)`` store the record's revision as given. The lease fields
/// (``JobRecord/leaseOwner``, ``JobRecord/leaseExpiresAt``, ``JobRecord/fencingToken``) belong to the
/// store: writes never copy them from the record passed in.
public protocol JobStore: Sendable {
    /// Stores a new runnable job with its input, or finds the job the same user submitted earlier with
    /// the same idempotency key.
    ///
    /// The record is `PROCESSING` with no lease, ``JobRecord/fencingToken`` 0 and ``JobRecord/attempts`` 0.
    /// Must be atomic: of two concurrent inserts with the same user and key, exactly one is stored.
    func insert(_ record: JobRecord, input: Data) async throws -> JobInsertion

    /// The job's record, or `nil` if there is none for this user (unknown id or another user's job).
    func record(for id: JobID, userID: String) async throws -> JobRecord?

    /// The job this user submitted with this idempotency key, or `nil` if there is none.
    ///
    /// The center asks before it applies its admission limits, so that a retried submit finds its job
    /// even when the user is at their limit. The default implementation reads the user's history page
    /// by page; stores with an index on the key answer directly.
    func record(forIdempotencyKey key: String, userID: String) async throws -> JobRecord?

    /// The job's stored input, if it is still kept.
    func input(for id: JobID, userID: String) async throws -> Data?

    /// The result's bytes, if the job completed and its result has not expired.
    func result(for id: JobID, userID: String) async throws -> Data?

    /// A page of the user's jobs, newest first.
    ///
    /// - Parameters:
    ///   - userID: Whose jobs.
    ///   - kind: Only jobs of this kind, or all kinds when `nil`.
    ///   - cursor: Start after this position (exclusive); from the newest job when `nil`.
    ///   - limit: The most records to return.
    func records(forUser userID: String, kind: String?, after cursor: JobHistoryCursor?, limit: Int) async throws
        -> [JobRecord]

    /// Claims runnable jobs for `request.owner`, fairly between users.
    ///
    /// Takes at most `request.limit` runnable jobs of `request.kind`, in rounds: each user's oldest
    /// runnable job first, then each user's second, and so on (users within a round in the order of
    /// their job's submission). A user who already holds `R` live leases of this kind (with any owner)
    /// gets at most `request.maximumRunningPerUser - R` jobs. Each claimed job gets
    /// ``JobRecord/fencingToken`` + 1, ``JobRecord/attempts`` + 1, and a lease for `request.owner` until
    /// `request.now + request.leaseDuration`; its revision does not change.
    ///
    /// Atomic: two concurrent claims never return the same job with the same token.
    func claimJobs(_ request: JobClaimRequest) async throws -> [JobClaim]

    /// Extends the leases that are still current until `now + leaseDuration`.
    ///
    /// - Returns: The leases that are no longer current (taken over, or the job ended or was deleted);
    ///   their workers must stop.
    func renewLeases(_ leases: [JobLease], leaseDuration: Duration, now: Date) async throws -> [JobLease]

    /// Makes every unfinished job leased by `owner` runnable at once, for graceful shutdown. The stopped
    /// attempt does not count: ``JobRecord/attempts`` goes down by one.
    ///
    /// - Returns: How many jobs were released.
    @discardableResult
    func releaseLeases(owner: String) async throws -> Int

    /// Replaces the job's record (all but the lease fields) if `condition` holds.
    ///
    /// - Returns: `false` (and changes nothing) when the condition does not hold or the job is gone.
    @discardableResult
    func update(_ record: JobRecord, condition: JobWriteCondition) async throws -> Bool

    /// Stores a terminal record if `condition` holds: its result file first, so that a `COMPLETED`
    /// record always has its file. Clears the lease owner and expiry.
    ///
    /// - Parameters:
    ///   - record: The terminal record.
    ///   - result: The result's bytes, when the job produced a file.
    ///   - keepInput: Whether to keep the input after the job ended; when `false` it is deleted.
    ///   - condition: What must hold for the write to apply.
    /// - Returns: Whether the record was stored.
    @discardableResult
    func finish(_ record: JobRecord, result: Data?, keepInput: Bool, condition: JobWriteCondition) async throws
        -> Bool

    /// Erases the job at once: record, input, result and idempotency key.
    ///
    /// - Returns: Whether there was such a job for this user.
    @discardableResult
    func delete(id: JobID, userID: String) async throws -> Bool

    /// How many of the user's jobs (of every kind) are unfinished (`PROCESSING`: queued or running).
    func unfinishedJobCount(userID: String) async throws -> Int

    /// How many jobs (of every user and kind) are unfinished.
    func unfinishedJobCount() async throws -> Int

    /// Deletes finished jobs and expired results.
    ///
    /// - Parameters:
    ///   - finishedBefore: Jobs that reached a terminal status before this time are deleted entirely.
    ///   - resultsFinishedBefore: Results of jobs finished before this time are deleted (the record
    ///     stays, without ``JobRecord/result``); `nil` keeps results as long as their jobs.
    func prune(finishedBefore: Date, resultsFinishedBefore: Date?) async throws -> JobPruneSummary

    /// A new stream of the store's change notifications, or `nil` when the store offers none.
    ///
    /// Stores shared by several processes notify every process (for example with PostgreSQL's
    /// `LISTEN`/`NOTIFY`), so that idle workers wake when jobs arrive and `status`, `wait` and `updates`
    /// see changes made elsewhere. Delivery is best effort: notifications may be coalesced, dropped (the
    /// center then catches up with its fallback poll) or repeated, and include the process's own
    /// changes. Ending the iteration unsubscribes.
    func changes() -> AsyncStream<JobStoreChange>?
}

extension JobStore {
    /// No notifications.
    public func changes() -> AsyncStream<JobStoreChange>? { nil }

    /// Reads the user's history, a page at a time, for the job with this idempotency key.
    public func record(forIdempotencyKey key: String, userID: String) async throws -> JobRecord? {
        var cursor: JobHistoryCursor?
        while true {
            let page = try await records(forUser: userID, kind: nil, after: cursor, limit: 100)
            if let match = page.first(where: { $0.idempotencyKey == key }) { return match }
            guard page.count == 100, let last = page.last else { return nil }
            cursor = last.historyCursor
        }
    }
}

/// An error a ``JobStore`` throws that may say the store is only unreachable for now.
///
/// A store backed by a server (a database) conforms its errors, so that a ``JobCenter`` can tell an
/// outage from a refusal: when a job's outcome cannot be written because the store is unreachable, the
/// center writes it again while the job's lease lasts instead of recording the job as failed; a job
/// whose outcome could not be written before the lease lapsed runs again.
public protocol RetryableJobStoreError: Error {
    /// Whether the store could not be reached (it is restarting, or the network is down) and the same
    /// call may succeed later. `false` for refusals that a retry cannot change.
    var isRetryable: Bool { get }
}

/// One job center's hold on one job: who runs it, and which claim this is.
public struct JobLease: Sendable, Hashable {
    /// The job.
    public var jobID: JobID
    /// The job center instance holding the lease (``JobCenter/instanceID``).
    public var owner: String
    /// The claim's fencing token (``JobRecord/fencingToken`` after the claim).
    public var fencingToken: Int

    /// Creates a lease.
    public init(jobID: JobID, owner: String, fencingToken: Int) {
        self.jobID = jobID
        self.owner = owner
        self.fencingToken = fencingToken
    }
}

/// What must hold for a write to a job to apply.
public enum JobWriteCondition: Sendable, Hashable {
    /// The worker's lease is current: the stored job is `PROCESSING`, leased by the same owner with the
    /// same fencing token. (The expiry is not checked: a lapsed lease that nobody took over still writes.)
    case leased(JobLease)
    /// Nobody changed the job since it was read: the stored revision is this one (compare-and-set).
    case revision(Int)
}

/// What ``JobStore/claimJobs(_:)`` should claim.
public struct JobClaimRequest: Sendable, Hashable {
    /// The job kind's identifier.
    public var kind: String
    /// The claiming center instance.
    public var owner: String
    /// The most jobs to claim (the claimer's free workers).
    public var limit: Int
    /// The most jobs one user may have under a live lease at once, counting every owner's.
    public var maximumRunningPerUser: Int
    /// How long the leases last before they must be renewed.
    public var leaseDuration: Duration
    /// The current time.
    public var now: Date

    /// Creates a request.
    public init(
        kind: String,
        owner: String,
        limit: Int,
        maximumRunningPerUser: Int,
        leaseDuration: Duration,
        now: Date
    ) {
        self.kind = kind
        self.owner = owner
        self.limit = limit
        self.maximumRunningPerUser = maximumRunningPerUser
        self.leaseDuration = leaseDuration
        self.now = now
    }
}

/// One job taken by ``JobStore/claimJobs(_:)``.
public struct JobClaim: Sendable, Hashable {
    /// The record after the claim (new lease, fencing token and attempt count).
    public var record: JobRecord
    /// The job's input, or `nil` if it was not kept.
    public var input: Data?
    /// Whether the job had a lease that lapsed or was abandoned: an attempt was interrupted.
    public var wasInterrupted: Bool

    /// Creates a claim.
    public init(record: JobRecord, input: Data?, wasInterrupted: Bool) {
        self.record = record
        self.input = input
        self.wasInterrupted = wasInterrupted
    }

    /// The lease this claim holds.
    public var lease: JobLease {
        JobLease(jobID: record.id, owner: record.leaseOwner ?? "", fencingToken: record.fencingToken)
    }
}

/// A change to a job, as a store notifies it.
public struct JobStoreChange: Sendable, Hashable {
    /// What happened.
    public enum Event: String, Sendable, Hashable {
        /// The job became runnable (inserted or released): idle workers should claim.
        case runnable
        /// The job's record changed (progress or outcome).
        case changed
        /// The job was deleted.
        case deleted
    }

    /// The job.
    public var jobID: JobID
    /// Its owner.
    public var userID: String
    /// Its kind's identifier.
    public var kind: String
    /// The record's revision after the change.
    public var revision: Int
    /// What happened.
    public var event: Event

    /// Creates a change.
    public init(jobID: JobID, userID: String, kind: String, revision: Int, event: Event) {
        self.jobID = jobID
        self.userID = userID
        self.kind = kind
        self.revision = revision
        self.event = event
    }
}

/// The outcome of ``JobStore/insert(_:input:)``.
public enum JobInsertion: Sendable, Hashable {
    /// The job was stored.
    case inserted(JobRecord)
    /// The same user already submitted a job with this idempotency key; this is its record.
    case existing(JobRecord)
}

/// What a prune removed.
public struct JobPruneSummary: Sendable, Hashable {
    /// Jobs deleted entirely.
    public var deletedJobs: Int
    /// Results deleted from jobs that were kept.
    public var deletedResults: Int

    /// Creates a summary.
    public init(deletedJobs: Int = 0, deletedResults: Int = 0) {
        self.deletedJobs = deletedJobs
        self.deletedResults = deletedResults
    }
}
