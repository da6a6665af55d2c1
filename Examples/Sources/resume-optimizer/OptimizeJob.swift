import Foundation
import Logging
import Optimization

/// How an `optimize` run ended.
struct OptimizeOutcome: Sendable {
    enum Status: Sendable {
        case completed(OptimizationResult, fileURL: URL)
        case failed(message: String, code: String)
    }

    var jobID: String
    var status: Status
}

/// One `optimize` run: read the inputs, tailor, check, write the file.
struct OptimizeJob: Sendable {
    var resumePath: String
    var jobPath: String
    var options: OptimizationRequest.Options
    var outputDirectory: URL
    var providerSettings: OptimizeProviderSettings
    var jobID: String = ResumeOptimizer.makeJobID()

    /// Runs the job, calling `status` with `PROCESSING: …`, then `COMPLETED: <path>` or `FAILED: <message>`.
    func run(logger: Logger, status: @escaping @Sendable (String) -> Void) async -> OptimizeOutcome {
        let outcome = await execute(logger: logger, status: status)
        switch outcome.status {
        case .completed(_, let fileURL): status("COMPLETED: \(fileURL.path)")
        case .failed(let message, _): status("FAILED: \(message)")
        }
        return outcome
    }

    private func execute(logger: Logger, status: @escaping @Sendable (String) -> Void) async -> OptimizeOutcome {
        func failed(_ message: String, _ code: String) -> OptimizeOutcome {
            OptimizeOutcome(jobID: jobID, status: .failed(message: message, code: code))
        }
        status("PROCESSING: Extracting resume text")
        let inputs: OptimizeInputs
        do {
            inputs = try OptimizeInputs.load(resumePath: resumePath, jobPath: jobPath)
        } catch {
            return failed(error.message, "invalidInput")
        }
        let provider: (any AIProvider)?
        do {
            provider = try providerSettings.makeProvider()
        } catch {
            return failed(error.message, "configuration")
        }
        let optimizer = ResumeOptimizer(provider: provider)
        let request = OptimizationRequest(
            resume: inputs.resume,
            jobDescription: inputs.jobDescription,
            jobID: jobID,
            options: options
        )
        let result: OptimizationResult
        do {
            result = try await optimizer.optimize(request, logger: logger) { stage in
                status("PROCESSING: \(stage.message)")
            }
        } catch let error as OptimizationError {
            return failed(error.message, error.code.identifier)
        } catch {
            return failed("The optimization failed: \(error)", "internal")
        }
        let fileURL = outputDirectory.appendingPathComponent(result.file.downloadFilename)
        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
            try result.file.bytes.write(to: fileURL, options: .atomic)
        } catch {
            return failed("Could not write \(fileURL.path): check that the output directory is writable.", "output")
        }
        return OptimizeOutcome(jobID: jobID, status: .completed(result, fileURL: fileURL))
    }
}
