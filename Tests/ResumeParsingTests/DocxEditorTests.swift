import Foundation
import ResumeParsing
import XCTest

/// The in-place editor on generated documents, one construct at a time: every result is checked for
/// soundness, read back, and (with tracked changes) accepted and rejected.
final class DocxEditorTests: XCTestCase {
    private let parser = ResumeParser()
    private let date = Date(timeIntervalSince1970: 1_800_000_000)

    /// Edits `original` to `newText`, checks the result clean and tracked, and returns the clean result.
    @discardableResult
    private func edit(
        _ original: Data,
        to newText: String,
        expect expected: String? = nil,
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> DocxEditor.Result {
        let document = try parser.parse(original)
        let editor = DocxEditor(parser: parser)
        let clean = try editor.edit(original, document: document, newText: newText)
        DocxInspector.assertSound(original: original, edited: clean.data, file: file, line: line)
        XCTAssertEqual(clean.document.text, expected ?? newText, "clean read-back", file: file, line: line)
        let tracked = try editor.edit(
            original,
            document: document,
            newText: newText,
            options: .init(trackChanges: true, date: date)
        )
        DocxInspector.assertSound(original: original, edited: tracked.data, file: file, line: line)
        let accepted = try parser.parse(DocxInspector.acceptAll(tracked.data))
        XCTAssertEqual(accepted.text, expected ?? newText, "accept all", file: file, line: line)
        let rejected = try parser.parse(DocxInspector.rejectAll(tracked.data))
        // Rejecting every revision also rejects those the original already had.
        let originalRejected = try parser.parse(DocxInspector.rejectAll(original))
        XCTAssertEqual(rejected.text, originalRejected.text, "reject all", file: file, line: line)
        if clean.report.changedParagraphs + clean.report.addedParagraphs + clean.report.removedParagraphs > 0 {
            let xml = DocxInspector.mainPart(tracked.data)
            XCTAssertTrue(xml.contains("w:author=\"Resume Optimizer\""), file: file, line: line)
            XCTAssertTrue(xml.contains("w:date=\"2027-01-15T08:00:00Z\""), file: file, line: line)
        }
        return clean
    }

    private func docx(_ body: String, parts: [(String, String, String)] = []) -> Data {
        var builder = DocxBuilder(body: body)
        for part in parts { builder.addPart(type: part.0, name: part.1, xml: part.2) }
        return builder.data()
    }

    func testTrackedChangesUseTheDocumentsPrefixAndKeepTheAuthorAsGiven() throws {
        // The main part binds WordprocessingML to `x`, and the author's name holds ` w:` and `&`.
        var builder = DocxBuilder(body: paragraph("Led the team") + paragraph("Unchanged line"))
        builder.encodePart = { part, xml in
            guard part == "word/document.xml" else { return Data(xml.utf8) }
            return Data(
                xml.replacingOccurrences(of: "w:", with: "x:").replacingOccurrences(of: "xmlns:w=", with: "xmlns:x=")
                    .utf8
            )
        }
        let original = builder.data()
        let editor = DocxEditor(parser: parser)
        let tracked = try editor.edit(
            original,
            newText: "Directed the team\nUnchanged line",
            options: .init(trackChanges: true, author: "Ann w:x & Co", date: date)
        )
        DocxInspector.assertSound(original: original, edited: tracked.data)
        XCTAssertEqual(tracked.document.text, "Directed the team\nUnchanged line")
        let xml = DocxInspector.mainPart(tracked.data)
        XCTAssertTrue(xml.contains("x:author=\"Ann w:x &amp; Co\" x:date=\"2027-01-15T08:00:00Z\""), xml)
        XCTAssertFalse(xml.contains("w:author"), xml)
        XCTAssertTrue(xml.contains("<x:ins x:id="), xml)
        XCTAssertTrue(xml.contains("<x:del x:id="), xml)
    }

    func testMixedFormattingKeepsTheRunsOfKeptWords() throws {
        let original = docx(
            """
            <w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t xml:space="preserve">Led the team at </w:t></w:r>\
            <w:r><w:rPr><w:b/></w:rPr><w:t>Acme</w:t></w:r><w:r><w:t xml:space="preserve"> for years</w:t></w:r></w:p>
            """ + paragraph("Unchanged line")
        )
        let result = try edit(original, to: "Directed the team at Acme for five years\nUnchanged line")
        let xml = DocxInspector.mainPart(result.data)
        XCTAssertTrue(xml.contains("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Acme</w:t></w:r>"), xml)
        XCTAssertTrue(xml.contains("<w:pPr><w:jc w:val=\"left\"/></w:pPr>"))
        XCTAssertTrue(xml.contains(paragraph("Unchanged line")), "an unchanged paragraph is copied as it was")
        XCTAssertEqual(result.report.changedParagraphs, 1)
        XCTAssertTrue(result.report.refusals.isEmpty)
    }

    func testNewWordTakesTheFormattingOfTheWordItReplaces() throws {
        let original = docx(
            "<w:p><w:r><w:rPr><w:i/></w:rPr><w:t>Built</w:t></w:r><w:r><w:t xml:space=\"preserve\"> billing</w:t></w:r></w:p>"
        )
        let result = try edit(original, to: "Shipped billing")
        XCTAssertTrue(
            DocxInspector.mainPart(result.data).contains(
                "<w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\">Shipped</w:t>"
            )
        )
    }

    func testSpellCheckMarksAndRevisionIDsSplittingAParagraph() throws {
        let original = docx(
            """
            <w:p w:rsidR="00A1" w:rsidRDefault="00B2"><w:r w:rsidR="00C3"><w:t>Deve</w:t></w:r><w:proofErr w:type="spellStart"/>\
            <w:r w:rsidR="00D4"><w:t>loped</w:t></w:r><w:proofErr w:type="spellEnd"/><w:r><w:t xml:space="preserve"> </w:t></w:r>\
            <w:r w:rsidR="00E5"><w:t>APIs</w:t></w:r><w:r><w:t xml:space="preserve"> in Go</w:t></w:r></w:p>
            """
        )
        let result = try edit(original, to: "Developed REST APIs in Go")
        XCTAssertEqual(result.report.changedParagraphs, 1)
    }

    func testHyperlinkTextStaysInsideTheLink() throws {
        let original = docx(
            """
            <w:p><w:r><w:t xml:space="preserve">Portfolio: </w:t></w:r><w:hyperlink r:id="rId9" w:history="1">\
            <w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>example.dev</w:t></w:r></w:hyperlink></w:p>
            """
        )
        let result = try edit(original, to: "Work samples: example.dev")
        XCTAssertTrue(
            DocxInspector.mainPart(result.data).contains(
                "<w:hyperlink r:id=\"rId9\" w:history=\"1\"><w:r><w:rPr><w:rStyle w:val=\"Hyperlink\"/></w:rPr><w:t xml:space=\"preserve\">example.dev</w:t></w:r></w:hyperlink>"
            )
        )
    }

    private static let numbering = """
        <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>\
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        """

    private func listItem(_ text: String) -> String {
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>\(text)</w:t></w:r></w:p>"
    }

    func testAddedBulletClonesItsNeighbourAndRemovedBulletGoes() throws {
        let original = docx(
            paragraph("Experience") + listItem("Built the billing service") + listItem("Mentored two interns")
                + listItem("Wrote docs") + paragraph("Education"),
            parts: [("numbering", "word/numbering.xml", DocxBuilder.part("numbering", Self.numbering))]
        )
        let result = try edit(
            original,
            to:
                "Experience\n• Built the billing service in Swift\n• Led the on-call rotation\n• Mentored two interns\nEducation"
        )
        XCTAssertEqual(result.report.addedParagraphs, 1)
        XCTAssertEqual(result.report.removedParagraphs, 1)
        XCTAssertEqual(
            DocxInspector.mainPart(result.data).components(separatedBy: "<w:numId w:val=\"1\"/>").count - 1,
            3
        )
    }

    func testTablesAndNestedTablesAreEditedLikeBodyText() throws {
        let inner = "<w:tbl><w:tr><w:tc>\(paragraph("Swift"))</w:tc><w:tc>\(paragraph("Go"))</w:tc></w:tr></w:tbl>"
        let original = docx(
            """
            <w:tbl><w:tblPr/><w:tr><w:tc><w:tcPr/>\(paragraph("Acme Corp"))</w:tc><w:tc>\(paragraph("2019 to 2023"))</w:tc></w:tr>\
            <w:tr><w:tc>\(paragraph("Skills"))\(inner)</w:tc></w:tr></w:tbl>\(paragraph("End"))
            """
        )
        let document = try parser.parse(original)
        let newText = document.text.replacingOccurrences(of: "2019 to 2023", with: "2019 to 2024")
            .replacingOccurrences(of: "Go", with: "Rust")
        try edit(original, to: newText)
    }

    func testHeadersAndFootersAreNotTouched() throws {
        let header = DocxBuilder.part("hdr", paragraph("Jane Doe, Berlin"))
        let original = docx(paragraph("Summary line"), parts: [("header", "word/header1.xml", header)])
        let document = try parser.parse(original)
        XCTAssertEqual(document.text, "Jane Doe, Berlin\n\nSummary line")
        let result = try edit(
            original,
            to: "Jane Doe, Munich\n\nBetter summary line",
            expect: "Jane Doe, Berlin\n\nBetter summary line"
        )
        XCTAssertEqual(result.report.refusals.map(\.reason), [.notInBody])
    }

    func testTextBoxesAreLeftWithADiagnostic() throws {
        let box = """
            <w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>\
            <wps:wsp><wps:txbx><w:txbxContent>\(paragraph("Boxed words"))</w:txbxContent></wps:txbx></wps:wsp>\
            </a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>\
            <w:txbxContent>\(paragraph("Boxed words"))</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>\
            </mc:AlternateContent></w:r></w:p>
            """
        let original = docx(paragraph("Intro") + box + paragraph("Outro"))
        let document = try parser.parse(original)
        XCTAssertEqual(document.text, "Intro\nBoxed words\nOutro")
        let result = try edit(original, to: "Intro now\nBoxed text\nOutro", expect: "Intro now\nBoxed words\nOutro")
        XCTAssertEqual(result.report.refusals.map(\.reason), [.textBox])
    }

    func testFieldsAreLeftWithADiagnostic() throws {
        let field = """
            <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.dev" </w:instrText></w:r>\
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>example.dev</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
            """
        let page = "<w:p><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>"
        let original = docx(field + paragraph("Summary") + page)
        let result = try edit(original, to: "example.org\nBetter summary\n2", expect: "example.dev\nBetter summary\n1")
        XCTAssertEqual(result.report.refusals.map(\.reason), [.field, .field])
    }

    func testContentControlsAndSmartTags() throws {
        let original = docx(
            """
            <w:sdt><w:sdtPr><w:alias w:val="Name"/></w:sdtPr><w:sdtContent>\(paragraph("Jane Doe"))</w:sdtContent></w:sdt>\
            <w:sdt><w:sdtPr><w:dataBinding w:xpath="/a/b" w:storeItemID="{1}"/></w:sdtPr><w:sdtContent>\(paragraph("Bound value"))</w:sdtContent></w:sdt>\
            <w:p><w:smartTag w:uri="urn:x" w:element="place"><w:smartTagPr/><w:r><w:t>Berlin</w:t></w:r></w:smartTag><w:r><w:t xml:space="preserve"> office</w:t></w:r></w:p>\
            <w:p><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>Inline</w:t></w:r></w:sdtContent></w:sdt></w:p>
            """
        )
        let result = try edit(
            original,
            to: "Jane Q. Doe\nBound change\nBerlin head office\nInline change",
            expect: "Jane Q. Doe\nBound value\nBerlin head office\nInline"
        )
        XCTAssertEqual(result.report.refusals.map(\.reason), [.contentControl, .contentControl])
        XCTAssertTrue(
            DocxInspector.mainPart(result.data).contains(
                "<w:smartTag w:uri=\"urn:x\" w:element=\"place\"><w:smartTagPr/><w:r><w:t xml:space=\"preserve\">Berlin</w:t></w:r></w:smartTag>"
            )
        )
    }

    func testExistingTrackedChangesAreLeftWithADiagnostic() throws {
        let original = docx(
            """
            <w:p><w:r><w:t xml:space="preserve">Kept </w:t></w:r><w:ins w:id="7" w:author="A" w:date="2020-01-01T00:00:00Z"><w:r><w:t>added</w:t></w:r></w:ins>\
            <w:del w:id="8" w:author="A" w:date="2020-01-01T00:00:00Z"><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>\(paragraph("Other"))
            """
        )
        let result = try edit(original, to: "Kept changed\nOther line", expect: "Kept added\nOther line")
        XCTAssertEqual(result.report.refusals.map(\.reason), [.existingTrackedChange])
        // New revision ids start above the existing ones.
        let tracked = try DocxEditor().edit(
            original,
            newText: "Kept changed\nOther line",
            options: .init(trackChanges: true)
        )
        XCTAssertFalse(
            DocxInspector.matches(#"<w:ins w:id="(\d+)""#, in: DocxInspector.mainPart(tracked.data)).contains {
                Int($0)! <= 8 && $0 != "7"
            }
        )
    }

    func testBidiAndEastAsianText() throws {
        let original = docx(
            """
            <w:p><w:pPr><w:bidi/></w:pPr><w:r><w:rPr><w:rtl/></w:rPr><w:t>מהנדס תוכנה בכיר</w:t></w:r></w:p>\
            <w:p><w:r><w:rPr><w:rFonts w:eastAsia="MS Mincho"/></w:rPr><w:t>東京で決済システムを開発</w:t></w:r></w:p>
            """
        )
        let result = try edit(original, to: "מהנדס תוכנה ראשי\n東京で決済基盤を開発")
        let xml = DocxInspector.mainPart(result.data)
        XCTAssertTrue(xml.contains("<w:rPr><w:rtl/></w:rPr>"))
        XCTAssertTrue(xml.contains("<w:rFonts w:eastAsia=\"MS Mincho\"/>"))
    }

    func testAlternateContentIsLeftWithADiagnostic() throws {
        let picture = """
            <w:p><w:r><w:t xml:space="preserve">Portrait </w:t></w:r><w:r><mc:AlternateContent>\
            <mc:Choice Requires="wps"><w:drawing><wp:inline><a:graphic/></wp:inline></w:drawing></mc:Choice>\
            <mc:Fallback><w:pict><v:shape/></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
            """
        let original = docx(picture + paragraph("Summary"))
        let document = try parser.parse(original)
        let newText = document.text.replacingOccurrences(of: "Portrait", with: "Photo")
            .replacingOccurrences(of: "Summary", with: "Profile")
        let expected = document.text.replacingOccurrences(of: "Summary", with: "Profile")
        let result = try edit(original, to: newText, expect: expected)
        XCTAssertEqual(result.report.refusals.map(\.reason), [.alternateContent])
        XCTAssertTrue(DocxInspector.mainPart(result.data).contains(picture), "the paragraph is copied as it was")
    }

    func testAnAddedParagraphCopiesNeitherTheRevisionsNorTheSectionOfItsNeighbour() throws {
        let marked = """
            <w:p><w:pPr><w:jc w:val="center"/><w:rPr><w:ins w:id="4" w:author="A" w:date="2020-01-01T00:00:00Z"/></w:rPr>\
            <w:pPrChange w:id="3" w:author="A" w:date="2020-01-01T00:00:00Z"><w:pPr/></w:pPrChange></w:pPr>\
            <w:r><w:t>Skills</w:t></w:r></w:p>
            """
        let original = docx(marked + paragraph("End"))
        let result = try edit(original, to: "Skills\nSwift and Go\nEnd")
        let xml = DocxInspector.mainPart(result.data)
        XCTAssertEqual(result.report.addedParagraphs, 1)
        XCTAssertEqual(xml.components(separatedBy: "w:id=\"4\"").count - 1, 1, xml)
        XCTAssertEqual(xml.components(separatedBy: "w:id=\"3\"").count - 1, 1, xml)
        let centred = xml.components(separatedBy: "<w:jc w:val=\"center\"/>").count - 1
        XCTAssertEqual(centred, 2, "the copy keeps its layout")
    }

    func testAnAddedLineTakesAParagraphOfItsOwnKindNearby() throws {
        let original = docx(
            paragraph("Experience") + listItem("Built the billing service") + listItem("Mentored two interns")
                + paragraph("Speaks German"),
            parts: [("numbering", "word/numbering.xml", DocxBuilder.part("numbering", Self.numbering))]
        )
        // A bullet added under the heading clones the bullet below it; a plain line put where a bullet was
        // removed clones the plain paragraph, not the bullet.
        let newText =
            "Experience\n• Led the on-call rotation\n• Built the billing service\nDelivered on time\nSpeaks German"
        let result = try edit(original, to: newText)
        XCTAssertEqual(result.report.addedParagraphs, 2, "the removed bullet and the new plain line share no word")
        XCTAssertEqual(result.report.removedParagraphs, 1)
        XCTAssertEqual(
            DocxInspector.mainPart(result.data).components(separatedBy: "<w:numId w:val=\"1\"/>").count - 1,
            2
        )
    }

    func testADocumentWhoseBodyIsATableIsEdited() throws {
        let original = docx(
            "<w:tbl><w:tr><w:tc>\(paragraph("Jane Doe"))</w:tc><w:tc>\(paragraph("Backend engineer"))</w:tc></w:tr></w:tbl>"
        )
        let result = try edit(original, to: "Jane Doe\tSenior backend engineer")
        XCTAssertEqual(result.report.changedParagraphs, 1)
        XCTAssertEqual(result.report.refusals, [])
    }

    func testBookmarksStayPairedWhenTheirParagraphGoes() throws {
        let original = docx(
            """
            <w:p><w:bookmarkStart w:id="0" w:name="top"/><w:r><w:t>First line</w:t></w:r></w:p>\
            <w:p><w:r><w:t>Second line</w:t></w:r><w:bookmarkEnd w:id="0"/></w:p>\(paragraph("Third line"))
            """
        )
        try edit(original, to: "Second line\nThird line")
    }

    func testSpecialCharactersAreEscaped() throws {
        let original = docx(paragraph("R&amp;D &lt;team&gt;"))
        try edit(original, to: "R&D <platform> team & \"ops\"")
    }

    func testUnchangedTextGivesTheOriginalBytes() throws {
        let original = docx(paragraph("One") + paragraph("Two"))
        let result = try DocxEditor().edit(original, newText: "One\nTwo")
        XCTAssertEqual(result.data, original)
    }

    func testTextFileIsRefusedWithATypedError() {
        XCTAssertThrowsError(try DocxEditor().edit(Data("plain resume".utf8), newText: "x")) { error in
            XCTAssertEqual((error as? ResumeParsingError)?.code, .unsupportedFormat)
        }
    }

    // MARK: Alignment

    func testAlignmentOfMovedAddedRemovedAndMergedLines() throws {
        let original = docx(
            paragraph("Summary") + paragraph("Skills: Swift, Go") + paragraph("Experience")
                + "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Acme</w:t></w:r></w:p>" + paragraph("Built billing")
                + paragraph("and payments") + paragraph("Hobbies: chess")
        )
        // Skills moved after Experience, a line added, hobbies removed, two lines merged.
        let newText = "Summary\nExperience\nSkills: Swift, Go\nAcme\nBuilt billing and payments\nOn call lead"
        let result = try edit(original, to: newText)
        XCTAssertTrue(result.report.refusals.isEmpty)
        let xml = DocxInspector.mainPart(result.data)
        XCTAssertTrue(xml.contains("<w:rPr><w:b/></w:rPr><w:t>Acme</w:t>"), "an unchanged paragraph stays as it was")
        XCTAssertEqual(
            LineAlignmentProbe.steps(["a", "b", "c"], ["a", "c", "b"]).filter { $0.hasPrefix("add") }.count,
            1
        )
    }
}

/// Reads the alignment through the editor's observable result only.
enum LineAlignmentProbe {
    static func steps(_ original: [String], _ new: [String]) -> [String] {
        let body = original.map(paragraph).joined()
        let data = DocxBuilder(body: body).data()
        guard let result = try? DocxEditor().edit(data, newText: new.joined(separator: "\n")) else { return [] }
        return Array(repeating: "add", count: result.report.addedParagraphs)
            + Array(repeating: "remove", count: result.report.removedParagraphs)
    }
}
