import ResumeParsing
import XCTest

/// The format comes from the content, never from the name; everything that is not text or a Word document
/// gets a specific refusal.
final class FormatDetectionTests: XCTestCase {
    func testParse_whenDocxIsNamedTxt_readsItAsDocx() throws {
        let data = DocxBuilder(body: paragraph("Jane Doe")).data()
        let resume = try ResumeParser().parse(data, fileNameHint: "resume.txt")
        XCTAssertEqual(resume.format, .docx)
        XCTAssertEqual(resume.text, "Jane Doe")
    }

    func testParse_whenInputIsPDF_refusesAsUnsupportedPDF() {
        let pdf = Data("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".utf8)
        XCTAssertThrowsParsingError(
            try ResumeParser().parse(pdf, fileNameHint: "resume.docx"),
            code: .unsupportedFormat
        ) {
            XCTAssertEqual($0.detectedFormat, .pdf)
        }
    }

    func testParse_whenInputIsRTF_refusesAsUnsupportedRTF() {
        let rtf = Data("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Jane Doe\\par }".utf8)
        XCTAssertThrowsParsingError(try ResumeParser().parse(rtf), code: .unsupportedFormat) {
            XCTAssertEqual($0.detectedFormat, .rtf)
        }
    }

    func testParse_whenInputIsODT_refusesAsUnsupportedODT() {
        var zip = ZipWriter()
        zip.add("mimetype", "application/vnd.oasis.opendocument.text", compression: .store)
        zip.add("content.xml", "<office:document-content/>")
        XCTAssertThrowsParsingError(try ResumeParser().parse(zip.archive()), code: .unsupportedFormat) {
            XCTAssertEqual($0.detectedFormat, .odt)
        }
    }

    func testParse_whenInputIsSpreadsheetOrPresentation_refusesWithItsFormat() {
        let cases: [(String, String, DocumentFormat)] = [
            ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", .xlsx),
            (
                "ppt/presentation.xml",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", .pptx
            ),
        ]
        for (mainPart, contentType, format) in cases {
            var builder = DocxBuilder(body: paragraph("Cell"))
            builder.mainPartName = mainPart
            builder.mainContentType = contentType
            XCTAssertThrowsParsingError(try parseDocx(builder), code: .unsupportedFormat) {
                XCTAssertEqual($0.detectedFormat, format)
            }
        }
    }

    func testParse_whenInputIsImage_refusesAsUnsupportedImage() {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
        XCTAssertThrowsParsingError(try ResumeParser().parse(png), code: .unsupportedFormat) {
            XCTAssertEqual($0.detectedFormat, .image)
        }
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + Data("JFIF".utf8)
        XCTAssertThrowsParsingError(try ResumeParser().parse(jpeg), code: .unsupportedFormat)
    }

    func testParse_whenInputIsLegacyDoc_refusesAsLegacyWordDocument() {
        let ole = CompoundFileBuilder.file(streamNames: ["WordDocument", "1Table", "\u{05}SummaryInformation"])
        XCTAssertThrowsParsingError(
            try ResumeParser().parse(ole, fileNameHint: "resume.docx"),
            code: .legacyWordDocument
        ) {
            XCTAssertEqual($0.detectedFormat, .doc)
        }
    }

    func testParse_whenInputIsEncryptedDocx_refusesAsEncryptedDocument() {
        let ole = CompoundFileBuilder.file(streamNames: ["EncryptionInfo", "EncryptedPackage", "\u{06}DataSpaces"])
        XCTAssertThrowsParsingError(
            try ResumeParser().parse(ole, fileNameHint: "resume.docx"),
            code: .encryptedDocument
        )
    }

    func testParse_whenOLEFileIsOfUnknownKind_refusesAsUnsupportedCompoundFile() {
        let ole = CompoundFileBuilder.file(streamNames: ["Contents"])
        XCTAssertThrowsParsingError(try ResumeParser().parse(ole), code: .unsupportedFormat) {
            XCTAssertEqual($0.detectedFormat, .compoundFile)
        }
    }

    func testParse_whenInputIsRandomBytes_refusesAsNotText() {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = 0x01  // never a magic number
        XCTAssertThrowsParsingError(try ResumeParser().parse(Data(bytes)), code: .notATextDocument)
    }

    func testParse_whenInputIsAnExecutable_refusesAsNotText() {
        let elf = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]) + Data(repeating: 0x41, count: 64)
        XCTAssertThrowsParsingError(try ResumeParser().parse(elf), code: .notATextDocument)
    }

    func testParse_whenInputIsWord2003XML_refusesAsUnsupported() {
        let xml = Data(
            """
            <?xml version="1.0"?><?mso-application progid="Word.Document"?>
            <w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body/></w:wordDocument>
            """.utf8
        )
        XCTAssertThrowsParsingError(try ResumeParser().parse(xml), code: .unsupportedFormat) {
            XCTAssertEqual($0.detectedFormat, .wordXML)
        }
    }
}

/// Writes a minimal OLE compound file (MS-CFB version 3) whose directory lists the given stream names.
enum CompoundFileBuilder {
    static func file(streamNames: [String]) -> Data {
        var header = [UInt8](repeating: 0, count: 512)
        func put32(_ value: UInt32, _ offset: Int, in bytes: inout [UInt8]) {
            for shift in 0..<4 { bytes[offset + shift] = UInt8((value >> (8 * UInt32(shift))) & 0xFF) }
        }
        func put16(_ value: UInt16, _ offset: Int, in bytes: inout [UInt8]) {
            bytes[offset] = UInt8(value & 0xFF)
            bytes[offset + 1] = UInt8(value >> 8)
        }
        header.replaceSubrange(0..<8, with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        put16(0x3E, 0x18, in: &header)
        put16(3, 0x1A, in: &header)
        put16(0xFFFE, 0x1C, in: &header)
        put16(9, 0x1E, in: &header)
        put16(6, 0x20, in: &header)
        put32(1, 0x2C, in: &header)  // one FAT sector
        put32(1, 0x30, in: &header)  // directory starts at sector 1
        put32(4096, 0x38, in: &header)
        put32(0xFFFF_FFFE, 0x3C, in: &header)
        put32(0xFFFF_FFFE, 0x44, in: &header)
        for index in 0..<109 { put32(0xFFFF_FFFF, 0x4C + index * 4, in: &header) }
        put32(0, 0x4C, in: &header)  // FAT in sector 0

        var fat = [UInt8](repeating: 0xFF, count: 512)
        put32(0xFFFF_FFFD, 0, in: &fat)  // sector 0 holds the FAT
        put32(0xFFFF_FFFE, 4, in: &fat)  // sector 1 (directory) ends its chain

        var directory = [UInt8](repeating: 0, count: 512)
        let names = ["Root Entry"] + streamNames.prefix(3)
        for (index, name) in names.enumerated() {
            let base = index * 128
            let units = Array(name.utf16)
            for (position, unit) in units.enumerated() { put16(unit, base + position * 2, in: &directory) }
            put16(UInt16((units.count + 1) * 2), base + 64, in: &directory)
            directory[base + 66] = index == 0 ? 5 : 2
        }
        return Data(header + fat + directory)
    }
}
