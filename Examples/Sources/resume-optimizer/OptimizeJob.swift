import Foundation
import JobOrchestration
import Logging
import Optimization

/// How an `optimize` run ended.
struct OptimizeOutcome: Sendable {
    enum Status: Sendable {
        case completed(ResumeOptimizationJob.Details, file: OptimizeOutputFile)
        case failed(message: String, code: String)
    }

    /// The job's id; `nil` when the run failed before a job was submitted (unreadable inputs, bad settings).
    var jobID: String?
    var status: Status
}

/// The result file as written to the output directory.
struct OptimizeOutputFile: Sendable {
    var url: URL
    var fileType: String
    var contentType: String
}

/// One `optimize` run: read the inputs, then run one ``ResumeOptimizationJob`` through an in-process
/// `JobCenter`, following its status updates, and write the result file.
struct OptimizeJob: Sendable {
    /// The user id the in-process center files the job under.
    static let localUserID = "local"

    var resumePath: String
    var jobPath: String
    var options: OptimizationRequest.Options
    var outputDirectory: URL
    var providerSettings: OptimizeProviderSettings
    /// How often a stage that is still running is reported again with its elapsed time.
    var heartbeatInterval: Duration = .seconds(5)

    /// Runs the job, calling `status` with each status change as it happens (`PROCESSING: …`), then
    /// `COMPLETED: <path>` or `FAILED: <message>`.
    func run(logger: Logger, status: @escaping @Sendable (String) -> Void) async -> OptimizeOutcome {
        let outcome = await execute(logger: logger, status: status)
        switch outcome.status {
        case .completed(_, let file): status("COMPLETED: \(file.url.path)")
        case .failed(let message, _): status("FAILED: \(message)")
        }
        return outcome
    }

    private func execute(logger: Logger, status: @escaping @Sendable (String) -> Void) async -> OptimizeOutcome {
        let inputs: OptimizeInputs
        do {
            inputs = try OptimizeInputs.load(resumePath: resumePath, jobPath: jobPath)
        } catch {
            return OptimizeOutcome(jobID: nil, status: .failed(message: error.message, code: "invalidInput"))
        }
        let provider: (any AIProvider)?
        do {
            provider = try providerSettings.makeProvider()
        } catch {
            return OptimizeOutcome(jobID: nil, status: .failed(message: error.message, code: "configuration"))
        }
        let center: JobCenter<ResumeOptimizationJob>
        do {
            center = try JobCenter(
                kind: ResumeOptimizationJob(optimizer: ResumeOptimizer(provider: provider)),
                configuration: centerConfiguration,
                backgroundLogger: logger
            )
        } catch {
            return OptimizeOutcome(jobID: nil, status: .failed(message: "\(error)", code: "internal"))
        }
        let input = ResumeOptimizationJob.Input(
            resume: inputs.resumeData,
            fileName: inputs.resumeFileName,
            jobDescription: inputs.jobDescription,
            options: options
        )
        do {
            // Submitted and subscribed before the center runs, so that no status change is missed.
            let submitted = try await center.submit(input, userID: Self.localUserID)
            let updates = try await center.updates(of: submitted.jobID, userID: Self.localUserID)
            let stage = StageClock()
            let interval = heartbeatInterval
            return try await withRunningJobCenter(center) { center in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // A long model call stays visibly alive: the stage again with its elapsed seconds.
                    group.addTask {
                        while true {
                            try await Task.sleep(for: interval)
                            if let line = await stage.stillWorking() { status(line) }
                        }
                    }
                    var last = submitted
                    for await report in updates {
                        last = report
                        if report.status == .processing {
                            await stage.begin(report.message)
                            status("PROCESSING: \(report.message)")
                        }
                    }
                    group.cancelAll()
                    return try await finish(last, center: center)
                }
            }
        } catch {
            return OptimizeOutcome(
                jobID: nil,
                status: .failed(message: "The job could not run: \(error)", code: "internal")
            )
        }
    }

    /// The in-process center's settings. The provider already retries its own requests (`--max-retries`),
    /// so a job gets one attempt; that attempt, and the job's deadline, last at least as long as the model
    /// calls may (see ``OptimizeProviderSettings/longestModelTime``), so a slow model the user allowed
    /// with `--timeout` is never cut short.
    var centerConfiguration: JobCenterConfiguration {
        var configuration = JobCenterConfiguration()
        configuration.retry = .none
        if let modelTime = providerSettings.longestModelTime {
            configuration.attemptTimeout = max(configuration.attemptTimeout, modelTime + .seconds(60))
            configuration.deadline = max(configuration.deadline, configuration.attemptTimeout + .seconds(60))
        }
        return configuration
    }

    /// Turns the job's terminal report into the outcome, writing the result file of a completed job.
    private func finish(
        _ report: JobStatusReport<ResumeOptimizationJob.Details>,
        center: JobCenter<ResumeOptimizationJob>
    ) async throws -> OptimizeOutcome {
        let jobID = report.jobID.description
        guard report.status == .completed, let details = report.details else {
            let code = report.errorCode?.identifier ?? report.status.rawValue.lowercased()
            return OptimizeOutcome(jobID: jobID, status: .failed(message: report.message, code: code))
        }
        let download = try await center.result(of: report.jobID, userID: Self.localUserID)
        let fileURL = outputDirectory.appendingPathComponent(download.downloadFilename)
        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
            try download.data.write(to: fileURL, options: .atomic)
        } catch {
            return OptimizeOutcome(
                jobID: jobID,
                status: .failed(
                    message: "Could not write \(fileURL.path): check that the output directory is writable.",
                    code: "output"
                )
            )
        }
        let file = OptimizeOutputFile(url: fileURL, fileType: download.fileType, contentType: download.contentType)
        return OptimizeOutcome(jobID: jobID, status: .completed(details, file: file))
    }
}

/// The stage a job is in and since when, for the "still working" lines of a long stage.
private actor StageClock {
    private var message: String?
    private var started = ContinuousClock.now

    func begin(_ message: String) {
        self.message = message
        started = .now
    }

    /// `PROCESSING: <stage> (still working, 12 s)`, or `nil` before the first stage.
    func stillWorking() -> String? {
        guard let message else { return nil }
        let seconds = (ContinuousClock.now - started).components.seconds
        return "PROCESSING: \(message) (still working, \(seconds) s)"
    }
}
