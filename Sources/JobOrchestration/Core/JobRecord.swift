public import Foundation

/// Everything a ``JobStore`` keeps about one job, except its input and result bytes.
///
/// Stores treat records as values: the job center computes each new revision and the store keeps
/// the newest one. ``revision`` grows by one with every change, which lets a store refuse a late,
/// older write (optimistic concurrency) and lets subscribers drop stale updates.
public struct JobRecord: Sendable, Hashable, Codable {
    /// The job's identifier.
    public var id: JobID
    /// The user who submitted the job; only this user can see it.
    public var userID: String
    /// The job kind's identifier (``JobKind/identifier``).
    public var kind: String
    /// The current status.
    public var status: JobStatus
    /// The current message: the stage while processing, the outcome at the end.
    public var message: String
    /// When the record last changed (the status report's `timestamp`).
    public var updatedAt: Date
    /// When the job was submitted.
    public var submittedAt: Date
    /// When the job reached a terminal status.
    public var finishedAt: Date?
    /// The overall deadline: the job fails if it has not finished by then.
    public var deadline: Date?
    /// Grows by one with every change, starting at 1.
    public var revision: Int
    /// How many attempts have started.
    public var attempts: Int
    /// The caller's idempotency key, if one was given.
    public var idempotencyKey: String?
    /// A SHA-256 digest of the encoded input, kept when an idempotency key was given.
    public var inputDigest: String?
    /// The failure's code when the job failed.
    public var errorCode: JobFailure.Code?
    /// The downloadable result when the job completed.
    public var result: JobResultDescription?
    /// The job kind's extra result fields, as JSON text.
    public var details: String?
    /// The job center instance that holds the job's lease, if any. Kept by the store.
    public var leaseOwner: String?
    /// When the lease lapses unless renewed. Kept by the store.
    public var leaseExpiresAt: Date?
    /// Grows by one with every claim of the job, starting at 0; a worker's writes are conditional on it
    /// (``JobWriteCondition/leased(_:)``). Kept by the store.
    public var fencingToken: Int
    /// The submitter's trace context, as the bootstrapped instrument injected it (for example W3C
    /// `traceparent` and `tracestate`), so that the spans of the job's attempts join the submitter's
    /// trace on whichever instance runs them; `nil` when no instrument is bootstrapped. Written at
    /// submission and never changed.
    public var traceContext: [String: String]?

    /// Creates a record.
    public init(
        id: JobID,
        userID: String,
        kind: String,
        status: JobStatus,
        message: String,
        updatedAt: Date,
        submittedAt: Date,
        finishedAt: Date? = nil,
        deadline: Date? = nil,
        revision: Int = 1,
        attempts: Int = 0,
        idempotencyKey: String? = nil,
        inputDigest: String? = nil,
        errorCode: JobFailure.Code? = nil,
        result: JobResultDescription? = nil,
        details: String? = nil,
        leaseOwner: String? = nil,
        leaseExpiresAt: Date? = nil,
        fencingToken: Int = 0,
        traceContext: [String: String]? = nil
    ) {
        self.id = id
        self.userID = userID
        self.kind = kind
        self.status = status
        self.message = message
        self.updatedAt = updatedAt
        self.submittedAt = submittedAt
        self.finishedAt = finishedAt
        self.deadline = deadline
        self.revision = revision
        self.attempts = attempts
        self.idempotencyKey = idempotencyKey
        self.inputDigest = inputDigest
        self.errorCode = errorCode
        self.result = result
        self.details = details
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.fencingToken = fencingToken
        self.traceContext = traceContext
    }

    /// The position of this job in a user's history (newest first).
    public var historyCursor: JobHistoryCursor {
        JobHistoryCursor(submittedAt: submittedAt, jobID: id)
    }

