public import Foundation

/// Where jobs are kept: records, inputs and results.
///
/// The job center is the only writer of job content; a store keeps values safe and answers
/// queries. The package ships ``InMemoryJobStore`` (fast, lost on a crash) and
/// ``DirectoryJobStore`` (durable on one machine). The protocol is shaped so that a store shared by
/// several processes (for example a database) fits: jobs are claimed with leases, every lookup
/// carries the user id, and updates are conditional on the revision.
///
/// ## Leases
/// The center that creates a job or claims it from ``claimJobs(kind:owner:leaseDuration:limit:now:)``
/// owns it. Stores used by one process at a time (both shipped ones) treat every job owned by another
/// center as abandoned: a new center opening the store after a crash takes over all unfinished jobs
/// at once. Shared stores honour ``JobRecord/leaseExpiresAt`` instead and take a job over only when
/// its lease has lapsed.
public protocol JobStore: Sendable {
    /// Whether the store keeps inputs, so that unfinished jobs can be resumed after a restart.
    ///
    /// When `false`, the center does not even encode inputs (unless it needs their digest).
    var keepsInputs: Bool { get }

    /// Stores a new job, or finds the job the same user submitted earlier with the same idempotency key.
    ///
    /// Must be atomic: of two concurrent inserts with the same user and key, exactly one is stored.
    func insert(_ record: JobRecord, input: Data?) async throws -> JobInsertion

    /// The job's record, or `nil` if there is none for this user (unknown id or another user's job).
    func record(for id: JobID, userID: String) async throws -> JobRecord?

    /// The job's stored input, if kept.
    func input(for id: JobID, userID: String) async throws -> Data?

    /// Replaces the job's record if `record.revision` is newer than the stored one.
    ///
    /// - Returns: `false` (and changes nothing) when the stored revision is the same or newer, or the
    ///   job no longer exists.
    @discardableResult
    func update(_ record: JobRecord) async throws -> Bool

    /// Stores a terminal record, its result file first so that a `COMPLETED` record always has its file.
    ///
    /// - Parameters:
    ///   - record: The terminal record; applied only if its revision is newer, as in ``update(_:)``.
    ///   - result: The result's bytes, when the job produced a file.
    ///   - keepInput: Whether to keep the input after the job ended; when `false` it is deleted.
    /// - Returns: Whether the record was stored.
    @discardableResult
    func finish(_ record: JobRecord, result: Data?, keepInput: Bool) async throws -> Bool

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

    /// Claims unfinished (`PROCESSING`) jobs of a kind that no live center owns, and records `owner` as
    /// their owner until `now + leaseDuration`.
    ///
    /// A center calls this when it starts, to resume jobs that a stopped or crashed process left behind.
    func claimJobs(kind: String, owner: String, leaseDuration: Duration, limit: Int, now: Date) async throws
        -> [JobRecord]

    /// Extends the leases of jobs that `owner` is still running.
    func renewLeases(for ids: [JobID], owner: String, leaseDuration: Duration, now: Date) async throws

    /// Deletes finished jobs and expired results.
    ///
    /// - Parameters:
    ///   - finishedBefore: Jobs that reached a terminal status before this time are deleted entirely.
    ///   - resultsFinishedBefore: Results of jobs finished before this time are deleted (the record
    ///     stays, without ``JobRecord/result``); `nil` keeps results as long as their jobs.
    func prune(finishedBefore: Date, resultsFinishedBefore: Date?) async throws -> JobPruneSummary
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
