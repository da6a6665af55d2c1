import ResumeParsing
import XCTest

/// Plain-text resumes: encodings, line endings, and what is not text.
final class PlainTextReaderTests: XCTestCase {
    func testParse_whenTextIsUTF8_returnsItWithLinesAsBlocks() throws {
        let resume = try ResumeParser().parse(Data("Jane Doe\nSwift engineer — Zürich\n\n- Led the team\n".utf8))
        XCTAssertEqual(resume.format, .plainText)
        XCTAssertEqual(resume.text, "Jane Doe\nSwift engineer — Zürich\n\n- Led the team\n")
        XCTAssertEqual(resume.diagnostics.textEncoding, "utf-8")
        XCTAssertEqual(
            resume.blocks,
            [
                .paragraph(text: "Jane Doe"), .paragraph(text: "Swift engineer — Zürich"),
                .listItem(text: "Led the team", level: 0, marker: "-"),
            ]
        )
    }

    func testParse_whenTextHasUTF8ByteOrderMark_dropsTheMark() throws {
        let resume = try ResumeParser().parse(Data([0xEF, 0xBB, 0xBF]) + Data("Jane".utf8))
        XCTAssertEqual(resume.text, "Jane")
    }

    func testParse_whenTextIsUTF16WithByteOrderMark_decodesBothByteOrders() throws {
        let text = "Jane Doe – Résumé"
        let littleEndian =
            Data([0xFF, 0xFE])
            + text.utf16.reduce(into: Data()) { data, unit in
                data.append(UInt8(unit & 0xFF))
                data.append(UInt8(unit >> 8))
            }
        let bigEndian =
            Data([0xFE, 0xFF])
            + text.utf16.reduce(into: Data()) { data, unit in
                data.append(UInt8(unit >> 8))
                data.append(UInt8(unit & 0xFF))
            }
        let little = try ResumeParser().parse(littleEndian)
        XCTAssertEqual(little.text, text)
        XCTAssertEqual(little.diagnostics.textEncoding, "utf-16le")
        XCTAssertEqual(try ResumeParser().parse(bigEndian).text, text)
    }

    func testParse_whenTextIsNotValidUTF8_decodesWindows1252() throws {
        // "Café – “quoted” €5" in Windows-1252.
        let bytes: [UInt8] = [
            0x43, 0x61, 0x66, 0xE9, 0x20, 0x96, 0x20, 0x93, 0x71, 0x75, 0x6F, 0x74, 0x65, 0x64, 0x94, 0x20, 0x80, 0x35,
        ]
        let resume = try ResumeParser().parse(Data(bytes))
        XCTAssertEqual(resume.text, "Café – “quoted” €5")
        XCTAssertEqual(resume.diagnostics.textEncoding, "windows-1252")
    }

    func testParse_whenLinesEndWithCRLFOrCR_normalisesToLineFeeds() throws {
        let resume = try ResumeParser().parse(Data("One\r\nTwo\rThree\n".utf8))
        XCTAssertEqual(resume.text, "One\nTwo\nThree\n")
    }

    func testParse_whenTextHasNULBytes_refusesAsNotText() {
        XCTAssertThrowsParsingError(try ResumeParser().parse(Data("Jane\u{0}Doe".utf8)), code: .notATextDocument)
    }

    func testParse_whenTextHasManyControlCharacters_refusesAsNotText() {
        let bytes = (0..<200).map { UInt8($0 % 2 == 0 ? 0x41 : 0x01) }
        XCTAssertThrowsParsingError(try ResumeParser().parse(Data(bytes)), code: .notATextDocument)
    }

    func testParse_whenLineIsVeryLong_readsItWithinTheTextLimit() throws {
        let line = String(repeating: "keyword ", count: 100_000)
        XCTAssertEqual(try ResumeParser().parse(Data(line.utf8)).text.count, line.count)
        var configuration = ResumeParser.Configuration()
        configuration.maximumTextLength = 100_000
        XCTAssertThrowsParsingError(
            try ResumeParser(configuration: configuration).parse(Data(line.utf8)),
            code: .limitExceeded
        ) {
            XCTAssertEqual($0.limit, .textLength)
        }
    }

    func testParse_whenTextHasOnlyPunctuation_throwsNoText() {
        XCTAssertThrowsParsingError(try ResumeParser().parse(Data(" \n--- ... \n".utf8)), code: .noText)
    }

    func testParse_whenInputIsEmpty_throwsEmptyInput() {
        XCTAssertThrowsParsingError(try ResumeParser().parse(Data()), code: .emptyInput)
    }

    func testParse_whenInputIsLargerThanTheLimit_throwsInputSizeLimit() {
        let parser = ResumeParser(configuration: .init(maximumInputSize: 100))
        XCTAssertThrowsParsingError(try parser.parse(Data(repeating: 0x41, count: 101)), code: .limitExceeded) {
            XCTAssertEqual($0.limit, .inputSize)
        }
    }

    func testParse_whenBase64IsValid_decodesAndParses() throws {
        let encoded = Data("Jane Doe".utf8).base64EncodedString(options: .lineLength64Characters)
        XCTAssertEqual(try ResumeParser().parse(base64Encoded: encoded).text, "Jane Doe")
    }

    func testParse_whenBase64IsInvalid_throwsInvalidBase64() {
        XCTAssertThrowsParsingError(try ResumeParser().parse(base64Encoded: "not*base64!"), code: .invalidBase64)
    }

    func testParse_whenFileExists_readsItAndWhenMissing_throwsUnreadableFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString).docx")
        try DocxBuilder(body: paragraph("From disk")).data().write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertEqual(try ResumeParser().parse(contentsOf: url).text, "From disk")
        XCTAssertThrowsParsingError(
            try ResumeParser().parse(contentsOf: url.appendingPathExtension("missing")),
            code: .unreadableFile
        )
    }
}
