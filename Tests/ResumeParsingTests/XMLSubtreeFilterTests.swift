import XCTest

@testable import ResumeParsing

/// The byte filter that drops the elements the style and numbering readers skip unread. Its output must
/// not depend on how the input is cut into chunks.
final class XMLSubtreeFilterTests: XCTestCase {
    private let root = "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"

    func testFilter_dropsNamedElementsWithTheirContentAndKeepsTheRest() {
        let input = """
            <?xml version="1.0" encoding="UTF-8"?>\n\(root)<w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault>\
            </w:docDefaults><w:latentStyles w:count="2"><w:lsdException w:name="Normal"/>\
            <w:lsdException w:name="heading 1"/></w:latentStyles><w:style w:styleId="A"><w:name w:val="A"/>\
            </w:style></w:styles>
            """
        let expected = """
            <?xml version="1.0" encoding="UTF-8"?>\n\(root)<w:style w:styleId="A"><w:name w:val="A"/>\
            </w:style></w:styles>
            """
        assertFiltered(input, dropping: ["w:latentStyles", "w:docDefaults"], gives: expected)
    }

    func testFilter_countsNestedElementsOfTheSameNameAndDropsEmptyOnes() {
        let input =
            root + "<w:rPr><w:rPr>a</w:rPr><w:rPr/><w:b/></w:rPr><w:rPr/>"
            + "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/></w:lvl></w:styles>"
        let expected = root + "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/></w:lvl></w:styles>"
        assertFiltered(input, dropping: ["w:rPr"], gives: expected)
    }

    func testFilter_isNotFooledByQuotedValuesCommentsCDATAOrInstructions() {
        let input =
            root + "<w:style w:x=\"a > b /> </w:latentStyles>\" w:y='<'><!-- <w:latentStyles> -->"
            + "<![CDATA[<w:latentStyles>]]><?pi <w:latentStyles> ?></w:style>"
            + "<w:latentStyles w:q=\"></w:latentStyles>\"><!-- </w:latentStyles> --></w:latentStyles>"
            + "<w:rPrDefault/></w:styles>"
        let expected =
            root + "<w:style w:x=\"a > b /> </w:latentStyles>\" w:y='<'><!-- <w:latentStyles> -->"
            + "<![CDATA[<w:latentStyles>]]><?pi <w:latentStyles> ?></w:style>"
            + "<w:rPrDefault/></w:styles>"
        assertFiltered(input, dropping: ["w:latentStyles"], gives: expected)
    }

    func testFilter_doesNotMatchLongerNamesOrOtherPrefixes() {
        let input = root + "<w:rPrDefault/><x:rPr/><w:rPrChange/><w:rPr/></w:styles>"
        let expected = root + "<w:rPrDefault/><x:rPr/><w:rPrChange/></w:styles>"
        assertFiltered(input, dropping: ["w:rPr"], gives: expected)
    }

    func testFilter_passesEverythingWhenThePrefixIsNotTheWordNamespace() {
        let foreignRoot = "<w:styles xmlns:w=\"urn:example\"><w:latentStyles/></w:styles>"
        assertFiltered(foreignRoot, dropping: ["w:latentStyles"], gives: foreignRoot)

        let rebound =
            root + "<w:latentStyles/><w:style xmlns:w=\"urn:example\"><w:latentStyles/></w:style>"
            + "<w:latentStyles/></w:styles>"
        let expected =
            root + "<w:style xmlns:w=\"urn:example\"><w:latentStyles/></w:style><w:latentStyles/></w:styles>"
        assertFiltered(rebound, dropping: ["w:latentStyles"], gives: expected)
    }

    func testFilter_passesAPieceOfMarkupLongerThanItsLimitThroughUnchanged() {
        let long = root + "<w:style w:v=\"" + String(repeating: "x", count: 300) + "\"/><w:rPr/></w:styles>"
        var filter = XMLSubtreeFilter(droppedElements: ["w:rPr"], maximumPendingBytes: 128)
        XCTAssertEqual(run(&filter, long, chunkSize: 16), long)
    }

