import Foundation
import ResumeParsing
import XCTest

/// `checkFormat` refuses what `parse` refuses for its format, without reading the text of a Word document.
final class FormatCheckTests: XCTestCase {
    private func samples() -> [(name: String, data: Data)] {
        var odt = ZipWriter()
        odt.add("mimetype", "application/vnd.oasis.opendocument.text", compression: .store)
        odt.add("content.xml", "<office:document-content/>")
        var spreadsheet = DocxBuilder(body: paragraph("Cell"))
        spreadsheet.mainPartName = "xl/workbook.xml"
        spreadsheet.mainContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        var notWord = ZipWriter()
        notWord.add("readme.txt", "just a zip")
        var random = (0..<4096).map { _ in UInt8.random(in: 0...255) }
        random[0] = 0x01
        return [
            ("docx", DocxBuilder(body: paragraph("Jane Doe")).data()),
            ("text", Data("Jane Doe\nEngineer\n".utf8)),
            ("pdf", Data("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".utf8)),
            ("rtf", Data("{\\rtf1\\ansi Jane Doe\\par }".utf8)),
            ("odt", odt.archive()),
            ("xlsx", spreadsheet.data()),
            ("zip that is not Word", notWord.archive()),
            ("png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])),
            ("doc", CompoundFileBuilder.file(streamNames: ["WordDocument", "1Table"])),
            ("encrypted", CompoundFileBuilder.file(streamNames: ["EncryptionInfo", "EncryptedPackage"])),
            ("random bytes", Data(random)),
            ("empty", Data()),
        ]
    }

    func testCheckFormat_agreesWithParse_onEveryKindOfInput() {
        let parser = ResumeParser()
        for (name, data) in samples() {
            let parsed = Result { () throws(ResumeParsingError) in try parser.parse(data) }
            let checked = Result { () throws(ResumeParsingError) in try parser.checkFormat(data) }
            switch (parsed, checked) {
            case (.success(let document), .success(let format)):
                XCTAssertEqual(format, document.format, name)
            case (.failure(let parseError), .failure(let checkError)):
                XCTAssertEqual(checkError.code, parseError.code, name)
                XCTAssertEqual(checkError.detectedFormat, parseError.detectedFormat, name)
                XCTAssertEqual(checkError.message, parseError.message, name)
            default:
                XCTFail("\(name): parse gave \(parsed), checkFormat \(checked)")
            }
        }
    }

    func testCheckFormat_ofAWordDocument_doesNotReadItsMainPart() throws {
        var builder = DocxBuilder(body: paragraph("Jane Doe"))
        builder.encodePart = { part, xml in
            part == "word/document.xml" ? Data("<w:document><unclosed".utf8) : Data(xml.utf8)
        }
        let data = builder.data()

        XCTAssertEqual(try ResumeParser().checkFormat(data), .docx)
        XCTAssertThrowsError(try ResumeParser().parse(data), "the full parse reads the broken main part")
    }

    func testCheckFormat_refusesInputOverTheSizeLimit() {
        var configuration = ResumeParser.Configuration()
        configuration.maximumInputSize = 100
        let data = Data(repeating: UInt8(ascii: "a"), count: 101)

        XCTAssertThrowsParsingError(
            try ResumeParser(configuration: configuration).checkFormat(data),
            code: .limitExceeded
        )
    }
}
