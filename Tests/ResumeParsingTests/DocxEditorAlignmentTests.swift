import Foundation
import ResumeParsing
import XCTest

/// How the editor maps new text back onto a document's paragraphs when lines move, appear, go, merge or
/// split: each result reads back as the new text (clean, and accepted as tracked changes; rejected, as the
/// original), every paragraph the edit does not touch stays byte for byte, and a change the editor cannot
/// place safely leaves the original paragraph with a diagnostic.
final class DocxEditorAlignmentTests: XCTestCase {
    private let parser = ResumeParser()

    private static let numbering = DocxBuilder.part(
        "numbering",
        """
        <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>\
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        """
    )

    private static let listProperties =
        "<w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>"

    /// A bullet whose middle words are bold: `Built <b>the billing service</b> in Swift`.
    private static func bullet(_ first: String, bold: String, _ last: String) -> String {
        "<w:p>\(listProperties)<w:r><w:t xml:space=\"preserve\">\(first) </w:t></w:r>"
            + "<w:r><w:rPr><w:b/></w:rPr><w:t>\(bold)</w:t></w:r>"
            + "<w:r><w:t xml:space=\"preserve\"> \(last)</w:t></w:r></w:p>"
    }

    private static let billing = bullet("Built", bold: "the billing service", "in Swift")
    private static let oncall = bullet("Led", bold: "the on-call rotation", "for two teams")
    private static let mentoring = bullet("Mentored", bold: "four engineers", "over two years")

    private func resume(_ paragraphs: [String]) -> Data {
        var builder = DocxBuilder(body: paragraphs.joined())
        builder.addPart(type: "numbering", name: "word/numbering.xml", xml: Self.numbering)
        return builder.data()
    }