    private enum CodingKeys: String, CodingKey {
        case status, message, timestamp, jobId, userId, kind, revision, submittedAt, finishedAt, deadline
        case attempts, idempotencyKey, inputDigest, errorCode, result, details, leaseOwner, leaseExpiresAt
        case fencingToken, traceContext
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func date(_ key: CodingKeys) throws -> Date? {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key,
                    in: container,
                    debugDescription: "Expected an ISO 8601 UTC timestamp."
                )
            }
            return date
        }
        self.id = try container.decode(JobID.self, forKey: .jobId)
        self.userID = try container.decode(String.self, forKey: .userId)
        self.kind = try container.decode(String.self, forKey: .kind)
        self.status = try container.decode(JobStatus.self, forKey: .status)
        self.message = try container.decode(String.self, forKey: .message)
        guard let updatedAt = try date(.timestamp), let submittedAt = try date(.submittedAt) else {
            throw DecodingError.keyNotFound(
                CodingKeys.timestamp,
                .init(codingPath: decoder.codingPath, debugDescription: "Missing timestamps.")
            )
        }
        self.updatedAt = updatedAt
        self.submittedAt = submittedAt
        self.finishedAt = try date(.finishedAt)
        self.deadline = try date(.deadline)
        self.revision = try container.decode(Int.self, forKey: .revision)
        self.attempts = try container.decodeIfPresent(Int.self, forKey: .attempts) ?? 0
        self.idempotencyKey = try container.decodeIfPresent(String.self, forKey: .idempotencyKey)
        self.inputDigest = try container.decodeIfPresent(String.self, forKey: .inputDigest)
        self.errorCode = try container.decodeIfPresent(JobFailure.Code.self, forKey: .errorCode)
        self.result = try container.decodeIfPresent(JobResultDescription.self, forKey: .result)
        self.details = try container.decodeIfPresent(String.self, forKey: .details)
        self.leaseOwner = try container.decodeIfPresent(String.self, forKey: .leaseOwner)
        self.leaseExpiresAt = try date(.leaseExpiresAt)
        self.fencingToken = try container.decodeIfPresent(Int.self, forKey: .fencingToken) ?? 0
        self.traceContext = try container.decodeIfPresent([String: String].self, forKey: .traceContext)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(message, forKey: .message)
        try container.encode(Timestamp.format(updatedAt), forKey: .timestamp)
        try container.encode(id, forKey: .jobId)
        try container.encode(userID, forKey: .userId)
        try container.encode(kind, forKey: .kind)
        try container.encode(revision, forKey: .revision)
        try container.encode(Timestamp.format(submittedAt), forKey: .submittedAt)
        try container.encodeIfPresent(finishedAt.map(Timestamp.format), forKey: .finishedAt)
        try container.encodeIfPresent(deadline.map(Timestamp.format), forKey: .deadline)
        try container.encode(attempts, forKey: .attempts)
        try container.encodeIfPresent(idempotencyKey, forKey: .idempotencyKey)
        try container.encodeIfPresent(inputDigest, forKey: .inputDigest)
        try container.encodeIfPresent(errorCode, forKey: .errorCode)
        try container.encodeIfPresent(result, forKey: .result)
        try container.encodeIfPresent(details, forKey: .details)
        try container.encodeIfPresent(leaseOwner, forKey: .leaseOwner)
        try container.encodeIfPresent(leaseExpiresAt.map(Timestamp.format), forKey: .leaseExpiresAt)
        try container.encode(fencingToken, forKey: .fencingToken)
        try container.encodeIfPresent(traceContext, forKey: .traceContext)
    }
}

/// A position in a user's job history, for fetching the next page.
///
/// Its text form (``description``) is opaque and safe to put in a URL.
public struct JobHistoryCursor: Sendable, Hashable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    /// When the job at this position was submitted.
    public var submittedAt: Date
    /// The job at this position (breaks ties between jobs submitted in the same millisecond).
    public var jobID: JobID

    /// Creates a cursor at the given job.
    public init(submittedAt: Date, jobID: JobID) {
        self.submittedAt = submittedAt
        self.jobID = jobID
    }

    /// Parses the text form; `nil` if it is not a cursor.
    public init?(_ description: String) {
        let parts = description.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let millis = Int64(parts[0]), let id = JobID(String(parts[1])) else { return nil }
        self.submittedAt = Date(timeIntervalSince1970: Double(millis) / 1000)
        self.jobID = id
    }

    public var description: String {
        "\(Timestamp.milliseconds(submittedAt))_\(jobID)"
    }

    /// Orders by submission time, then by identifier: history is this order reversed.
    public static func < (lhs: JobHistoryCursor, rhs: JobHistoryCursor) -> Bool {
        let left = Timestamp.milliseconds(lhs.submittedAt)
        let right = Timestamp.milliseconds(rhs.submittedAt)
        if left != right { return left < right }
        return lhs.jobID.description < rhs.jobID.description
    }
}
