/// A job's final report with its file: what ``JobCenter/waitForResult(of:userID:timeout:)`` returns.
public struct JobOutcome<Details: Codable & Sendable & Hashable>: Sendable, Hashable {
    /// The job's report when the wait ended: `COMPLETED`, `FAILED` or `CANCELLED`, or still
    /// `PROCESSING` when the timeout passed first.
    public var report: JobStatusReport<Details>
    /// The job's file when it completed with one; `nil` otherwise.
    public var file: JobArtifact?

    /// Creates an outcome.
    public init(report: JobStatusReport<Details>, file: JobArtifact?) {
        self.report = report
        self.file = file
    }
}

extension JobCenter {
    /// Waits until the job ends, then returns its final report and, when it completed, its file.
    ///
    /// One call instead of ``wait(for:userID:timeout:until:)`` followed by ``result(of:userID:)``:
    ///
    /// ```swift
    /// let submitted = try await center.submit(input, userID: "user-42")
    /// let outcome = try await center.waitForResult(of: submitted.jobID, userID: "user-42", timeout: .seconds(60))
    /// if let file = outcome.file { try file.data.write(to: URL(fileURLWithPath: file.downloadFilename)) }
    /// else { print(outcome.report.status, outcome.report.errorCode ?? "", outcome.report.message) }
    /// ```
    ///
    /// The center must be running (``run()``, in a `ServiceGroup` or ``withRunningJobCenter(_:isolation:_:)``),
    /// here or in another process sharing the store, or the job never ends and the wait lasts `timeout`.
    ///
    /// - Parameters:
    ///   - id: The job.
    ///   - userID: Its owner.
    ///   - timeout: The longest wait. When it passes first, the report is still `PROCESSING` and there is no file.
    /// - Throws: ``JobError/Code/notFound`` for an unknown job or another user's job, or
    ///   ``JobError/Code/storeFailure``.
    public nonisolated func waitForResult(
        of id: JobID,
        userID: String,
        timeout: Duration
    ) async throws -> JobOutcome<Kind.Details> {
        let report = try await wait(for: id, userID: userID, timeout: timeout)
        guard report.status == .completed, report.result != nil else {
            return JobOutcome(report: report, file: nil)
        }
        return JobOutcome(report: report, file: try await result(of: id, userID: userID))
    }
}