    func testFilter_insideADroppedElementSkipsOtherTagsAndStillCountsItsOwn() {
        let input =
            root + "<w:tblPr><w:x w:v=\"a > b\"/><w:tblPrX/><w:tblPr w:q=\"1\"><w:y/></w:tblPr>"
            + "<?pi </w:tblPr> ?><!-- </w:tblPr> --><![CDATA[</w:tblPr>]]><w:tblPr/></w:tblPr>"
            + "<w:style w:styleId=\"A\"/></w:styles>"
        let expected = root + "<w:style w:styleId=\"A\"/></w:styles>"
        assertFiltered(input, dropping: ["w:tblPr"], gives: expected)
    }

    func testFilter_dropsWhiteSpaceBetweenMarkupOnlyWhenAsked() {
        let input =
            "<?xml version=\"1.0\"?>\n" + root + "\n  <w:style w:styleId=\"A\">\n    <w:rsid/>\n"
            + "    <w:name w:val=\"A\"/> text \n  </w:style>\n</w:styles>"
        let kept =
            "<?xml version=\"1.0\"?>\n" + root + "\n  <w:style w:styleId=\"A\">\n    \n"
            + "    <w:name w:val=\"A\"/> text \n  </w:style>\n</w:styles>"
        assertFiltered(input, dropping: ["w:rsid"], gives: kept)
        // Asked, white space between markup goes; text with more than white space stays whole.
        let bytes = Array(input.utf8)
        var filter = XMLSubtreeFilter(
            droppedElements: ["w:rsid"],
            droppingWhitespace: true,
            maximumPendingBytes: 64 * 1024
        )
        var output: [UInt8] = []
        bytes.withUnsafeBytes { filter.filter($0, into: &output) }
        filter.finish(into: &output)
        XCTAssertEqual(
            String(decoding: output, as: UTF8.self),
            "<?xml version=\"1.0\"?>" + root + "<w:style w:styleId=\"A\"><w:name w:val=\"A\"/> text \n  "
                + "</w:style></w:styles>"
        )
    }

    func testFilter_dropsElementsLeftEmptyOutsideAnyOtherOfTheirNames() {
        let input =
            root + "<w:style><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"2\"></w:sz></w:rPr>"
            + "</w:style><w:style><w:pPr><w:numPr/></w:pPr><w:rPr>x</w:rPr><w:rPr/></w:style>"
            + "<w:style><w:pPr><w:rPr><w:b/></w:rPr><w:pPr></w:pPr></w:pPr><w:pPr><!-- c --></w:pPr></w:style>"
            + "</w:styles>"
        // Emptied pairs go; one with anything kept inside, one inside another, and an empty tag stay.
        let expected =
            root + "<w:style></w:style><w:style><w:pPr><w:numPr/></w:pPr><w:rPr>x</w:rPr><w:rPr/></w:style>"
            + "<w:style><w:pPr><w:rPr></w:rPr><w:pPr></w:pPr></w:pPr><w:pPr><!-- c --></w:pPr></w:style>"
            + "</w:styles>"
        for chunkSize in [input.utf8.count] + Array(1...40) {
            var filter = XMLSubtreeFilter(
                droppedElements: ["w:spacing", "w:b", "w:sz"],
                droppingEmpty: ["w:pPr", "w:rPr"],
                maximumPendingBytes: 64 * 1024
            )
            XCTAssertEqual(run(&filter, input, chunkSize: chunkSize), expected, "chunk size \(chunkSize)")
        }
    }

    // MARK: Helpers

    /// Checks the output for the whole input at once and for every chunk size up to 40 bytes.
    private func assertFiltered(
        _ input: String,
        dropping names: [String],
        gives expected: String,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        for chunkSize in [input.utf8.count] + Array(1...40) {
            var filter = XMLSubtreeFilter(droppedElements: names, maximumPendingBytes: 64 * 1024)
            let output = run(&filter, input, chunkSize: chunkSize)
            XCTAssertEqual(output, expected, "chunk size \(chunkSize)", file: file, line: line)
        }
    }

    private func run(_ filter: inout XMLSubtreeFilter, _ input: String, chunkSize: Int) -> String {
        let bytes = Array(input.utf8)
        var output: [UInt8] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            bytes[start..<end].withUnsafeBytes { filter.filter($0, into: &output) }
            start = end
        }
        filter.finish(into: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