    /// Edits `original` to `newText` clean and tracked, checks both, and returns the clean result.
    private func edit(
        _ original: Data,
        to newText: String,
        expect expected: String? = nil,
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> DocxEditor.Result {
        let editor = DocxEditor(parser: parser)
        let clean = try editor.edit(original, newText: newText)
        DocxInspector.assertSound(original: original, edited: clean.data, file: file, line: line)
        XCTAssertEqual(clean.document.text, expected ?? newText, "clean read-back", file: file, line: line)
        let tracked = try editor.edit(original, newText: newText, options: .init(trackChanges: true))
        DocxInspector.assertSound(original: original, edited: tracked.data, file: file, line: line)
        XCTAssertEqual(
            try parser.parse(DocxInspector.acceptAll(tracked.data)).text,
            expected ?? newText,
            "accept all",
            file: file,
            line: line
        )
        XCTAssertEqual(
            try parser.parse(DocxInspector.rejectAll(tracked.data)).text,
            try parser.parse(original).text,
            "reject all",
            file: file,
            line: line
        )
        return clean
    }

    /// The `w:p` elements of the main part, in order, as written.
    private func paragraphs(_ data: Data) -> [String] {
        DocxInspector.matches("(<w:p>.*?</w:p>|<w:p [^>]*>.*?</w:p>|<w:p/>)", in: DocxInspector.mainPart(data))
    }

    func testAMovedBulletKeepsItsFormattingAndTheOthersStayByteForByte() throws {
        let original = resume([paragraph("Experience"), Self.billing, Self.oncall, Self.mentoring, paragraph("Skills")])
        // The first bullet goes to the end of the list.
        let result = try edit(
            original,
            to: """
                Experience
                • Led the on-call rotation for two teams
                • Mentored four engineers over two years
                • Built the billing service in Swift
                Skills
                """
        )
        XCTAssertEqual(result.report.addedParagraphs, 1)
        XCTAssertEqual(result.report.removedParagraphs, 1)
        XCTAssertEqual(result.report.changedParagraphs, 0)
        XCTAssertEqual(result.report.refusals, [])
        let written = paragraphs(result.data)
        XCTAssertEqual(written.count, 5)
        XCTAssertEqual(written[0], paragraph("Experience"))
        XCTAssertEqual(written[1], Self.oncall)
        XCTAssertEqual(written[2], Self.mentoring)
        XCTAssertEqual(written[4], paragraph("Skills"))
        // The copy is the moved paragraph: same list, same bold words.
        XCTAssertTrue(written[3].contains(Self.listProperties), written[3])
        XCTAssertTrue(written[3].contains("<w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">the billing service</w:t>"))
    }

    func testABulletMovedUpAlsoKeepsItsFormatting() throws {
        let original = resume([
            paragraph("Experience"), Self.billing, Self.oncall, Self.mentoring, paragraph("Skills"),
        ])
        let result = try edit(
            original,
            to: """
                Experience
                • Mentored four engineers over two years
                • Built the billing service in Swift
                • Led the on-call rotation for two teams
                Skills
                """
        )
        XCTAssertEqual(result.report.refusals, [])
        let written = paragraphs(result.data)
        XCTAssertEqual(written.count, 5)
        XCTAssertEqual(written[4], paragraph("Skills"))
        XCTAssertEqual(written[2], Self.billing)
        XCTAssertEqual(written[3], Self.oncall)
        XCTAssertTrue(written[1].contains("<w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">four engineers</w:t>"))
        XCTAssertTrue(written[1].contains(Self.listProperties))
    }

    func testAnAddedBulletClonesTheListParagraphBeforeIt() throws {
        let original = resume([paragraph("Experience"), Self.billing, paragraph("Skills"), paragraph("Swift, Go")])
        let result = try edit(
            original,
            to: """
                Experience
                • Built the billing service in Swift
                • Cut deploy time by half
                Skills
                Swift, Go
                Kubernetes
                """
        )
        XCTAssertEqual(result.report.addedParagraphs, 2)
        XCTAssertEqual(result.report.changedParagraphs + result.report.removedParagraphs, 0)
        let written = paragraphs(result.data)
        XCTAssertEqual(written.count, 6)
        XCTAssertEqual(
            [written[0], written[1], written[3], written[4]],
            [
                paragraph("Experience"), Self.billing, paragraph("Skills"), paragraph("Swift, Go"),
            ]
        )
        // The new bullet is in the same list, in the formatting of the bullet's first run.
        XCTAssertEqual(
            written[2],
            "<w:p>\(Self.listProperties)<w:r><w:t xml:space=\"preserve\">Cut deploy time by half</w:t></w:r></w:p>"
        )
        // A plain line after a plain paragraph is a plain paragraph.
        XCTAssertFalse(written[5].contains("numPr"), written[5])
    }

    func testRemovedLinesTakeTheirParagraphsAndNothingElse() throws {
        let original = resume([
            paragraph("Experience"), Self.billing, Self.oncall, Self.mentoring, paragraph("Hobbies"),
            paragraph("Chess"), paragraph("jane@example.com"),
        ])
        let result = try edit(
            original,
            to: """
                Experience
                • Built the billing service in Swift
                • Mentored four engineers over two years
                jane@example.com
                """
        )
        XCTAssertEqual(result.report.removedParagraphs, 3)
        XCTAssertEqual(result.report.addedParagraphs + result.report.changedParagraphs, 0)
        XCTAssertEqual(
            paragraphs(result.data),
            [paragraph("Experience"), Self.billing, Self.mentoring, paragraph("jane@example.com")]
        )
    }

    func testTwoLinesMergedIntoOneRewriteTheFirstAndRemoveTheSecond() throws {
        let original = resume([
            paragraph("Experience"), Self.billing, paragraph("and the payment gateway"), Self.mentoring,
        ])
        let result = try edit(
            original,
            to: """
                Experience
                • Built the billing service in Swift and the payment gateway
                • Mentored four engineers over two years
                """
        )
        XCTAssertEqual(result.report.changedParagraphs, 1)
        XCTAssertEqual(result.report.removedParagraphs, 1)
        XCTAssertEqual(result.report.addedParagraphs, 0)
        let written = paragraphs(result.data)
        XCTAssertEqual(written.count, 3)
        XCTAssertEqual(written[0], paragraph("Experience"))
        XCTAssertEqual(written[2], Self.mentoring)
        // The merged paragraph is the first one, its bold words still bold.
        XCTAssertTrue(written[1].contains(Self.listProperties))
        XCTAssertTrue(written[1].contains("<w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">the billing service</w:t>"))
    }

    func testALineSplitInTwoRewritesOneParagraphAndAddsOne() throws {
        let original = resume([paragraph("Experience"), Self.billing, Self.mentoring])
        let result = try edit(
            original,
            to: """
                Experience
                • Built the billing service
                • Rewrote it in Swift
                • Mentored four engineers over two years
                """
        )
        XCTAssertEqual(result.report.changedParagraphs, 1)
        XCTAssertEqual(result.report.addedParagraphs, 1)
        let written = paragraphs(result.data)
        XCTAssertEqual(written.count, 4)
        XCTAssertEqual(written[0], paragraph("Experience"))
        XCTAssertEqual(written[3], Self.mentoring)
        XCTAssertTrue(written[2].contains(Self.listProperties))
    }

    func testAChangeThatCannotBePlacedSafelyKeepsTheOriginalWithADiagnostic() throws {
        let field =
            "<w:p><w:r><w:t xml:space=\"preserve\">Page </w:t></w:r><w:fldSimple w:instr=\"PAGE\"><w:r><w:t>1</w:t></w:r>"
            + "</w:fldSimple></w:p>"
        let original = resume([paragraph("Experience"), Self.billing, Self.oncall, field, Self.mentoring])
        let fieldLine = try parser.parse(original).lines[3].text
        // The paragraph with the field is moved to the top: it cannot go from where it is, so it stays
        // there and is not copied; the other edit is made.
        let result = try DocxEditor(parser: parser).edit(
            original,
            newText: """
                \(fieldLine)
                Experience
                • Built the billing service in Go
                • Led the on-call rotation for two teams
                • Mentored four engineers over two years
                """
        )
        DocxInspector.assertSound(original: original, edited: result.data)
        XCTAssertEqual(result.report.refusals.map(\.reason), [.field])
        XCTAssertEqual(result.report.changedParagraphs, 1)
        XCTAssertEqual(result.report.addedParagraphs + result.report.removedParagraphs, 0)
        XCTAssertEqual(
            result.document.text,
            """
            Experience
            • Built the billing service in Go
            • Led the on-call rotation for two teams
            \(fieldLine)
            • Mentored four engineers over two years
            """
        )
        let written = paragraphs(result.data)
        XCTAssertEqual(written.count, 5)
        XCTAssertEqual(
            [written[0], written[2], written[3], written[4]],
            [
                paragraph("Experience"), Self.oncall, field, Self.mentoring,
            ]
        )

        // The same paragraph removed: kept, with the same diagnostic; nothing else changed, so the original
        // comes back.
        let removal = try DocxEditor(parser: parser).edit(
            original,
            newText: """
                Experience
                • Built the billing service in Swift
                • Led the on-call rotation for two teams
                • Mentored four engineers over two years
                """
        )
        XCTAssertEqual(removal.report.refusals.map(\.reason), [.field])
        XCTAssertEqual(removal.data, original)
    }
}
