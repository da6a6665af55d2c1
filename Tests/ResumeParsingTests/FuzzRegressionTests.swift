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
}
