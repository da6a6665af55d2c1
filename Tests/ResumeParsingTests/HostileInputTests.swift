import Foundation
import ResumeParsing
import XCTest

/// Hostile and broken inputs, generated here rather than stored: each must be refused with a typed error,
/// quickly, without reading anything it should not.
final class HostileInputTests: XCTestCase {
    // MARK: Zip bombs

    /// A document.xml of `size` bytes of spaces inside a text run: it deflates about a thousand times.
    private func bomb(size: Int, xml: Bool = true) -> Data {
        var zip = ZipWriter()
        let document =
            xml
            ? "<?xml version=\"1.0\"?><w:document xmlns:w=\"\(DocxBuilder.wordNamespace)\"><w:body><w:p><w:r><w:t>"
                + String(repeating: " ", count: size) + "</w:t></w:r></w:p></w:body></w:document>"
            : String(repeating: "\u{0}", count: size)
        zip.add(
            "[Content_Types].xml",
            """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Override PartName="/word/document.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
            """
        )
        zip.add(
            "_rels/.rels",
            """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
            Target="word/document.xml"/></Relationships>
            """
        )
        zip.add("word/document.xml", document)
        return zip.archive()
    }

    func testParse_whenZipBombDeclaresHonestSizes_throwsCompressionRatioLimit() {
        let data = bomb(size: 4 * 1024 * 1024)
        XCTAssertLessThan(data.count, 40 * 1024)
        XCTAssertThrowsParsingError(try ResumeParser().parse(data), code: .limitExceeded) { error in
            XCTAssertEqual(error.limit, .compressionRatio)
            XCTAssertEqual(error.partName, "word/document.xml")
        }
    }

    func testParse_whenZipBombIsNotXMLAtAll_throwsTheLimitNotMalformedXML() {
        let data = bomb(size: 4 * 1024 * 1024, xml: false)
        XCTAssertLessThan(data.count, 40 * 1024)
        XCTAssertThrowsParsingError(try ResumeParser().parse(data), code: .limitExceeded) { error in
            XCTAssertEqual(error.limit, .compressionRatio)
            XCTAssertEqual(error.partName, "word/document.xml")
        }
        // A small part that is simply not XML stays malformed XML.
        XCTAssertThrowsParsingError(try ResumeParser().parse(bomb(size: 1000, xml: false)), code: .malformedXML)
    }

    func testParse_whenZipBombLiesAboutItsSize_stillStopsWhileInflating() {
        let data = bomb(size: 4 * 1024 * 1024).declaringUncompressedSize(1_000)
        XCTAssertThrowsParsingError(try ResumeParser().parse(data), code: .limitExceeded) { error in
            XCTAssertEqual(error.limit, .compressionRatio)
        }
        var configuration = ResumeParser.Configuration()
        configuration.maximumCompressionRatio = .infinity
        configuration.maximumInflatedPartSize = 1024 * 1024
        XCTAssertThrowsParsingError(
            try ResumeParser(configuration: configuration).parse(data),
            code: .limitExceeded
        ) { error in
            XCTAssertEqual(error.limit, .inflatedPartSize)
        }
    }

    func testParse_whenPartsTogetherInflatePastTheTotal_throwsInflatedTotalSizeLimit() {
        var builder = DocxBuilder(body: paragraph("Body"))
        let filler = DocxBuilder.part("hdr", paragraph(String(repeating: "header text ", count: 10_000)))
        for number in 1...5 {
            builder.addPart(type: "header", name: "word/header\(number).xml", xml: filler)
        }
        var configuration = ResumeParser.Configuration()
        configuration.maximumInflatedTotalSize = 300_000
        configuration.maximumCompressionRatio = .infinity
        XCTAssertThrowsParsingError(try parseDocx(builder, configuration: configuration), code: .limitExceeded) {
            XCTAssertEqual($0.limit, .inflatedTotalSize)
        }
    }

    func testParse_whenArchiveHasTooManyEntries_throwsArchiveEntryCountLimit() {
        var builder = DocxBuilder(body: paragraph("Body"))
        builder.extraEntries = (0..<1_001).map { ("media/\($0).txt", "x") }
        XCTAssertThrowsParsingError(try parseDocx(builder), code: .limitExceeded) {
            XCTAssertEqual($0.limit, .archiveEntryCount)
        }
    }

    // MARK: XML attacks

