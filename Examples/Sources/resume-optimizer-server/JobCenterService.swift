import Foundation
import HTTPTypes
import JobOrchestration
import Optimization

/// A job kind the server runs: how a validated upload becomes the kind's input, and which status fields
/// a completed job's details fill.
///
/// The server runs ``ResumeOptimizationJob``; its end-to-end tests run scripted kinds through the same
/// routes.
protocol ServedJobKind: JobKind {
    /// The job's input for an upload.
    static func input(for submission: ResumeSubmission) -> Input
    /// The status fields that describe a completed job's result; `nil` when the kind has none.
    static func summary(of details: Details) -> JobSnapshot.OptimizationSummary?
}

extension ServedJobKind {
    /// No summary fields.
    static func summary(of details: Details) -> JobSnapshot.OptimizationSummary? { nil }
}

extension ResumeOptimizationJob: ServedJobKind {
    static func input(for submission: ResumeSubmission) -> Input {
        Input(
            resume: submission.resume,
            fileName: submission.fileName,
            jobDescription: submission.jobDescription,
            options: OptimizationRequest.Options(
                outputFormat: submission.outputFormat,
                redactPersonalData: submission.redactPersonalData,
                trackChanges: submission.trackChanges
            )
        )
    }

    static func summary(of details: Details) -> JobSnapshot.OptimizationSummary? {
        JobSnapshot.OptimizationSummary(
            matchScoreBefore: details.matchBefore,
            matchScoreAfter: details.matchAfter,
            matchedKeywords: details.matched,
            missingKeywords: details.missing,
            warnings: details.warnings.map(\.message)
        )
    }
}

/// The routes' ``ResumeJobService`` on top of a JobOrchestration `JobCenter`.
///
/// It turns the center's reports into the API's JSON shape (with absolute download links under
/// `<public URL>/downloads/`) and the center's errors into HTTP refusals.
struct JobCenterService<Kind: ServedJobKind>: ResumeJobService {
    let center: JobCenter<Kind>
    /// `<public URL>/downloads/`, to which a link's token is appended.
    let downloadPrefix: String

    init(center: JobCenter<Kind>, publicURL: String) {
        self.center = center
        // `publicURL` was validated at start-up (an absolute http(s) URL); tokens are URL-safe.
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        self.downloadPrefix = base + "/downloads/"
    }

    /// The `Retry-After` of the admission refusals (429, and 503 for a full queue), in seconds.
    var retryAfterSeconds = 30

    func submit(_ submission: ResumeSubmission, userID: String, idempotencyKey: String?) async throws -> JobSnapshot {
        // The center applies the admission limits (a retried submit finds its job even at the limit).
        try await mapErrors {
            snapshot(
                try await center.submit(Kind.input(for: submission), userID: userID, idempotencyKey: idempotencyKey)
            )
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

    func download(token: String) async throws -> JobArtifact {
        try await mapErrors { try await center.download(token: token) }
    }

    // MARK: Mapping

    func snapshot(_ report: JobCenter<Kind>.Report) -> JobSnapshot {
        var download: JobSnapshot.Download?
        if report.status == .completed, let result = report.result, let link = report.downloadLink {
            download = JobSnapshot.Download(base: downloadPrefix, token: link.token, file: result)
        }
        return JobSnapshot(
            status: report.status.rawValue,
            message: report.message,
            timestamp: report.timestamp,
            jobID: report.jobID,
            download: download,
            errorCode: report.status == .failed ? report.errorCode?.identifier : nil,
            report: report.status == .completed ? report.details.flatMap(Kind.summary(of:)) : nil
        )
    }

    /// An id that is not a UUID is reported exactly like an unknown job.
    private func parse(_ jobID: String) throws -> JobID {
        guard let id = JobID(jobID) else { throw APIError.jobNotFound() }
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
