import Foundation
import JobOrchestration

@testable import resume_optimizer_server

/// A job service for HTTP-layer tests: it records what the routes pass on and answers with
/// fixed jobs, so a test can check validation, authentication and response shapes alone.
actor RecordingJobService: ResumeJobService {
    struct Submitted: Sendable {
        var submission: ResumeSubmission
        var userID: String
        var idempotencyKey: String?
    }

    private(set) var submitted: [Submitted] = []
    private var jobs: [String: (userID: String, snapshot: JobSnapshot)] = [:]

    /// Adds a job owned by `userID`.
    func add(_ snapshot: JobSnapshot, userID: String) {
        jobs[snapshot.jobID.description] = (userID, snapshot)
    }

    func submit(_ submission: ResumeSubmission, userID: String, idempotencyKey: String?) async throws -> JobSnapshot {
        submitted.append(Submitted(submission: submission, userID: userID, idempotencyKey: idempotencyKey))
        let snapshot = JobSnapshot(
            status: "PROCESSING",
            message: "Resume optimization job submitted",
            timestamp: JobTimestamp.date(from: "2024-07-23T18:00:00.000Z")!,
            jobID: .random()
        )
        jobs[snapshot.jobID.description] = (userID, snapshot)
        return snapshot
    }

    func status(jobID: String, userID: String) async throws -> JobSnapshot {
        guard let job = jobs[jobID], job.userID == userID else { throw APIError.jobNotFound() }
        return job.snapshot
    }

    func waitForEnd(jobID: String, userID: String, timeout: Duration) async throws -> JobSnapshot {
        try await status(jobID: jobID, userID: userID)
    }

    func remove(jobID: String, userID: String) async throws -> JobSnapshot {
        var snapshot = try await status(jobID: jobID, userID: userID)
        if snapshot.isTerminal {
            jobs[jobID] = nil
        } else {
            snapshot.status = "CANCELLED"
            snapshot.message = "Job cancelled"
            jobs[jobID] = (userID, snapshot)
        }
        snapshot.download = nil
        snapshot.report = nil
        return snapshot
    }

    func history(userID: String, limit: Int) async throws -> [JobSnapshot] {
        Array(
            jobs.values.filter { $0.userID == userID }.map(\.snapshot).sorted { $0.timestamp > $1.timestamp }.prefix(
                limit
            )
        )
    }

    /// Grants the token `valid` only.
    func download(token: String) async throws -> JobArtifact {
        guard token == "valid" else { throw APIError.forbidden("This download link is not valid.") }
        return JobArtifact(
            data: Data("JANE DOE\n".utf8),
            fileType: "txt",
            contentType: "text/plain; charset=utf-8",
            downloadFilename: "optimized_resume_3f2504e0.txt"
        )
    }
}
