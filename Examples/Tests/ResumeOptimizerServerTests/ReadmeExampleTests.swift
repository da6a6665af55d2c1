import Foundation
import JobOrchestration
import Logging
import Optimization
import ResumeParsing
import ServiceLifecycle
import XCTest

/// The job kind shown in the README's JobOrchestration example, kept compiling and working here.
struct TailorResume: JobKind {
    struct Input: Codable, Sendable { var resume: Data; var jobDescription: String }
    static let identifier = "resume-optimization"
    let optimizer: ResumeOptimizer

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<NoJobDetails> {
        await context.reportStage("Extracting resume text")
        let document = try ResumeParser().parse(input.resume)
        let result = try await optimizer.optimize(
            OptimizationRequest(resume: document, jobDescription: input.jobDescription),
            logger: context.logger,
            progress: { await context.reportStage($0.message) }
        )
        return JobOutput(artifact: JobArtifact(result, named: "optimized_resume", jobID: context.jobID))
    }
}

final class ReadmeExampleTests: XCTestCase {
    func testReadmeJobKind_runsToCompletionWithStageUpdatesAndALink() async throws {
        let optimizer = ResumeOptimizer(provider: nil)
        let center = try JobCenter(kind: TailorResume(optimizer: optimizer))
        let input = TailorResume.Input(
            resume: Data("Jane Doe\njane@example.com\n\nSkills\nSwift, PostgreSQL\n".utf8),
            jobDescription: "Backend engineer with Swift and PostgreSQL."
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [center],
                logger: Logger(label: "readme", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }

            let submitted = try await center.submit(input, userID: "user-42")
            XCTAssertEqual(submitted.status, .processing)
            var messages: [String] = []
            for await report in try await center.updates(of: submitted.jobID, userID: "user-42") {
                messages.append(report.message)
            }
            let final = try await center.status(of: submitted.jobID, userID: "user-42")

            XCTAssertEqual(final.status, .completed)
            // `updates` starts with the current report, so early stages may already be past.
            XCTAssertEqual(messages.last, "Job complete", "\(messages)")
            XCTAssertNotNil(final.downloadLink?.token)
            await group.triggerGracefulShutdown()
        }
    }
}
