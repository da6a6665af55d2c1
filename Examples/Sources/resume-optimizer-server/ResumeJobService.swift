import Foundation
import Hummingbird
import JobOrchestration
import Optimization

/// What the HTTP layer needs from the job system, in the API's own terms.
///
/// ``JobCenterService`` implements it on top of the JobOrchestration library. Implementations
/// throw ``APIError`` for every refusal the caller should see (unknown job, expired link, …).
protocol ResumeJobService: Sendable {
    /// Accepts a job and returns its first status at once.
    func submit(_ submission: ResumeSubmission, userID: String, idempotencyKey: String?) async throws -> JobSnapshot

    /// The job's current status; an unknown id and another user's job are both ``APIError/jobNotFound()``.
    func status(jobID: String, userID: String) async throws -> JobSnapshot

    /// Returns as soon as the job has ended, or after `timeout` with its status at that moment.
    func waitForEnd(jobID: String, userID: String, timeout: Duration) async throws -> JobSnapshot

    /// `DELETE /jobs/<id>`: cancels the job if it is still running (its status stays readable), or
    /// erases a job that has ended (its record, input and result; its download links stop working).
    /// Returns the status at that moment as a history entry (no download link, no match fields).
    func remove(jobID: String, userID: String) async throws -> JobSnapshot

    /// The user's most recent jobs, newest first.
    func history(userID: String, limit: Int) async throws -> [JobSnapshot]

    /// The result file behind a signed download link's token; an altered or expired token is refused
    /// with 403.
    func download(token: String) async throws -> JobArtifact
}

/// One upload, already validated and decoded by the HTTP layer.
struct ResumeSubmission: Sendable {
    /// The resume file's bytes.
    var resume: Data
    /// The job description.
    var jobDescription: String
    /// The original file name, a hint only.
    var fileName: String?
    /// Whether personal data is redacted before a remote model call; `nil` takes the default (redact).
    var redactPersonalData: Bool? = nil
    /// The output format; `nil`: docx for a Word resume, txt otherwise.
    var outputFormat: OutputFormat? = nil
    /// For docx: tracked changes instead of clean edits.
    var trackChanges: Bool? = nil
}

/// A job's status in the API's shape (the body of `GET /status`).
struct JobSnapshot: Sendable, Equatable, ResponseEncodable {
    /// Where the result can be fetched, for a completed job.
    struct Download: Sendable, Equatable {
        /// Where download links start: the server's public address and `/downloads/`.
        var base: String
        /// The signed, expiring token that ends the link.
        var token: String
        /// The file behind it, as the job center describes it.
        var file: JobResultDescription

        /// The absolute, signed, expiring link.
        var url: String { base + token }
    }

    /// `PROCESSING`, `COMPLETED`, `FAILED` or `CANCELLED`.
    var status: String
    /// The stage while processing; the outcome once ended.
    var message: String
    /// When the status last changed; written as ISO 8601 UTC with milliseconds.
    var timestamp: Date
    /// The job id.
    var jobID: JobID
    /// The download, when completed (omitted from history entries).
    var download: Download?
    /// A stable failure code, when failed.
    var errorCode: String?
    /// What the optimizer found, when completed (omitted from history entries).
    var report: OptimizationSummary?

    /// The match scores and fact-check warnings of a completed resume job.
    struct OptimizationSummary: Sendable, Equatable {
        var matchScoreBefore: Int
        var matchScoreAfter: Int
        /// The job description's keywords the optimized resume contains.
        var matchedKeywords: [String]
        /// The job description's keywords it still lacks.
        var missingKeywords: [String]
        var warnings: [String]
    }

    var isTerminal: Bool { status != "PROCESSING" }

    private enum CodingKeys: String, CodingKey {
        case status, message, timestamp, jobId, optimizedResumeUrl, fileType, contentType, downloadFilename
        case errorCode, matchScoreBefore, matchScoreAfter, matchedKeywords, missingKeywords, warnings
    }

    /// The answer, written by ``JSONTextWriter`` (the status is the answer read most often); the same
    /// text as ``encode(to:)`` gives through ``ServerJSONEncoder``.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var writer = JSONTextWriter()
        write(to: &writer)
        return ServerJSONEncoder.response(body: writer.finish())
    }

    /// Writes the snapshot's JSON object: the members of ``encode(to:)`` in the same order.
    func write(to writer: inout JSONTextWriter) {
        writer.beginObject()
        writer.key("status")
        writer.string(status)
        writer.key("message")
        writer.string(message)
        writer.key("timestamp")
        writer.timestamp(timestamp)
        writer.key("jobId")
        writer.jobID(jobID)
        if let download {
            writer.key("optimizedResumeUrl")
            writer.string(download.base, download.token)
            writer.key("fileType")
            writer.string(download.file.fileType)
            writer.key("contentType")
            writer.string(download.file.contentType)
            writer.key("downloadFilename")
            writer.string(download.file.downloadFilename)
        }
        if let errorCode {
            writer.key("errorCode")
            writer.string(errorCode)
        }
        if let report {
            writer.key("matchScoreBefore")
            writer.integer(report.matchScoreBefore)
            writer.key("matchScoreAfter")
            writer.integer(report.matchScoreAfter)
            writer.key("matchedKeywords")
            writer.strings(report.matchedKeywords)
            writer.key("missingKeywords")
            writer.strings(report.missingKeywords)
            writer.key("warnings")
            writer.strings(report.warnings)
        }
        writer.endObject()
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(message, forKey: .message)
        try container.encode(JobTimestamp.text(of: timestamp), forKey: .timestamp)
        try container.encode(jobID.description, forKey: .jobId)
        if let download {
            try container.encode(download.url, forKey: .optimizedResumeUrl)
            try container.encode(download.file.fileType, forKey: .fileType)
            try container.encode(download.file.contentType, forKey: .contentType)
            try container.encode(download.file.downloadFilename, forKey: .downloadFilename)
        }
        try container.encodeIfPresent(errorCode, forKey: .errorCode)
        if let report {
            try container.encode(report.matchScoreBefore, forKey: .matchScoreBefore)
            try container.encode(report.matchScoreAfter, forKey: .matchScoreAfter)
            try container.encode(report.matchedKeywords, forKey: .matchedKeywords)
            try container.encode(report.missingKeywords, forKey: .missingKeywords)
            try container.encode(report.warnings, forKey: .warnings)
        }
    }
}
