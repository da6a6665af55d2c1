public import Foundation

/// What a client is told about a job: the original Lambda design's status document (status, message,
/// timestamp, job id; the file and a signed link when completed; a code when failed) plus the result's
/// details.
///
/// A value, not a wire shape: a server encodes it in its own API's shape (the example server's
/// `GET /status` writes the original design's JSON fields).
public struct JobStatusReport<Details: Codable & Sendable & Hashable>: Sendable, Hashable {
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
