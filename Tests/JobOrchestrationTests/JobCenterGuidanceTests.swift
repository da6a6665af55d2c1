import Foundation
import JobOrchestration
import Logging
import NIOConcurrencyHelpers
import Optimization
import ResumeParsing
import XCTest

final class JobCenterGuidanceTests: XCTestCase {
    private let resume = """
        Jane Doe
        Experience
        • Built payment APIs in Swift and PostgreSQL.
        Skills
        Python, Swift, PostgreSQL
        """
    private let jobDescription = "Requirements: Swift, PostgreSQL, Kubernetes."

    private func makeCenter(logger: Logger? = nil) throws -> JobCenter<ResumeOptimizationJob> {
        let kind = ResumeOptimizationJob(optimizer: ResumeOptimizer(provider: nil))
        guard let logger else { return try JobCenter(kind: kind, configuration: .testing()) }
        return try JobCenter(kind: kind, configuration: .testing(), backgroundLogger: logger)
    }

    private func temporaryFile(_ data: Data, name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guidance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    // MARK: waitForResult

    func testWaitForResult_whenTheJobCompletes_returnsTheFinalReportAndTheFile() async throws {
        let center = try makeCenter()

        let outcome = try await withRunningJobCenter(center) { center in
            let submitted = try await center.submit(
                .init(resume: Data(resume.utf8), fileName: "resume.txt", jobDescription: jobDescription),
                userID: "jane"
            )
            return try await center.waitForResult(of: submitted.jobID, userID: "jane", timeout: .seconds(10))
        }

        XCTAssertEqual(outcome.report.status, .completed)
        let file = try XCTUnwrap(outcome.file)
        XCTAssertEqual(file.downloadFilename, outcome.report.result?.downloadFilename)
        XCTAssertEqual(file.data.count, outcome.report.result?.byteCount)
        XCTAssertTrue(String(decoding: file.data, as: UTF8.self).contains("Built payment APIs in Swift"))
    }

    func testWaitForResult_whenTheJobFails_returnsTheFailureWithoutAFile() async throws {
        let center = try makeCenter()

        let outcome = try await withRunningJobCenter(center) { center in
            let submitted = try await center.submit(
                .init(resume: Data(), jobDescription: jobDescription),
                userID: "jane"
            )
            return try await center.waitForResult(of: submitted.jobID, userID: "jane", timeout: .seconds(10))
        }

        XCTAssertEqual(outcome.report.status, .failed)
        XCTAssertEqual(outcome.report.errorCode, .emptyInput)
        XCTAssertNil(outcome.file)
    }

    func testWaitForResult_whenTheTimeoutPassesFirst_returnsTheProcessingReport() async throws {
        let center = try makeCenter()
        let submitted = try await center.submit(
            .init(resume: Data(resume.utf8), jobDescription: jobDescription),
            userID: "jane"
        )

        let outcome = try await center.waitForResult(of: submitted.jobID, userID: "jane", timeout: .milliseconds(50))

        XCTAssertEqual(outcome.report.status, .processing)
        XCTAssertNil(outcome.file)
    }

    func testWaitForResult_forAnotherUsersJob_isNotFound() async throws {
        let center = try makeCenter()
        let submitted = try await center.submit(
            .init(resume: Data(resume.utf8), jobDescription: jobDescription),
            userID: "jane"
        )

        await XCTAssertThrowsJobError(.notFound) {
            try await center.waitForResult(of: submitted.jobID, userID: "mallory", timeout: .milliseconds(10))
        }
    }

    // MARK: Input from a file

    func testInputFromAFile_readsTheBytesAndNamesTheFile() throws {
        let url = try temporaryFile(Data(resume.utf8), name: "jane-doe.txt")

        let input = try ResumeOptimizationJob.Input(resumeAt: url, jobDescription: jobDescription)

        XCTAssertEqual(input.resume, Data(resume.utf8))
        XCTAssertEqual(input.fileName, "jane-doe.txt")
        XCTAssertEqual(input.jobDescription, jobDescription)
    }

    func testInputFromAFile_whenTheFileIsMissing_throwsUnreadableFile() {
        let url = URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString)/resume.docx")

        XCTAssertThrowsError(try ResumeOptimizationJob.Input(resumeAt: url, jobDescription: jobDescription)) { error in
            XCTAssertEqual((error as? ResumeParsingError)?.code, .unreadableFile)
        }
    }

    func testInputFromAFile_whenTheFileIsTooLarge_throwsLimitExceeded() throws {
        let url = try temporaryFile(Data(repeating: 0x41, count: 101), name: "big.txt")

        XCTAssertThrowsError(
            try ResumeOptimizationJob.Input(resumeAt: url, jobDescription: jobDescription, maximumSize: 100)
        ) { error in
            XCTAssertEqual((error as? ResumeParsingError)?.code, .limitExceeded)
            XCTAssertEqual((error as? ResumeParsingError)?.limit, .inputSize)
        }
        XCTAssertNoThrow(
            try ResumeOptimizationJob.Input(resumeAt: url, jobDescription: jobDescription, maximumSize: 101)
        )
    }

