public import Foundation

/// What a client is told about a job: the original Lambda design's status document plus the result's details.
///
/// Encoded as JSON it has the original Lambda design's shape, with the optional fields present only when they apply:
///
/// ```json
/// {"status": "COMPLETED", "message": "Resume optimization complete",
///  "timestamp": "2024-07-23T18:01:30.000Z", "jobId": "…",
///  "fileType": "txt", "contentType": "text/plain; charset=utf-8",
///  "downloadFilename": "optimized_resume_3f2504e0.txt", "downloadToken": "…", "downloadExpiresAt": "…",
///  "revision": 5, "details": {…}}
/// ```
public struct JobStatusReport<Details: Codable & Sendable & Hashable>: Sendable, Hashable, Codable {
    /// The job's identifier.
    public var jobID: JobID
    /// The status.
    public var status: JobStatus
    /// The stage while processing; the outcome at the end (an actionable message when failed).
    public var message: String
    /// When the job last changed, in UTC (encoded as `2024-07-23T18:00:00.000Z`).
    public var timestamp: Date
    /// Grows by one with every change of the job.
    public var revision: Int
    /// A stable code when the job failed, such as `timedOut`.
    public var errorCode: JobFailure.Code?
    /// The downloadable file when the job completed.
    public var result: JobResultDescription?
    /// A freshly signed, expiring link to the file when the job completed.
    public var downloadLink: SignedDownloadLink?
    /// The job kind's extra result fields when the job completed.
    public var details: Details?

    /// Creates a report.
    public init(
        jobID: JobID,
        status: JobStatus,
        message: String,
        timestamp: Date,
        revision: Int,
        errorCode: JobFailure.Code? = nil,
        result: JobResultDescription? = nil,
        downloadLink: SignedDownloadLink? = nil,
        details: Details? = nil
    ) {
        self.jobID = jobID
        self.status = status
        self.message = message
        self.timestamp = timestamp
        self.revision = revision
        self.errorCode = errorCode
        self.result = result
        self.downloadLink = downloadLink
        self.details = details
    }

    /// The timestamp as ISO 8601 UTC with milliseconds, for example `2024-07-23T18:00:00.000Z`.
    public var timestampText: String {
        Timestamp.format(timestamp)
    }

    /// Whether the job has ended.
    public var isTerminal: Bool { status.isTerminal }

    private enum CodingKeys: String, CodingKey {
        case status, message, timestamp, jobId, revision, errorCode, fileType, contentType, downloadFilename
        case downloadToken, downloadExpiresAt, details, byteCount
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.jobID = try container.decode(JobID.self, forKey: .jobId)
        self.status = try container.decode(JobStatus.self, forKey: .status)
        self.message = try container.decode(String.self, forKey: .message)
        let timestampText = try container.decode(String.self, forKey: .timestamp)
        guard let timestamp = Timestamp.parse(timestampText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .timestamp,
                in: container,
                debugDescription: "Expected an ISO 8601 UTC timestamp."
            )
        }
        self.timestamp = timestamp
        self.revision = try container.decodeIfPresent(Int.self, forKey: .revision) ?? 0
        self.errorCode = try container.decodeIfPresent(JobFailure.Code.self, forKey: .errorCode)
        if let fileType = try container.decodeIfPresent(String.self, forKey: .fileType) {
            self.result = JobResultDescription(
                fileType: fileType,
                contentType: try container.decode(String.self, forKey: .contentType),
                downloadFilename: try container.decode(String.self, forKey: .downloadFilename),
                byteCount: try container.decodeIfPresent(Int.self, forKey: .byteCount) ?? 0
            )
        } else {
            self.result = nil
        }
        if let token = try container.decodeIfPresent(String.self, forKey: .downloadToken) {
            self.downloadLink = SignedDownloadLink(unverifiedToken: token)
        } else {
            self.downloadLink = nil
        }
        self.details = try container.decodeIfPresent(Details.self, forKey: .details)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(message, forKey: .message)
        try container.encode(timestampText, forKey: .timestamp)
        try container.encode(jobID, forKey: .jobId)
        try container.encode(revision, forKey: .revision)
        try container.encodeIfPresent(errorCode, forKey: .errorCode)
        if let result {
            try container.encode(result.fileType, forKey: .fileType)
            try container.encode(result.contentType, forKey: .contentType)
            try container.encode(result.downloadFilename, forKey: .downloadFilename)
            try container.encode(result.byteCount, forKey: .byteCount)
        }
        if let downloadLink {
            try container.encode(downloadLink.token, forKey: .downloadToken)
            if let expiresAt = downloadLink.expiresAt {
                try container.encode(Timestamp.format(expiresAt), forKey: .downloadExpiresAt)
            }
        }
        try container.encodeIfPresent(details, forKey: .details)
    }
}

/// One page of a user's job history, newest first.
public struct JobHistoryPage<Details: Codable & Sendable & Hashable>: Sendable, Hashable {
    /// The jobs on this page, newest first.
    public var jobs: [JobStatusReport<Details>]
    /// Where the next page starts, or `nil` on the last page.
    public var nextCursor: JobHistoryCursor?

    /// Creates a page.
    public init(jobs: [JobStatusReport<Details>], nextCursor: JobHistoryCursor?) {
        self.jobs = jobs
        self.nextCursor = nextCursor
    }
}
