import Foundation
import JobOrchestration
import Logging
import Optimization
import ResumeParsing
import XCTest

final class ResumeOptimizationJobTests: XCTestCase {
    private let resume = """
        Jane Doe
        jane@example.com

        EXPERIENCE
        Backend Engineer, Acme Corp, 2019 - 2024
        - Built payment APIs in Swift and PostgreSQL
        - Ran services on Kubernetes

        SKILLS
        Swift, PostgreSQL, Kubernetes, Python
        """

    private let jobDescription = """
        Senior Backend Engineer
        Requirements: Swift, PostgreSQL, Kubernetes, Terraform.
        """

    /// A provider that always fails with the given error.
    struct FailingProvider: AIProvider {
        var error: AIProviderError
        var name: String { "Failing" }

        init(_ kind: AIProviderError.Kind, message: String, isRetryable: Bool) {
            error = AIProviderError(kind: kind, message: message, isRetryable: isRetryable, providerName: "Failing")
        }

        func complete(_ request: CompletionRequest, logger: Logger) async throws -> Completion {
            throw error
        }
    }

    /// A center that runs resume optimizations with `provider` (offline when `nil`).
    private func makeCenter(
        provider: (any AIProvider)? = nil,
        tailoringDelay: Duration = .zero
    ) throws -> JobCenter<ResumeOptimizationJob> {
        try JobCenter(
            kind: ResumeOptimizationJob(optimizer: ResumeOptimizer(provider: provider), tailoringDelay: tailoringDelay),
            configuration: .testing()
        )
    }

    func testStoredInput_keepsTheResumesBytesAsTheyAre_andReadsTheJSONOfEarlierVersions() throws {
        var bytes = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        bytes.append(contentsOf: Array("\"}{\\".utf8))
        let input = ResumeOptimizationJob.Input(
            resume: bytes,
            fileName: "Zoë's résumé.docx",
            jobDescription: "Swift, \"PostgreSQL\"\nand Kafka",
            options: .init(outputFormat: .docx)
        )
        let stored = try ResumeOptimizationJob.encodeInput(input)
        XCTAssertLessThan(stored.count, bytes.count + 1024, "the file is stored as bytes, not as base64")
        XCTAssertNotNil(stored.range(of: bytes), "the resume's bytes appear unchanged")
        XCTAssertEqual(try ResumeOptimizationJob.decodeInput(stored), input)

        let legacy = try JSONEncoder().encode(input)
        XCTAssertEqual(try ResumeOptimizationJob.decodeInput(legacy), input, "inputs stored as JSON still run")

        for damaged in [stored.prefix(stored.count - 1), stored.prefix(30), stored.dropLast(bytes.count)] {
            XCTAssertThrowsError(try ResumeOptimizationJob.decodeInput(Data(damaged)))
        }
    }

