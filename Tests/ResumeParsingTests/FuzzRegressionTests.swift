import Foundation
import ResumeParsing
import XCTest

/// Inputs the fuzzers (see `Fuzz/`) found to crash, hang or leak, rebuilt in code.
final class FuzzRegressionTests: XCTestCase {
    /// A damaged OLE file whose FAT chains the directory sector to itself once made the directory
    /// walk run a million rounds (seconds of work for a 20 KB upload); the walk is now bounded by the
    /// number of sectors the file holds.
    func testParse_whenCompoundFileDirectoryChainLoops_stillRefusesByStreamName() {
        var ole = CompoundFileBuilder.file(streamNames: ["WordDocument", "1Table"])
        // The FAT entry of sector 1 (the directory) points back at sector 1.
        ole.replaceSubrange(512 + 4..<512 + 8, with: [0x01, 0x00, 0x00, 0x00])

        XCTAssertThrowsParsingError(try ResumeParser().parse(ole), code: .legacyWordDocument)
    }

    /// A 29 KB upload whose main part inflated to 1.2 MB on one line: a paragraph tag whose quotes never
    /// balance, then tag-like text full of `>`. libxml2 2.9 held the whole line and rescanned it on every
    /// 512 bytes it was given: 1.5 s of CPU before it reported the part malformed. The parser now refuses
    /// markup longer than `maximumXMLMarkupLength` as soon as libxml2's backlog passes it.
    func testParse_whenMainPartIsOneLongMalformedLine_refusesItByTheMarkupLimit() {
        let mangled = String(
            repeating: "rd2frPrrd2fszce/val=\"18\"/rd2flangce/val=\"zh-CN\"/rd/2frPrrdw:t>1d/2ftrd/2frrd/",
            count: 16_000
        )
        let body = "<w:p w:rsidR=\"00A1\" w:rsidRDefault=\"" + mangled + "</w:p>"
        XCTAssertThrowsParsingError(try parseDocx(body: body), code: .limitExceeded) {
            XCTAssertEqual($0.limit, .xmlMarkupLength)
        }
    }
}
