import Foundation
import JobOrchestration
import Optimization
import ResumeParsing

/// Resume optimization as a job kind: parse the upload, tailor it, return the output file.
///
/// Stage messages: `Extracting resume text`, then the optimizer's own (`Tailoring with <provider>`,
/// `Checking facts`, `Writing result`). A parsing or optimization failure ends the job `FAILED` with
/// the error's message and its code as the job's `errorCode` (for example `noText` or `rateLimited`).
struct ResumeOptimizationJobKind: JobKind {
    /// One upload, as stored for crash recovery.
    struct Input: Codable, Sendable {
        var resume: Data
        var fileName: String?
        var jobDescription: String
    }

    /// The match scores and warnings of a completed job.
    struct Details: Codable, Sendable, Hashable {
        var matchBefore: Int
        var matchAfter: Int
        var missing: [String]
        var warnings: [String]
        var usedAI: Bool
    }

    static let identifier = "resume-optimization"

    let optimizer: ResumeOptimizer
    var parser = ResumeParser()
    /// A fixed wait while tailoring (`--stub-delay`), so that a demo can watch a job in `PROCESSING`.
    var tailoringDelay: Duration = .zero

    var submittedMessage: String { "Resume optimization job submitted" }
    var completedMessage: String { "Resume optimization complete" }
    var cancelledMessage: String { "Resume optimization cancelled" }

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<Details> {
        await context.reportStage("Extracting resume text")
        let document: ResumeDocument
        do {
            document = try parser.parse(input.resume, fileNameHint: input.fileName)
        } catch {
            throw JobFailure(code: JobFailure.Code(error.code.identifier), message: error.message)
        }
        let result = try await optimizer.optimize(
            OptimizationRequest(resume: document, jobDescription: input.jobDescription, jobID: context.jobID.description),
            logger: context.logger,
            progress: { [tailoringDelay] stage in
                await context.reportStage(stage.message)
                if case .tailoring = stage, tailoringDelay > .zero {
                    // Ends early when the job is cancelled or times out; the optimizer then stops.
                    try? await Task.sleep(for: tailoringDelay)
                }
            }
        )
        return JobOutput(
            artifact: JobArtifact(
                data: result.file.bytes,
                fileType: result.file.fileType,
                contentType: result.file.contentType,
                downloadFilename: result.file.downloadFilename
            ),
            details: Details(
                matchBefore: result.matchBefore.score,
                matchAfter: result.matchAfter.score,
                missing: result.matchAfter.missing,
                warnings: result.warnings.map(\.message),
                usedAI: result.usedAI
            )
        )
    }

    func failure(for error: any Error) -> JobFailure {
        switch error {
        case let failure as JobFailure:
            return failure
        case let error as OptimizationError:
            if let providerError = error.providerError {
                return JobFailure(
                    code: JobFailure.Code(providerError.kind.identifier),
                    message: error.message,
                    isRetryable: providerError.isRetryable,
                    retryAfter: providerError.retryAfter
                )
            }
            return JobFailure(code: JobFailure.Code(error.code.identifier), message: error.message)
        default:
            return JobFailure(
                code: .internalError,
                message: "The job failed because of an internal error. Try again; if it keeps failing, report it to the service operator."
            )
        }
    }
}
