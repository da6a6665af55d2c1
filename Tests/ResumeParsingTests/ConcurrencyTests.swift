import ResumeParsing
import XCTest

/// Parsing is safe from many tasks at once, and the public types are `Sendable` (checked at compile time).
final class ConcurrencyTests: XCTestCase {
    func testParse_fromManyTasksAtOnce_returnsTheSameResult() async throws {
        let data = DocxBuilder(body: paragraph("Jane Doe") + paragraph("Swift engineer")).data()
        let parser = ResumeParser()
        let expected = try parser.parse(data)
        let results = try await withThrowingTaskGroup(of: ResumeDocument.self) { group in
            for _ in 0..<32 {
                group.addTask { try parser.parse(data) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(results.count, 32)
        XCTAssertTrue(results.allSatisfy { $0 == expected })
    }

    func testPublicTypes_areSendable() {
        func requireSendable<T: Sendable>(_: T.Type) {}
        requireSendable(ResumeParser.self)
        requireSendable(ResumeParser.Configuration.self)
        requireSendable(ResumeDocument.self)
        requireSendable(ResumeDocument.Block.self)
        requireSendable(DocumentFormat.self)
        requireSendable(DocumentMetadata.self)
        requireSendable(ParsingDiagnostics.self)
        requireSendable(ResumeParsingError.self)
    }
}