    // MARK: Submitting to a center that is not running

    func testSubmit_beforeTheCenterRuns_logsAWarning_andTheJobRunsOnceTheCenterStarts() async throws {
        let records = LogRecords()
        let center = try makeCenter(logger: Logger(label: "test", factory: { _ in records.handler() }))

        let submitted = try await center.submit(
            .init(resume: Data(resume.utf8), jobDescription: jobDescription),
            userID: "jane"
        )

        let warnings = records.all.filter { $0.level == .warning }
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings.first?.message.contains("not running") ?? false)
        XCTAssertEqual(warnings.first?.metadata["job.id"], "\(submitted.jobID)")
        XCTAssertFalse(records.all.contains { $0.message.contains("Jane") || $0.message.contains("Swift") })

        let final = try await withRunningJobCenter(center) { center in
            // The first job finishing proves the center runs: only then is a submit "to a running center".
            let final = try await center.wait(for: submitted.jobID, userID: "jane", timeout: .seconds(10))
            let during = try await center.submit(
                .init(resume: Data(resume.utf8), jobDescription: jobDescription),
                userID: "jane"
            )
            _ = try await center.wait(for: during.jobID, userID: "jane", timeout: .seconds(10))
            return final
        }
        XCTAssertEqual(final.status, .completed, "a job submitted before run() runs once the center runs")
        XCTAssertEqual(
            records.all.filter { $0.level == .warning }.count,
            1,
            "a job submitted to a running center gives no warning"
        )
    }

    func testDetailsThatDoNotDecode_areLeftOutOfReports_andLoggedOnceWithoutTheirText() async throws {
        let records = LogRecords()
        let store = InMemoryJobStore()
        let center = try JobCenter(
            kind: ScriptedJob(),
            store: store,
            configuration: .testing(),
            backgroundLogger: Logger(label: "test", factory: { _ in records.handler() })
        )
        let submitted = try await center.submit(.init(text: "x"), userID: "jane")
        // Details written by another version of the kind: a shape this one cannot read.
        let stored = try await store.record(for: submitted.jobID, userID: "jane")
        var record = try XCTUnwrap(stored)
        record.status = .completed
        record.revision += 1
        record.details = #"{"secret":"Jane's salary"}"#
        let written = try await store.update(record, condition: .revision(record.revision - 1))
        XCTAssertTrue(written)

        for _ in 0..<3 {
            let report = try await center.status(of: submitted.jobID, userID: "jane")
            XCTAssertEqual(report.status, .completed)
            XCTAssertNil(report.details)
        }
        let warnings = records.all.filter { $0.message.contains("details could not be decoded") }
        XCTAssertEqual(warnings.count, 1, "logged once per revision")
        XCTAssertEqual(warnings.first?.metadata["job.id"], "\(submitted.jobID)")
        XCTAssertEqual(warnings.first?.metadata["error.type"], "DecodingError")
        XCTAssertFalse(records.all.contains { "\($0.message) \($0.metadata)".contains("salary") })
    }

    // MARK: Log lines

    func testEveryJobLogLine_namesTheJobAndTheUser_inOneKeyStyle() async throws {
        let records = LogRecords()
        let center = try makeCenter(logger: Logger(label: "test", factory: { _ in records.handler() }))

        try await withRunningJobCenter(center) { center in
            let completed = try await center.submit(
                .init(resume: Data(resume.utf8), jobDescription: jobDescription),
                userID: "jane"
            )
            let failed = try await center.submit(.init(resume: Data(), jobDescription: jobDescription), userID: "jane")
            _ = try await center.wait(for: completed.jobID, userID: "jane", timeout: .seconds(10))
            _ = try await center.wait(for: failed.jobID, userID: "jane", timeout: .seconds(10))
            try await center.delete(completed.jobID, userID: "jane")
        }

        let jobLines = records.all.filter { $0.metadata["job.id"] != nil }
        XCTAssertGreaterThanOrEqual(jobLines.count, 4, "submitted, completed, failed, deleted at least")
        for line in jobLines {
            XCTAssertEqual(line.metadata["user.id"], "jane", "'\(line.message)' names the user")
        }
        XCTAssertTrue(jobLines.contains { $0.metadata["job.error_code"] == "emptyInput" })
        // One style: dotted lower-case namespaces, words joined by underscores (job.error_code).
        for key in Set(records.all.flatMap(\.metadata.keys)) {
            XCTAssertTrue(key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "." || $0 == "_" }, key)
        }
    }
}

/// Keeps what a logger logged, for assertions.
final class LogRecords: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let records = NIOLockedValueBox<[Record]>([])

    var all: [Record] { records.withLockedValue { $0 } }

    func handler() -> Handler { Handler(records: self) }

    fileprivate func append(_ record: Record) { records.withLockedValue { $0.append(record) } }

    struct Handler: LogHandler {
        let records: LogRecords
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            for (key, value) in event.metadata ?? [:] { merged[key] = value }
            records.append(
                Record(
                    level: event.level,
                    message: "\(event.message)",
                    metadata: merged.mapValues { "\($0)" }
                )
            )
        }
    }
}
