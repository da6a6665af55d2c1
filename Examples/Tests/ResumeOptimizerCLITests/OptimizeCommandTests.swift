import ArgumentParser
import Foundation
import JobOrchestration
import Logging
import Optimization
import XCTest

@testable import resume_optimizer

final class OptimizeCommandTests: XCTestCase {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("optimize-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private func makeJob(resume: String, job: String, options: OptimizationRequest.Options = .init()) throws
        -> OptimizeJob
    {
        OptimizeJob(
            resumePath: try write(resume, to: "resume.txt"),
            jobPath: try write(job, to: "job.txt"),
            options: options,
            outputDirectory: directory.appendingPathComponent("out"),
            providerSettings: OptimizeProviderSettings(environment: [:])
        )
    }

    func testRun_offline_printsEachStatusChangeOfTheJobThenCompletedAndWritesTheFile() async throws {
        let job = try makeJob(
            resume: "Sam Lee\n\nSkills\nPython, Docker, Go\n",
            job: "Requirements\n- Go\n- Docker\n- Java"
        )
        let lines = LineRecorder()

        let outcome = await job.run(logger: Self.logger) { lines.append($0) }

        let jobID = try XCTUnwrap(outcome.jobID)
        XCTAssertNotNil(UUID(uuidString: jobID), "the job center's id")
        let expectedPath = directory.appendingPathComponent("out/optimized_resume_\(jobID.prefix(8)).txt").path
        XCTAssertEqual(
            lines.lines,
            [
                "PROCESSING: Resume optimization job submitted",
                "PROCESSING: Extracting resume text",
                "PROCESSING: Tailoring with offline tailor",
                "PROCESSING: Checking facts",
                "PROCESSING: Writing result",
                "COMPLETED: \(expectedPath)",
            ]
        )
        let written = try String(contentsOfFile: expectedPath, encoding: .utf8)
        XCTAssertTrue(written.contains("Docker, Go, Python"), "matching skills first, in the resume's order")
        let report = OptimizeReport(outcome)
        XCTAssertEqual(report.summaryLines().first, "Match score: 67 → 67")
        XCTAssertTrue(report.summaryLines()[1].hasPrefix("Tailored offline; no AI model was used"))
        XCTAssertTrue(report.summaryLines()[1].contains("(unchanged: the score counts"), report.summaryLines()[1])
        XCTAssertTrue(report.summaryLines().contains("Still missing: Java"))
    }

    func testReport_json_holdsEveryFieldOfTheContract() async throws {
        let job = try makeJob(
            resume: "Sam Lee\n\nSkills\nPython, Go\n",
            job: "Requirements\n- Go\n- Java",
            options: .init(outputFormat: .markdown)
        )
        let outcome = await job.run(logger: Self.logger) { _ in }

        let json = try OptimizeReport(outcome).jsonString()

        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let jobID = try XCTUnwrap(object["jobId"] as? String)
        XCTAssertNotNil(UUID(uuidString: jobID))
        XCTAssertEqual(object["status"] as? String, "COMPLETED")
        XCTAssertEqual(object["fileType"] as? String, "md")
        XCTAssertEqual(object["contentType"] as? String, "text/markdown; charset=utf-8")
        XCTAssertEqual(
            (object["file"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent },
            "optimized_resume_\(jobID.prefix(8)).md"
        )
        XCTAssertEqual(object["matchBefore"] as? Int, 50)
        XCTAssertEqual(object["matchAfter"] as? Int, 50)
        XCTAssertEqual(object["missing"] as? [String], ["Java"])
        XCTAssertEqual((object["warnings"] as? [Any])?.count, 0)
        XCTAssertEqual((object["usage"] as? [String: Int])?["totalTokens"], 0)
        XCTAssertNotNil(object["message"] as? String)
        XCTAssertFalse(json.contains("\n"), "one object on one line")
    }

    func testRun_whenResumeFileIsMissing_endsFailedWithAnActionableMessage() async throws {
        var job = try makeJob(resume: "x", job: "Go")
        job.resumePath = directory.appendingPathComponent("missing.docx").path
        let lines = LineRecorder()

        let outcome = await job.run(logger: Self.logger) { lines.append($0) }

        XCTAssertEqual(lines.lines.last?.hasPrefix("FAILED: Could not open the resume file"), true)
        let object =
            try JSONSerialization.jsonObject(with: Data(try OptimizeReport(outcome).jsonString().utf8))
            as? [String: Any]
        XCTAssertEqual(object?["status"] as? String, "FAILED")
        XCTAssertEqual(object?["errorCode"] as? String, "invalidInput")
        XCTAssertTrue(object?["file"] is NSNull)
        XCTAssertTrue(object?["jobId"] is NSNull, "no job was submitted")
    }

    func testRun_whenResumeIsEmpty_endsFailedWithTheJobsErrorCode() async throws {
        let job = try makeJob(resume: "   ", job: "Go")
        let lines = LineRecorder()

        let outcome = await job.run(logger: Self.logger) { lines.append($0) }

        guard case .failed(_, let code) = outcome.status else { return XCTFail("expected FAILED") }
        XCTAssertEqual(code, "noText", "the parser's code, as the job reports it")
        XCTAssertNotNil(outcome.jobID, "the job ran and failed")
        XCTAssertEqual(lines.lines.first, "PROCESSING: Resume optimization job submitted")
        XCTAssertEqual(lines.lines.last?.hasPrefix("FAILED: "), true)
    }

    func testRun_withStubProvider_runsTheModelPathAndReportsNoWarnings() async throws {
        var job = try makeJob(resume: "Sam Lee\n\nSkills\nPython, Go\n", job: "Requirements\n- Go\n- Java")
        job.providerSettings = OptimizeProviderSettings(kind: .stub, environment: [:])
        let lines = LineRecorder()

        let outcome = await job.run(logger: Self.logger) { lines.append($0) }

        XCTAssertTrue(lines.lines.contains("PROCESSING: Tailoring with Stub"))
        let report = OptimizeReport(outcome)
        XCTAssertEqual(report.status, "COMPLETED")
        XCTAssertEqual(report.usedAI, true)
        XCTAssertEqual(report.warnings.count, 0)
        XCTAssertGreaterThan(report.usage.totalTokens, 0)
    }

    func testRun_whenTheModelIsSlow_reportsTheStageAgainWithItsElapsedTime() async throws {
        var job = try makeJob(resume: "Sam Lee\n\nSkills\nPython, Go\n", job: "Requirements\n- Go\n- Java")
        job.providerSettings = OptimizeProviderSettings(kind: .stub, environment: [:])
        job.providerSettings.stubLatency = .milliseconds(1_200)
        job.heartbeatInterval = .milliseconds(250)
        let lines = LineRecorder()

        let outcome = await job.run(logger: Self.logger) { lines.append($0) }

        XCTAssertEqual(OptimizeReport(outcome).status, "COMPLETED")
        let alive = lines.lines.filter { $0.hasPrefix("PROCESSING: Tailoring with Stub (still working, ") }
        XCTAssertGreaterThanOrEqual(alive.count, 2, "\(lines.lines)")
        let index = try XCTUnwrap(lines.lines.firstIndex(of: "PROCESSING: Tailoring with Stub"))
        let firstAlive = try XCTUnwrap(lines.lines.firstIndex(of: alive[0]))
        XCTAssertLessThan(index, firstAlive, "after the stage began")
        XCTAssertEqual(lines.lines.last?.hasPrefix("COMPLETED: "), true, "no line after the end")
    }

    func testStatusLogHandler_turnsAProviderRetryIntoAStatusLineThatSaysWhy() {
        let lines = LineRecorder()
        let written = LineRecorder()
        let logger = Logger(label: "cli") { label in
            StatusLogHandler(label: label, verbose: false, status: { lines.append($0) }, write: { written.append($0) })
        }

        logger.info("Job started", metadata: ["job.id": "1"])
        logger.info(
            "Retrying provider request",
            metadata: [
                "ai.error.kind": "rateLimited", "ai.http.status": "429", "ai.attempt": "1", "ai.retry.delay_ms": "2000",
            ]
        )
        logger.debug("Sending provider request")

        XCTAssertEqual(lines.lines, ["PROCESSING: the model request failed (rateLimited, HTTP 429); retry 1 in 2.0 s"])
        XCTAssertEqual(written.lines, [], "without --verbose nothing else is printed")
    }

    func testStatusLogHandler_whenVerbose_writesEveryRecordWithItsMetadata() {
        let written = LineRecorder()
        var logger = Logger(label: "cli") { label in
            StatusLogHandler(label: label, verbose: true, status: { _ in }, write: { written.append($0) })
        }
        logger[metadataKey: "job.id"] = "42"

        logger.debug("Sending provider request", metadata: ["ai.attempt": "1"])

        XCTAssertEqual(written.lines, ["debug cli: Sending provider request ai.attempt=1 job.id=42"])
    }

    func testVersion_isPrintedByTheRootCommand() {
        XCTAssertThrowsError(try ResumeOptimizerCommand.parseAsRoot(["--version"])) { error in
            XCTAssertEqual(ResumeOptimizerCommand.message(for: error), resumeOptimizerVersion)
        }
    }

    func testRun_withOpenAIButNoKey_endsFailedNamingTheVariable() async throws {
        var job = try makeJob(resume: "Sam Lee\nGo", job: "Go")
        job.providerSettings = OptimizeProviderSettings(kind: .openai, environment: [:])
        let lines = LineRecorder()

        _ = await job.run(logger: Self.logger) { lines.append($0) }

        XCTAssertEqual(lines.lines.last?.hasPrefix("FAILED: "), true)
        XCTAssertEqual(lines.lines.last?.contains("OPENAI_API_KEY"), true)
    }

    func testCenterConfiguration_letsTheModelCallsRunAsLongAsTheProviderOptionsAllow() throws {
        var job = try makeJob(resume: "Sam Lee\nGo", job: "Go")
        XCTAssertEqual(job.centerConfiguration.attemptTimeout, .seconds(300), "offline: the library default")

        job.providerSettings = OptimizeProviderSettings(kind: .openai, timeout: 900, maxRetries: 1, environment: [:])
        let configuration = job.centerConfiguration
        // Two requests (tailoring and repair), each sent twice, each up to 900 s plus 60 s of waiting.
        XCTAssertGreaterThanOrEqual(configuration.attemptTimeout, .seconds(2 * 2 * 960))
        XCTAssertGreaterThan(configuration.deadline, configuration.attemptTimeout)
        XCTAssertEqual(configuration.retry.maximumAttempts, 1)

        job.providerSettings = OptimizeProviderSettings(kind: .anthropic, environment: [:])
        XCTAssertGreaterThanOrEqual(job.centerConfiguration.attemptTimeout, .seconds(2 * 3 * 660))
    }

    func testParse_acceptsTheDocumentedOptions() throws {
        let command = try OptimizeCommand.parse([
            "--resume", "r.docx", "--job", "j.txt", "--fact-check", "repair", "--format", "md", "--output-dir", "out",
            "--json",
        ])

        XCTAssertEqual(command.factCheck, .repair)
        XCTAssertEqual(command.format, .markdown)
        XCTAssertTrue(command.json)
    }

    func testParse_acceptsTheProviderPresetsAndNoRedact() throws {
        for preset in ["ollama", "vllm", "lmstudio", "openrouter", "azure"] {
            let command = try OptimizeCommand.parse(["--resume", "r.docx", "--job", "j.txt", "--provider", preset])
            XCTAssertEqual(command.provider?.rawValue, preset)
            XCTAssertFalse(command.noRedact)
        }
        let command = try OptimizeCommand.parse([
            "--resume", "r.docx", "--job", "j.txt", "--provider", "ollama", "--no-redact",
        ])
        XCTAssertTrue(command.noRedact)
    }

    func testParse_rejectsModelOptionsWithoutProvider() {
        XCTAssertThrowsError(try OptimizeCommand.parse(["--resume", "r.docx", "--job", "j.txt", "--model", "gpt-4o"]))
    }
}

/// Collects status lines from any task.
private final class LineRecorder: @unchecked Sendable {
    // @unchecked: every access to `storage` holds `lock`.
    private let lock = NSLock()
    private var storage: [String] = []

    func append(_ line: String) { lock.withLock { storage.append(line) } }
    var lines: [String] { lock.withLock { storage } }
}