    func testArtifact_ofAnOptimizationResult_isNamedAfterTheJob() throws {
        let id = try XCTUnwrap(JobID("9b2f6c1e-0d4a-4e8b-a1c3-5f7e9d2b4c6a"))
        let report = MatchReport(score: 40, matched: ["Go"], missing: ["Java"])
        let document = Data("PK\u{3}\u{4} the document".utf8)
        let result = OptimizationResult(
            text: "Jordan",
            matchBefore: report,
            matchAfter: report,
            warnings: [],
            usage: TokenUsage(),
            usedAI: false,
            providerName: "offline tailor",
            model: nil,
            summary: "Tailored offline.",
            format: .docx,
            contents: document
        )

        let artifact = JobArtifact(result, named: ResumeOptimizationJob.fileStem, jobID: id)

        XCTAssertEqual(artifact.downloadFilename, "optimized_resume_9b2f6c1e.docx")
        XCTAssertEqual(artifact.fileType, "docx")
        XCTAssertEqual(artifact.contentType, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        XCTAssertEqual(artifact.data, document)
    }

    func testOptimization_offline_reportsTheSeedsStagesAndCompletesWithTheFile() async throws {
        let center = try makeCenter()
        let submitted = try await center.submit(
            .init(resume: Data(resume.utf8), fileName: "resume.txt", jobDescription: jobDescription),
            userID: "jane"
        )
        let updates = try await center.updates(of: submitted.jobID, userID: "jane")

        let reports = try await withRunningJobCenter(center) { _ in
            var reports: [JobStatusReport<ResumeOptimizationJob.Details>] = []
            for await report in updates { reports.append(report) }
            return reports
        }

        XCTAssertEqual(submitted.message, "Resume optimization job submitted")
        XCTAssertEqual(
            reports.map(\.message),
            [
                "Resume optimization job submitted", "Extracting resume text", "Tailoring with offline tailor",
                "Checking facts", "Writing result", "Resume optimization complete",
            ]
        )
        let completed = try XCTUnwrap(reports.last)
        XCTAssertEqual(completed.status, .completed)
        XCTAssertEqual(completed.result?.fileType, "txt")
        XCTAssertEqual(completed.result?.contentType, "text/plain; charset=utf-8")
        XCTAssertEqual(completed.result?.downloadFilename, "optimized_resume_\(submitted.jobID.shortPrefix).txt")
        let details = try XCTUnwrap(completed.details)
        XCTAssertFalse(details.usedAI)
        XCTAssertTrue(details.missing.contains { $0.lowercased() == "terraform" })
        XCTAssertGreaterThanOrEqual(details.matchAfter, details.matchBefore)
        let download = try await center.download(token: try XCTUnwrap(completed.downloadLink).token)
        XCTAssertTrue(String(decoding: download.data, as: UTF8.self).contains("Jane Doe"))
    }

    /// Runs one job to its end on a new offline center and returns its last status and its result file.
    private func runToCompletion(
        _ input: ResumeOptimizationJob.Input
    ) async throws -> (JobStatusReport<ResumeOptimizationJob.Details>, JobArtifact, JobID) {
        let center = try makeCenter()
        let submitted = try await center.submit(input, userID: "jane")
        return try await withRunningJobCenter(center) { center in
            let final = try await center.wait(for: submitted.jobID, userID: "jane", timeout: .seconds(30))
            return (final, try await center.result(of: submitted.jobID, userID: "jane"), submitted.jobID)
        }
    }

    func testOptimization_ofAWordResume_returnsTheUsersDocumentEditedInPlace() async throws {
        let original = try SimpleDocument.make(text: resume)
        let parser = ResumeParser()
        let originalText = try parser.parse(original).text

        let (clean, download, jobID) = try await runToCompletion(
            .init(resume: original, fileName: "resume.docx", jobDescription: jobDescription)
        )

        XCTAssertEqual(clean.status, .completed, clean.message)
        XCTAssertEqual(clean.result?.fileType, "docx", "a Word resume comes back as a Word document by default")
        XCTAssertEqual(
            download.contentType,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        XCTAssertEqual(download.downloadFilename, "optimized_resume_\(jobID.shortPrefix).docx")
        let edited = try parser.parse(download.data)
        XCTAssertEqual(edited.format, .docx)
        XCTAssertNotEqual(edited.text, originalText, "the offline tailor changed the resume")
        let details = try XCTUnwrap(clean.details)
        let edits = try XCTUnwrap(details.documentEdits)
        XCTAssertGreaterThan(edits.changedParagraphs + edits.addedParagraphs + edits.removedParagraphs, 0)
        XCTAssertEqual(edits.refusals, [])
        // The scores are those of the text the file really holds.
        XCTAssertEqual(
            details.matchAfter,
            MatchAnalyzer().report(resume: edited.text, jobDescription: jobDescription).score
        )

        // With tracked changes: the same text once accepted, every edit a revision by the default author.
        let (tracked, trackedDownload, _) = try await runToCompletion(
            .init(
                resume: original,
                fileName: "resume.docx",
                jobDescription: jobDescription,
                options: .init(trackChanges: true)
            )
        )
        XCTAssertEqual(tracked.status, .completed, tracked.message)
        XCTAssertEqual(tracked.result?.fileType, "docx")
        XCTAssertNotEqual(trackedDownload.data, download.data)
        XCTAssertEqual(try parser.parse(trackedDownload.data).text, edited.text, "insertions read, deletions not")
        XCTAssertEqual(tracked.details?.matchAfter, details.matchAfter)

        // Plain text stays available for a Word resume.
        let (text, textDownload, _) = try await runToCompletion(
            .init(
                resume: original,
                fileName: "resume.docx",
                jobDescription: jobDescription,
                options: .init(outputFormat: .text)
            )
        )
        XCTAssertEqual(text.result?.fileType, "txt")
        XCTAssertEqual(String(decoding: textDownload.data, as: UTF8.self), edited.text)
    }

    func testOptimization_withATailoringDelay_staysInTheTailoringStageUntilCancelled() async throws {
        let center = try makeCenter(tailoringDelay: .seconds(600))
        let submitted = try await center.submit(
            .init(resume: Data(resume.utf8), fileName: "resume.txt", jobDescription: jobDescription),
            userID: "jane"
        )
        let updates = try await center.updates(of: submitted.jobID, userID: "jane")

        let reports = try await withRunningJobCenter(center) { center in
            var reports: [JobStatusReport<ResumeOptimizationJob.Details>] = []
            for await report in updates {
                reports.append(report)
                if report.message == "Tailoring with offline tailor" {
                    _ = try await center.cancel(submitted.jobID, userID: "jane")
                }
            }
            return reports
        }

        XCTAssertEqual(
            reports.map(\.status),
            [.processing, .processing, .processing, .cancelled],
            "the wait holds the job in the tailoring stage; cancelling ends it"
        )
        XCTAssertEqual(reports.dropLast().last?.message, "Tailoring with offline tailor")
    }

    func testOptimization_withAnUnreadableResume_failsWithTheParsersCode() async throws {
        let center = try makeCenter()
        let submitted = try await center.submit(.init(resume: Data(), jobDescription: jobDescription), userID: "jane")

        let final = try await withRunningJobCenter(center) { center in
            try await center.wait(for: submitted.jobID, userID: "jane", timeout: .seconds(10))
        }

        XCTAssertEqual(final.status, .failed)
        XCTAssertEqual(final.errorCode, "emptyInput")
        XCTAssertFalse(final.message.isEmpty)
    }

    func testOptimization_whenTheProviderRejectsTheKey_failsWithAProviderCodeWithoutRetrying() async throws {
        let provider = FailingProvider(
            .authentication,
            message: "The API key was rejected. Check OPENAI_API_KEY.",
            isRetryable: false
        )
        let center = try makeCenter(provider: provider)
        let submitted = try await center.submit(
            .init(resume: Data(resume.utf8), jobDescription: jobDescription),
            userID: "jane"
        )

        let final = try await withRunningJobCenter(center) { center in
            try await center.wait(for: submitted.jobID, userID: "jane", timeout: .seconds(10))
        }

        XCTAssertEqual(final.status, .failed)
        XCTAssertEqual(final.errorCode, "providerAuthentication")
        XCTAssertTrue(final.message.contains("API key"))
        XCTAssertFalse(final.message.contains("Jane"), "no resume text in the message")
    }

    func testOptimization_whenTheProviderIsRateLimited_isRetriedByTheCenter() async throws {
        let provider = FailingProvider(.rateLimited, message: "Too many requests.", isRetryable: true)
        let center = try makeCenter(provider: provider)
        let submitted = try await center.submit(
            .init(resume: Data(resume.utf8), jobDescription: jobDescription),
            userID: "jane"
        )
        let updates = try await center.updates(of: submitted.jobID, userID: "jane")

        let messages = try await withRunningJobCenter(center) { _ in
            var messages: [String] = []
            for await report in updates { messages.append(report.message) }
            return messages
        }

        XCTAssertTrue(messages.contains("Retrying after a temporary problem (attempt 3 of 3)"))
        let final = try await center.status(of: submitted.jobID, userID: "jane")
        XCTAssertEqual(final.errorCode, "providerRateLimited")
    }

    func testFailureMapping_coversParsingPipelineAndProviderErrors() {
        let kind = ResumeOptimizationJob(optimizer: ResumeOptimizer(provider: nil))

        let rejected = kind.failure(for: OptimizationError(code: .unsupportedClaims, message: "Unsupported claims."))
        let overloaded = kind.failure(
            for: OptimizationError(
                AIProviderError(kind: .overloaded, message: "Busy.", isRetryable: true, retryAfter: .seconds(2))
            )
        )
        let unknown = kind.failure(for: CocoaError(.fileReadUnknown))

        XCTAssertEqual(rejected.code, "unsupportedClaims")
        XCTAssertFalse(rejected.isRetryable)
        XCTAssertEqual(overloaded.code, "providerOverloaded")
        XCTAssertTrue(overloaded.isRetryable)
        XCTAssertEqual(overloaded.retryAfter, .seconds(2))
        XCTAssertEqual(unknown.code, .internalError)
    }
}
