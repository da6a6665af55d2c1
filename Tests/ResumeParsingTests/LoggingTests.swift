import Foundation
import Logging
import ResumeParsing
import XCTest

/// The parser logs outcomes at debug level to the logger it is given, with codes and counts only.
final class LoggingTests: XCTestCase {
    func testParse_whenGivenALogger_logsTheOutcomeWithoutDocumentText() throws {
        let recorder = RecordingLogHandler.Recorder()
        var logger = Logger(label: "test") { _ in RecordingLogHandler(recorder: recorder) }
        logger.logLevel = .debug
        let secret = "Confidential salary 123456"

        _ = try ResumeParser().parse(DocxBuilder(body: paragraph(secret)).data(), logger: logger)
        XCTAssertThrowsParsingError(
            try ResumeParser().parse(Data("%PDF-1.4 \(secret)".utf8), logger: logger),
            code: .unsupportedFormat
        )

        let entries = recorder.entries
        XCTAssertEqual(entries.map(\.message), ["Parsed a document", "Refused a document"])
        XCTAssertEqual(entries[0].metadata["parsing.format"], "docx")
        XCTAssertEqual(entries[1].metadata["parsing.error"], "unsupportedFormat")
        XCTAssertFalse(entries.contains { $0.metadata.values.contains { $0.contains("Confidential") } })
    }
}

/// A log handler that keeps what it is given, for assertions.
struct RecordingLogHandler: LogHandler {
    struct Entry: Sendable {
        var message: String
        var metadata: [String: String]
    }

    final class Recorder: @unchecked Sendable {  // Guarded by `lock`.
        private let lock = NSLock()
        private var storage: [Entry] = []

        var entries: [Entry] { lock.withLock { storage } }

        func append(_ entry: Entry) {
            lock.withLock { storage.append(entry) }
        }
    }

    let recorder: Recorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var flattened: [String: String] = [:]
        for (key, value) in event.metadata ?? [:] { flattened[key] = "\(value)" }
        recorder.append(Entry(message: "\(event.message)", metadata: flattened))
    }
}
