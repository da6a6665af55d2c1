import Foundation
import HTTPTypes
import JobOrchestration

/// The routes' ``ResumeJobService`` on top of a JobOrchestration `JobCenter`.
///
/// It turns the center's reports into the API's JSON shape (with absolute download links under
/// `<public URL>/downloads/`) and the center's errors into HTTP refusals.
struct JobCenterService<Kind: JobKind>: ResumeJobService {
    let center: JobCenter<Kind>
    /// `<public URL>/downloads/`, to which a link's token is appended.
    let downloadPrefix: String
    /// Builds the job's input from a validated upload.
    let makeInput: @Sendable (ResumeSubmission) -> Kind.Input
    /// Turns a completed job's details into the status fields that describe the result.
    let summarize: @Sendable (Kind.Details) -> JobSnapshot.OptimizationSummary?

    init(
        center: JobCenter<Kind>,
        publicURL: String,
        summarize: @escaping @Sendable (Kind.Details) -> JobSnapshot.OptimizationSummary? = { _ in nil },
        makeInput: @escaping @Sendable (ResumeSubmission) -> Kind.Input
    ) {
        self.center = center
        self.summarize = summarize
        // `publicURL` was validated at start-up (an absolute http(s) URL); tokens are URL-safe.
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        self.downloadPrefix = base + "/downloads/"
        self.makeInput = makeInput
    }

    /// The `Retry-After` of the admission refusals (429, and 503 for a full queue), in seconds.
    var retryAfterSeconds = 30

    func submit(_ submission: ResumeSubmission, userID: String, idempotencyKey: String?) async throws -> JobSnapshot {
        // The center applies the admission limits (a retried submit finds its job even at the limit).
        try await mapErrors {
            snapshot(try await center.submit(makeInput(submission), userID: userID, idempotencyKey: idempotencyKey))
        }
    }

    func status(jobID: String, userID: String) async throws -> JobSnapshot {
        let id = try parse(jobID)
        return try await mapErrors { snapshot(try await center.status(of: id, userID: userID)) }
    }

    func waitForEnd(jobID: String, userID: String, timeout: Duration) async throws -> JobSnapshot {
        let id = try parse(jobID)
        return try await mapErrors { snapshot(try await center.wait(for: id, userID: userID, timeout: timeout)) }
    }

    func remove(jobID: String, userID: String) async throws -> JobSnapshot {
        let id = try parse(jobID)
        return try await mapErrors {
            let report = try await center.status(of: id, userID: userID)
            var answer: JobSnapshot
            if report.status.isTerminal {
                try await center.delete(id, userID: userID)
                answer = snapshot(report)
            } else {
                answer = snapshot(try await center.cancel(id, userID: userID))
            }
            answer.download = nil
            answer.report = nil
            return answer
        }
    }

    func history(userID: String, limit: Int) async throws -> [JobSnapshot] {
        // History entries show no link and no report: sign nothing, decode no details.
        try await mapErrors {
            try await center.history(of: userID, limit: limit, signingLinks: false, includingDetails: false).jobs.map {
                snapshot($0)
            }
        }
    }

    func download(token: String) async throws -> DownloadedFile {
        try await mapErrors {
            let download = try await center.download(token: token)
            return DownloadedFile(
                data: download.data,
                contentType: download.contentType,
                filename: download.downloadFilename
            )
        }
    }

    // MARK: Mapping

    func snapshot(_ report: JobCenter<Kind>.Report) -> JobSnapshot {
        var download: JobSnapshot.Download?
        if report.status == .completed, let result = report.result, let link = report.downloadLink {
            download = JobSnapshot.Download(
                url: downloadPrefix + link.token,
                fileType: result.fileType,
                contentType: result.contentType,
                downloadFilename: result.downloadFilename
            )
        }
        return JobSnapshot(
            status: report.status.rawValue,
            message: report.message,
            timestamp: report.timestampText,
            jobId: report.jobID.description,
            download: download,
            errorCode: report.status == .failed ? report.errorCode?.identifier : nil,
            report: report.status == .completed ? report.details.flatMap(summarize) : nil
        )
    }

    /// An id that is not a UUID is reported exactly like an unknown job.
    private func parse(_ jobID: String) throws -> JobID {
        guard let id = JobID(jobID.lowercased()) else { throw APIError.jobNotFound() }
        return id
    }

    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as JobError {
            throw Self.apiError(for: error, retryAfterSeconds: retryAfterSeconds)
        }
    }

    /// The HTTP refusal for each error the center reports to callers.
    static func apiError(for error: JobError, retryAfterSeconds: Int) -> any Error {
        switch error.code {
        case .tooManyUnfinishedJobs: APIError.tooManyRequests(error.message, retryAfterSeconds: retryAfterSeconds)
        case .queueFull: APIError.serviceUnavailable(error.message, retryAfterSeconds: retryAfterSeconds)
        case .notFound: APIError.jobNotFound()
        case .idempotencyConflict: APIError.conflict(error.message)
        case .invalidLink, .linkExpired: APIError.forbidden(error.message)
        case .resultUnavailable: APIError.notFound(error.message)
        case .notAccepting: APIError.serviceUnavailable(error.message)
        case .invalidInput: APIError.badRequest(error.message)
        // The store (a database that restarts, a full disk) is away: the request may succeed when retried.
        case .storeFailure: APIError.serviceUnavailable(error.message)
        default: error  // configuration errors are the server's own faults: 500
        }
    }
}