    func testParse_whenPartDeclaresBillionLaughs_refusesTheDTD() {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE w:document [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <w:document xmlns:w="\(DocxBuilder.wordNamespace)"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>
            """
        var builder = DocxBuilder(body: "")
        builder.mainPartName = "word/main.xml"
        let data = replacingMainPart(of: builder, with: laughs)
        XCTAssertThrowsParsingError(try ResumeParser().parse(data), code: .forbiddenDocumentType)
    }

    func testParse_whenPartDeclaresExternalEntityToLocalFile_neverReadsTheFile() throws {
        let secret = "TOP-SECRET-\(UUID().uuidString)"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("xxe-\(UUID().uuidString).txt")
        try Data(secret.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        // The DOCTYPE follows a comment, so a check of the first bytes alone would not see it.
        let xxe = """
            <?xml version="1.0"?><!-- resume -->
            <!DOCTYPE w:document [<!ENTITY xxe SYSTEM "\(url.absoluteString)">]>
            <w:document xmlns:w="\(DocxBuilder.wordNamespace)"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>
            """
        let data = replacingMainPart(of: DocxBuilder(body: ""), with: xxe)
        XCTAssertThrowsParsingError(try ResumeParser().parse(data), code: .forbiddenDocumentType) { error in
            XCTAssertFalse(error.description.contains(secret))
        }
    }

    func testParse_whenEntityIsUsedWithoutDeclaration_throwsMalformedXML() {
        let xml = """
            <?xml version="1.0"?><w:document xmlns:w="\(DocxBuilder.wordNamespace)"><w:body><w:p><w:r>\
            <w:t>&undefined;</w:t></w:r></w:p></w:body></w:document>
            """
        XCTAssertThrowsParsingError(
            try ResumeParser().parse(replacingMainPart(of: DocxBuilder(body: ""), with: xml)),
            code: .malformedXML
        )
    }

    func testParse_whenElementsNestDeeperThanTheLimit_throwsXMLNestingDepthLimit() {
        let nested =
            String(repeating: "<w:customXml>", count: 200) + paragraph("deep")
            + String(repeating: "</w:customXml>", count: 200)
        XCTAssertThrowsParsingError(try parseDocx(body: nested), code: .limitExceeded) {
            XCTAssertEqual($0.limit, .xmlNestingDepth)
        }
        let veryDeep = String(repeating: "<w:customXml>", count: 5_000)
        XCTAssertThrowsParsingError(try parseDocx(body: veryDeep), code: .limitExceeded) {
            XCTAssertEqual($0.limit, .xmlNestingDepth)
        }
    }

    func testParse_whenTagNeverEnds_throwsXMLMarkupLengthLimit() {
        // An attribute value that never closes, followed by a megabyte of anything: libxml2 would hold it
        // all and rescan it on every read.
        let openTag = "<w:p w:rsidR=\"" + String(repeating: "0a1b2c3d>", count: 120_000)
        XCTAssertThrowsParsingError(try parseDocx(body: openTag), code: .limitExceeded) {
            XCTAssertEqual($0.limit, .xmlMarkupLength)
            XCTAssertEqual($0.partName, "word/document.xml")
        }
        let openComment = "<!--" + String(repeating: "- > ", count: 300_000)
        XCTAssertThrowsParsingError(try parseDocx(body: openComment), code: .limitExceeded) {
            XCTAssertEqual($0.limit, .xmlMarkupLength)
        }
    }

    func testParse_whenOneTagIsLongerThanTheLimit_isReadOnlyWithTheLimitRaised() throws {
        // A 100 KB attribute value, such as a large VML `o:gfxdata`, is well-formed but over the default.
        let value = (0..<20_000).map { String($0 &* 7_919 % 1_000_003) }.joined(separator: "+")
        let body = "<w:p w:rsidR=\"" + value + "\"><w:r><w:t>Long tag</w:t></w:r></w:p>"
        XCTAssertThrowsParsingError(try parseDocx(body: body), code: .limitExceeded) {
            XCTAssertEqual($0.limit, .xmlMarkupLength)
        }
        var configuration = ResumeParser.Configuration()
        configuration.maximumXMLMarkupLength = 256 * 1024
        XCTAssertEqual(try parseDocx(DocxBuilder(body: body), configuration: configuration).text, "Long tag")
    }

    func testParse_whenTextBetweenTagsIsLong_isNotLimitedByTheMarkupLength() throws {
        // Numbers that do not repeat, so the part stays under the compression-ratio limit.
        let longText = (0..<100_000).map { String($0 &* 7_919 % 1_000_003) }.joined(separator: " ")
        let resume = try parseDocx(body: paragraph(longText))
        XCTAssertEqual(resume.text, longText)
    }

    func testParse_whenMainPartIsMalformed_throwsMalformedXMLWithoutDocumentText() {
        let secret = "CONFIDENTIAL-SALARY-123"
        let xml = "<w:document xmlns:w=\"\(DocxBuilder.wordNamespace)\"><w:body><w:p><w:r><w:t>\(secret)</w:r>"
        XCTAssertThrowsParsingError(
            try ResumeParser().parse(replacingMainPart(of: DocxBuilder(body: ""), with: xml)),
            code: .malformedXML
        ) { error in
            XCTAssertFalse(error.description.contains(secret))
            XCTAssertEqual(error.partName, "word/document.xml")
        }
    }

    func testParse_whenTextIsLongerThanTheLimit_throwsTextLengthLimit() {
        var configuration = ResumeParser.Configuration()
        configuration.maximumTextLength = 1_000
        XCTAssertThrowsParsingError(
            try parseDocx(
                DocxBuilder(body: paragraph(String(repeating: "word ", count: 500))),
                configuration: configuration
            ),
            code: .limitExceeded
        ) {
            XCTAssertEqual($0.limit, .textLength)
        }
    }

    func testParse_whenPartHasBytesItsEncodingCannotConvert_writesNothingToStandardError() throws {
        // libxml2 reports a failed conversion, quoting the bytes, on its generic error channel, which
        // prints to stderr: a stranger's bytes must not reach the host's logs that way.
        let xml =
            Data(
                """
                <?xml version="1.0" encoding="EUC-JP"?><w:document xmlns:w="\(DocxBuilder.wordNamespace)">\
                <w:body><w:p><w:r><w:t>
                """.utf8
            ) + Data([0x8F, 0xFF, 0xFF, 0x22, 0x8E, 0x20]) + Data("</w:t></w:r></w:p></w:body></w:document>".utf8)
        var outcome: Result<ResumeDocument, ResumeParsingError>?
        let written = try capturingStandardError {
            outcome = Result { () throws(ResumeParsingError) in
                try ResumeParser().parse(replacingMainPart(of: DocxBuilder(body: ""), with: xml))
            }
        }
        XCTAssertEqual(written, "")
        guard case .failure(let error) = outcome else {
            return XCTFail("expected a refusal, got \(String(describing: outcome))")
        }
        XCTAssertEqual(error.code, .malformedXML)
    }

    // MARK: Broken archives

    func testParse_whenArchiveIsTruncated_throwsCorruptArchive() {
        let data = DocxBuilder(body: paragraph("Jane Doe")).data()
        XCTAssertThrowsParsingError(try ResumeParser().parse(data.prefix(data.count / 2)), code: .corruptArchive)
    }

    func testParse_whenCompressedDataIsDamaged_throwsCorruptArchive() {
        let builder = DocxBuilder(body: paragraph(String(repeating: "Experienced engineer. ", count: 200)))
        var data = builder.data()
        // Damage bytes in the middle of the archive, inside compressed data.
        let middle = data.count / 2
        for offset in middle..<(middle + 16) { data[offset] ^= 0xFF }
        XCTAssertThrowsParsingError(try ResumeParser().parse(data), code: .corruptArchive)
    }

    func testParse_whenZipHasNoMainDocument_throwsMissingMainDocument() {
        var zip = ZipWriter()
        zip.add("notes.txt", "just a zip")
        XCTAssertThrowsParsingError(try ResumeParser().parse(zip.archive()), code: .missingMainDocument)
    }

    // MARK: Helpers

    /// The package of `builder` with its main part's XML replaced verbatim.
    private func replacingMainPart(of builder: DocxBuilder, with xml: String) -> Data {
        replacingMainPart(of: builder, with: Data(xml.utf8))
    }

    /// What `body` writes to the standard error stream (file descriptor 2), libxml2's default channel.
    private func capturingStandardError(_ body: () throws -> Void) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try FileHandle(forWritingTo: url)
        defer { try? file.close() }
        fflush(nil)
        let saved = dup(STDERR_FILENO)
        dup2(file.fileDescriptor, STDERR_FILENO)
        defer {
            fflush(nil)
            dup2(saved, STDERR_FILENO)
            close(saved)
        }
        try body()
        fflush(nil)
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The package of `builder` with its main part's bytes replaced verbatim.
    private func replacingMainPart(of builder: DocxBuilder, with xml: Data) -> Data {
        var zip = ZipWriter()
        zip.add(
            "[Content_Types].xml",
            """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Override PartName="/\(builder.mainPartName)" ContentType="\(builder.mainContentType)"/></Types>
            """
        )
        zip.add(
            "_rels/.rels",
            """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
            Target="\(builder.mainPartName)"/></Relationships>
            """
        )
        zip.add(builder.mainPartName, data: xml)
        return zip.archive()
    }
}
