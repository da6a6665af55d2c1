import ResumeParsing
import XCTest

/// One test per WordprocessingML construct that can hold resume text. Each builds its .docx inline.
final class DocxReaderTests: XCTestCase {
    // MARK: Paragraphs and runs

    func testParse_whenRunsAreSplit_joinsThemExactly() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:r><w:t>Swi</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>ft</w:t></w:r>\
                <w:r><w:t xml:space="preserve"> developer</w:t></w:r></w:p>
                """
        )
        XCTAssertEqual(resume.text, "Swift developer")
        XCTAssertEqual(resume.format, .docx)
        XCTAssertEqual(resume.blocks, [.paragraph(text: "Swift developer")])
    }

    func testParse_whenDocumentHasSeveralParagraphs_separatesThemWithNewlines() throws {
        let resume = try parseDocx(body: paragraph("Jane Doe") + "<w:p/>" + paragraph("Engineer"))
        XCTAssertEqual(resume.text, "Jane Doe\nEngineer")
        XCTAssertEqual(resume.diagnostics.paragraphCount, 2)
    }

    func testParse_whenRunHasTabBreakAndCarriageReturn_writesTabAndNewlines() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>\
                <w:r><w:t>Skills</w:t><w:tab/><w:t>Swift</w:t><w:br/><w:t>Go</w:t><w:cr/><w:t>Rust</w:t></w:r></w:p>
                """
        )
        XCTAssertEqual(resume.text, "Skills\tSwift\nGo\nRust")
    }

    func testParse_whenRunHasNoBreakAndSoftHyphens_writesHyphenAndDropsSoftHyphen() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:r><w:t>e</w:t><w:noBreakHyphen/><w:t>commerce plat</w:t><w:softHyphen/><w:t>form</w:t></w:r></w:p>
                """
        )
        XCTAssertEqual(resume.text, "e-commerce platform")
    }

    func testParse_whenRunHasSymbols_mapsSymbolFontCharacters() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:r><w:sym w:font="Symbol" w:char="F0B7"/><w:t xml:space="preserve"> Led </w:t>\
                <w:sym w:font="Wingdings" w:char="F0FC"/><w:sym w:font="Arial" w:char="2013"/></w:r></w:p>
                """
        )
        XCTAssertEqual(resume.text, "• Led ✓–")
    }

    func testParse_whenParagraphUsesHeadingStyles_reportsHeadingsWithLevels() throws {
        var builder = DocxBuilder(
            body: """
                <w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Jane Doe</w:t></w:r></w:p>\
                <w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Experience</w:t></w:r></w:p>\
                <w:p><w:pPr><w:pStyle w:val="Section"/></w:pPr><w:r><w:t>Education</w:t></w:r></w:p>
                """
        )
        builder.addPart(
            type: "styles",
            name: "word/styles.xml",
            xml: DocxBuilder.part(
                "styles",
                """
                <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>\
                <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>\
                <w:style w:type="paragraph" w:styleId="Section"><w:name w:val="Section"/>\
                <w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
                """
            )
        )
        let resume = try parseDocx(builder)
        XCTAssertEqual(
            resume.blocks,
            [
                .heading(text: "Jane Doe", level: 1), .heading(text: "Experience", level: 2),
                .heading(text: "Education", level: 1),
            ]
        )
        XCTAssertEqual(resume.text, "Jane Doe\nExperience\nEducation")
    }

    // MARK: Tables

    func testParse_whenBodyHasTable_readsRowsAndCellsInOrder() throws {
        let resume = try parseDocx(
            body: """
                <w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>\
                <w:tr><w:tc><w:tcPr/>\(paragraph("2019"))</w:tc><w:tc>\(paragraph("Acme"))</w:tc></w:tr>\
                <w:tr><w:tc>\(paragraph("2021"))</w:tc><w:tc>\(paragraph("Globex"))</w:tc></w:tr></w:tbl>
                """
        )
        XCTAssertEqual(resume.text, "2019\tAcme\n2021\tGlobex")
        XCTAssertEqual(resume.diagnostics.tableCount, 1)
        guard case .table(let table) = resume.blocks.first else { return XCTFail("Expected a table") }
        XCTAssertEqual(table.rows.count, 2)
        XCTAssertEqual(table.rows[1].cells.map(\.plainText), ["2021", "Globex"])
    }

    func testParse_whenTableIsNested_readsInnerTableInsideItsCell() throws {
        let resume = try parseDocx(
            body: """
                <w:tbl><w:tr><w:tc>\(paragraph("Experience"))\
                <w:tbl><w:tr><w:tc>\(paragraph("Acme"))</w:tc><w:tc>\(paragraph("2020"))</w:tc></w:tr></w:tbl>\
                \(paragraph("References on request"))</w:tc></w:tr></w:tbl>
                """
        )
        XCTAssertEqual(resume.text, "Experience\nAcme\t2020\nReferences on request")
        XCTAssertEqual(resume.diagnostics.tableCount, 2)
    }

    // MARK: Lists

    func testParse_whenParagraphsAreNumbered_computesMarkersLevelsAndRestarts() throws {
        var builder = DocxBuilder(
            body: """
                <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Swift</w:t></w:r></w:p>\
                <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Vapor</w:t></w:r></w:p>\
                <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Hummingbird</w:t></w:r></w:p>\
                <w:p><w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>NIO</w:t></w:r></w:p>\
                <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Go</w:t></w:r></w:p>\
                <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Gin</w:t></w:r></w:p>\
                <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr><w:r><w:t>Mentored interns</w:t></w:r></w:p>\
                <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>Restarted</w:t></w:r></w:p>
                """
        )
        builder.addPart(
            type: "numbering",
            name: "word/numbering.xml",
            xml: DocxBuilder.part(
                "numbering",
                """
                <w:abstractNum w:abstractNumId="0">\
                <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>\
                <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>\
                <w:lvl w:ilvl="2"><w:start w:val="4"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1.%3."/></w:lvl>\
                </w:abstractNum>\
                <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>\
                <w:lvlText w:val="\u{F0B7}"/></w:lvl></w:abstractNum>\
                <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>\
                <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>\
                <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
                """
            )
        )
        let resume = try parseDocx(builder)
        XCTAssertEqual(
            resume.text,
            """
            1. Swift
              a) Vapor
              b) Hummingbird
                1.iv. NIO
            2. Go
              a) Gin
            • Mentored interns
            1. Restarted
            """
        )
        XCTAssertEqual(resume.blocks[1], .listItem(text: "Vapor", level: 1, marker: "a)"))
    }

    func testParse_whenListStartsAtAHostileValue_writesTheNumberInsteadOfHugeLetters() throws {
        var builder = DocxBuilder(
            body: """
                <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Item</w:t></w:r></w:p>
                """
        )
        builder.addPart(
            type: "numbering",
            name: "word/numbering.xml",
            xml: DocxBuilder.part(
                "numbering",
                """
                <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="2000000000"/>\
                <w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>\
                <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
                """
            )
        )
        XCTAssertEqual(try parseDocx(builder).text, "2000000000) Item")
    }

    func testParse_whenParagraphNamesAListThatDoesNotExist_readsAPlainParagraph() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="42"/></w:numPr></w:pPr><w:r><w:t>Orphan</w:t></w:r></w:p>
                """
        )
        XCTAssertEqual(resume.blocks, [.paragraph(text: "Orphan")])
    }

    func testParse_whenTableRowIsADeletion_dropsTheRow() throws {
        let resume = try parseDocx(
            body: """
                <w:tbl><w:tr><w:tc>\(paragraph("Kept"))</w:tc></w:tr>\
                <w:tr><w:trPr><w:del w:id="1" w:author="A"/></w:trPr><w:tc>\(paragraph("Deleted row"))</w:tc></w:tr></w:tbl>
                """
        )
        XCTAssertEqual(resume.text, "Kept")
    }

    func testParse_whenTextIsMath_readsItsRuns() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:r><w:t xml:space="preserve">Improved latency by </w:t></w:r>\
                <m:oMath><m:r><m:t>40%</m:t></m:r></m:oMath></w:p>
                """
        )
        XCTAssertEqual(resume.text, "Improved latency by 40%")
    }

    func testParse_whenListComesFromParagraphStyle_usesTheStyleNumbering() throws {
        var builder = DocxBuilder(
            body: """
                <w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:t>Shipped the billing service</w:t></w:r></w:p>
                """
        )
        builder.addPart(
            type: "styles",
            name: "word/styles.xml",
            xml: DocxBuilder.part(
                "styles",
                """
                <w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/>\
                <w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
                """
            )
        )
        builder.addPart(
            type: "numbering",
            name: "word/numbering.xml",
            xml: DocxBuilder.part(
                "numbering",
                """
                <w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:numFmt w:val="upperRoman"/>\
                <w:lvlText w:val="%1."/><w:start w:val="3"/></w:lvl></w:abstractNum>\
                <w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num>
                """
            )
        )
        XCTAssertEqual(try parseDocx(builder).text, "III. Shipped the billing service")
    }

    // MARK: Headers, footers, notes

    func testParse_whenDocumentHasHeadersAndFooters_readsEachDistinctPartOnceAroundTheBody() throws {
        var builder = DocxBuilder(body: paragraph("Body"))
        builder.addPart(
            type: "header",
            name: "word/header1.xml",
            xml: DocxBuilder.part("hdr", paragraph("Jane Doe · jane@example.com"))
        )
        builder.addPart(
            type: "header",
            name: "word/header2.xml",
            xml: DocxBuilder.part("hdr", paragraph("Jane Doe · jane@example.com"))
        )
        builder.addPart(type: "header", name: "word/header3.xml", xml: DocxBuilder.part("hdr", "<w:p/>"))
        builder.addPart(
            type: "footer",
            name: "word/footer1.xml",
            xml: DocxBuilder.part("ftr", paragraph("Page footer"))
        )
        let resume = try parseDocx(builder)
        XCTAssertEqual(resume.text, "Jane Doe · jane@example.com\n\nBody\n\nPage footer")
        XCTAssertEqual(resume.headers.map(\.partName), ["word/header1.xml"])
        XCTAssertEqual(resume.footers.count, 1)
        XCTAssertTrue(resume.diagnostics.partsRead.contains("word/header3.xml"))
    }

    func testParse_whenDocumentHasFootnotesAndEndnotes_readsThemAfterTheBodyWithoutSeparators() throws {
        var builder = DocxBuilder(
            body: """
                <w:p><w:r><w:t>Certified</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r>\
                <w:r><w:t xml:space="preserve"> engineer</w:t></w:r><w:r><w:endnoteReference w:id="1"/></w:r></w:p>
                """
        )
        builder.addPart(
            type: "footnotes",
            name: "word/footnotes.xml",
            xml: DocxBuilder.part(
                "footnotes",
                """
                <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
                <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>SEPARATOR</w:t></w:r></w:p></w:footnote>\
                <w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve">AWS, 2023</w:t></w:r></w:p></w:footnote>
                """
            )
        )
        builder.addPart(
            type: "endnotes",
            name: "word/endnotes.xml",
            xml: DocxBuilder.part(
                "endnotes",
                """
                <w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>\
                <w:endnote w:id="1"><w:p><w:r><w:t>References on request</w:t></w:r></w:p></w:endnote>
                """
            )
        )
        let resume = try parseDocx(builder)
        XCTAssertEqual(resume.text, "Certified[1] engineer[i]\n\n[1] AWS, 2023\n\n[i] References on request")
        XCTAssertEqual(resume.footnotes, [.init(mark: "1", blocks: [.paragraph(text: "AWS, 2023")])])
        XCTAssertEqual(resume.endnotes.count, 1)
    }

    // MARK: Text boxes

    func testParse_whenTextBoxIsInAlternateContent_readsTheChoiceOnly() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:r><w:t>Anchor</w:t></w:r><w:r><mc:AlternateContent>\
                <mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>\
                <w:txbxContent>\(paragraph("Sidebar: Swift, Go"))</w:txbxContent>\
                </wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>\
                <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>\(paragraph("Sidebar: Swift, Go"))</w:txbxContent>\
                </v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
                """
        )
        XCTAssertEqual(resume.text, "Anchor\nSidebar: Swift, Go")
        XCTAssertEqual(resume.diagnostics.textBoxCount, 1)
    }

    func testParse_whenTextBoxIsVMLOnly_readsIt() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>\(paragraph("Contact: jane@example.com"))\
                </w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>
                """
        )
        XCTAssertEqual(resume.text, "Contact: jane@example.com")
        XCTAssertEqual(resume.diagnostics.textBoxCount, 1)
    }

    // MARK: Inline containers

    func testParse_whenTextIsInHyperlinksContentControlsSmartTagsAndCustomXML_readsIt() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:hyperlink r:id="rId9"><w:r><w:t>github.com/jane</w:t></w:r></w:hyperlink>\
                <w:r><w:t xml:space="preserve"> </w:t></w:r>\
                <w:sdt><w:sdtPr><w:alias w:val="Phone"/><w:placeholder><w:docPart w:val="X"/></w:placeholder></w:sdtPr>\
                <w:sdtContent><w:r><w:t>555-0100</w:t></w:r></w:sdtContent></w:sdt>\
                <w:smartTag w:uri="urn:x" w:element="City"><w:smartTagPr/><w:r><w:t xml:space="preserve"> Berlin</w:t></w:r></w:smartTag>\
                <w:customXml w:element="skill"><w:r><w:t xml:space="preserve"> Swift</w:t></w:r></w:customXml></w:p>\
                <w:sdt><w:sdtContent>\(paragraph("Block-level control"))</w:sdtContent></w:sdt>
                """
        )
        XCTAssertEqual(resume.text, "github.com/jane 555-0100 Berlin Swift\nBlock-level control")
    }

    // MARK: Tracked changes and fields

    func testParse_whenDocumentHasTrackedChanges_acceptsThem() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:r><w:t xml:space="preserve">Led a team of </w:t></w:r>\
                <w:del w:id="1" w:author="A"><w:r><w:delText>five</w:delText></w:r></w:del>\
                <w:ins w:id="2" w:author="A"><w:r><w:t>eight</w:t></w:r></w:ins>\
                <w:moveFrom w:id="3"><w:r><w:t xml:space="preserve"> (moved)</w:t></w:r></w:moveFrom>\
                <w:moveTo w:id="4"><w:r><w:t xml:space="preserve"> engineers</w:t></w:r></w:moveTo>\
                <w:r><w:rPr><w:rPrChange w:id="5"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>.</w:t></w:r></w:p>
                """
        )
        XCTAssertEqual(resume.text, "Led a team of eight engineers.")
        XCTAssertEqual(resume.diagnostics.trackedChangesAccepted, 4)
        XCTAssertEqual(resume.diagnostics.hiddenCharacterCount, 0)
    }

    func testParse_whenDocumentHasFields_keepsResultsAndDropsInstructions() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:r><w:t xml:space="preserve">Site: </w:t></w:r>\
                <w:r><w:fldChar w:fldCharType="begin"/></w:r>\
                <w:r><w:instrText xml:space="preserve"> HYPERLINK "https://jane.dev" </w:instrText></w:r>\
                <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>jane.dev</w:t></w:r>\
                <w:r><w:fldChar w:fldCharType="end"/></w:r>\
                <w:r><w:t xml:space="preserve">, updated </w:t></w:r>\
                <w:fldSimple w:instr=" DATE "><w:r><w:t>2024</w:t></w:r></w:fldSimple></w:p>
                """
        )
        XCTAssertEqual(resume.text, "Site: jane.dev, updated 2024")
    }

    // MARK: Excluded content

    func testParse_whenRunIsHidden_leavesItOutAndWarns() throws {
        let resume = try parseDocx(
            body: """
                <w:p><w:r><w:t>Engineer</w:t></w:r>\
                <w:r><w:rPr><w:vanish/></w:rPr><w:t>Kubernetes Terraform AWS</w:t></w:r>\
                <w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t xml:space="preserve"> at Acme</w:t></w:r></w:p>
                """
        )
        XCTAssertEqual(resume.text, "Engineer at Acme")
        XCTAssertEqual(resume.diagnostics.hiddenCharacterCount, 24)
        XCTAssertTrue(resume.diagnostics.hasWarning(.hiddenText))
    }

    func testParse_whenStyleIsHidden_leavesItsTextOut() throws {
        var builder = DocxBuilder(
            body: """
                <w:p><w:pPr><w:pStyle w:val="Secret"/></w:pPr><w:r><w:t>Hidden paragraph</w:t></w:r></w:p>\
                <w:p><w:r><w:t xml:space="preserve">Shown </w:t></w:r>\
                <w:r><w:rPr><w:rStyle w:val="Invisible"/></w:rPr><w:t>hidden run</w:t></w:r></w:p>
                """
        )
        builder.addPart(
            type: "styles",
            name: "word/styles.xml",
            xml: DocxBuilder.part(
                "styles",
                """
                <w:style w:type="paragraph" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style>\
                <w:style w:type="character" w:styleId="Invisible"><w:rPr><w:vanish/></w:rPr></w:style>
                """
            )
        )
        let resume = try parseDocx(builder)
        XCTAssertEqual(resume.text, "Shown ")
        XCTAssertEqual(resume.diagnostics.hiddenCharacterCount, 26)
    }

    func testParse_whenPackageHasGlossaryAndComments_leavesThemOut() throws {
        var builder = DocxBuilder(
            body: """
                <w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Visible</w:t></w:r><w:commentRangeEnd w:id="0"/>\
                <w:r><w:commentReference w:id="0"/></w:r></w:p>
                """
        )
        builder.addPart(
            type: "comments",
            name: "word/comments.xml",
            xml: DocxBuilder.part(
                "comments",
                """
                <w:comment w:id="0"><w:p><w:r><w:t>Reviewer comment</w:t></w:r></w:p></w:comment>
                """
            )
        )
        builder.addPart(
            type: "glossaryDocument",
            name: "word/glossary/document.xml",
            xml: """
                <w:glossaryDocument xmlns:w="\(DocxBuilder.wordNamespace)"><w:docParts><w:docPart><w:docPartBody>\
                \(paragraph("Building block text"))</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>
                """
        )
        let resume = try parseDocx(builder)
        XCTAssertEqual(resume.text, "Visible")
        XCTAssertFalse(resume.diagnostics.partsRead.contains("word/comments.xml"))
    }

    // MARK: Package variants and metadata

    func testParse_whenPartsHaveByteOrderMarksOrOtherEncodings_readsEveryPart() throws {
        // Word and other writers store parts as UTF-8 with or without a byte order mark, and XML allows
        // UTF-16 or a declared 8-bit encoding. Every part is read whatever part came before it.
        var builder = DocxBuilder(
            body: "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Café owner</w:t></w:r></w:p>"
        )
        builder.addPart(
            type: "styles",
            name: "word/styles.xml",
            xml: DocxBuilder.part(
                "styles",
                "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style>"
            )
        )
        builder.addPart(type: "header", name: "word/header1.xml", xml: DocxBuilder.part("hdr", paragraph("Zoë Doe")))
        builder.addPart(
            type: "footer",
            name: "word/footer1.xml",
            xml: DocxBuilder.part("ftr", paragraph("Résumé 2026"))
        )
        builder.encodePart = { partName, xml in
            switch partName {
            case "word/header1.xml":
                let declared = xml.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"UTF-16\"")
                return Data([0xFF, 0xFE]) + (declared.data(using: .utf16LittleEndian) ?? Data())
            case "word/footer1.xml":
                let declared = xml.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-1\"")
                return declared.data(using: .isoLatin1) ?? Data()
            default:
                return Data([0xEF, 0xBB, 0xBF]) + Data(xml.utf8)
            }
        }

        let resume = try parseDocx(builder)

        XCTAssertEqual(resume.text, "Zoë Doe\n\nCafé owner\n\nRésumé 2026")
        XCTAssertEqual(resume.blocks, [.heading(text: "Café owner", level: 1)])
        XCTAssertEqual(resume.diagnostics.warnings.filter { $0.code == .unreadablePart }, [])
    }

    func testParse_whenDocumentIsStrictOOXML_readsIt() throws {
        var builder = DocxBuilder(body: paragraph("Strict resume"))
        builder.strict = true
        XCTAssertEqual(try parseDocx(builder).text, "Strict resume")
    }

    func testParse_whenMainPartIsNotWordDocumentXML_findsItThroughRelationships() throws {
        var builder = DocxBuilder(body: paragraph("Elsewhere"))
        builder.mainPartName = "content/main.xml"
        builder.extraEntries = [("word/document.xml", DocxBuilder.document(paragraph("Decoy")))]
        let resume = try parseDocx(builder)
        XCTAssertEqual(resume.text, "Elsewhere")
        XCTAssertEqual(
            resume.diagnostics.partsRead.last(where: { $0.hasSuffix(".xml") && !$0.contains("Content") }),
            "content/main.xml"
        )
    }

    func testParse_whenDocumentIsTemplateOrMacroEnabled_readsItLikeDocx() throws {
        let cases: [(String, DocumentFormat)] = [
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", .dotx),
            ("application/vnd.ms-word.document.macroEnabled.main+xml", .docm),
            ("application/vnd.ms-word.template.macroEnabledTemplate.main+xml", .dotm),
        ]
        for (contentType, format) in cases {
            var builder = DocxBuilder(body: paragraph("Template text"))
            builder.mainContentType = contentType
            builder.extraEntries = [("word/vbaProject.bin", "not really macros")]
            let resume = try parseDocx(builder)
            XCTAssertEqual(resume.format, format)
            XCTAssertEqual(resume.text, "Template text")
        }
    }

    func testParse_whenPackageHasCoreProperties_readsMetadata() throws {
        var builder = DocxBuilder(body: paragraph("Body"))
        builder.coreProperties = """
            <?xml version="1.0" encoding="UTF-8"?>
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
            <dc:title>Resume</dc:title><dc:creator>Jane Doe</dc:creator><cp:keywords>swift, server</cp:keywords>\
            <dcterms:created xsi:type="dcterms:W3CDTF">2024-03-01T10:00:00Z</dcterms:created>\
            </cp:coreProperties>
            """
        let metadata = try parseDocx(builder).metadata
        XCTAssertEqual(metadata.title, "Resume")
        XCTAssertEqual(metadata.author, "Jane Doe")
        XCTAssertEqual(metadata.keywords, "swift, server")
        XCTAssertEqual(metadata.created, Date(timeIntervalSince1970: 1_709_287_200))
    }

    func testParse_whenPropertiesHaveOffsetsOrFractions_readsTheDates() throws {
        var builder = DocxBuilder(body: paragraph("Body"))
        builder.coreProperties = """
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dcterms="http://purl.org/dc/terms/">\
            <dcterms:created>2024-03-01T12:30:00.5+02:00</dcterms:created>\
            <dcterms:modified>1999-12-31</dcterms:modified></cp:coreProperties>
            """
        let metadata = try parseDocx(builder).metadata
        XCTAssertEqual(metadata.created, Date(timeIntervalSince1970: 1_709_289_000.5))
        XCTAssertEqual(metadata.modified, Date(timeIntervalSince1970: 946_598_400))
    }

    func testParse_whenDocumentIsMostlyImages_warns() throws {
        let picture =
            "<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><a:blip/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        let resume = try parseDocx(body: "<w:p>\(picture)\(picture)<w:r><w:t>Jane</w:t></w:r></w:p>")
        XCTAssertEqual(resume.diagnostics.imageCount, 2)
        XCTAssertTrue(resume.diagnostics.hasWarning(.mostlyImages))
        XCTAssertTrue(resume.diagnostics.hasWarning(.littleText))
    }

    func testParse_whenDocumentHasNoText_throwsNoText() {
        XCTAssertThrowsParsingError(try parseDocx(body: "<w:p/><w:p><w:r><w:t>   </w:t></w:r></w:p>"), code: .noText)
    }

    func testParse_resultEncodesAsJSONAndDecodesBack() throws {
        let resume = try parseDocx(body: paragraph("Jane Doe"))
        let encoder = JSONEncoder()
        let json = try encoder.encode(resume)
        XCTAssertEqual(try JSONDecoder().decode(ResumeDocument.self, from: json), resume)
        XCTAssertTrue(String(decoding: json, as: UTF8.self).contains("\"format\":\"docx\""))
    }
}
