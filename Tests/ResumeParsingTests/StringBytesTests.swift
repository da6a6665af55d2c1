import Foundation
import XCTest

@testable import ResumeParsing

/// The byte-level string helpers give what the character-level operations they replace give.
final class StringBytesTests: XCTestCase {
    private let samples = [
        "", "\n", "\r", "\r\n", "a", "a\n", "a\r\n", "a\n\r", "\n\n", "a\r\n\n", "Jane\u{301}\n", "名前\n",
        "e\u{301}", "\u{1F1E9}\u{1F1EA}\n", "tab\t\n", "line\r", "two\nlines", "x\r\ny\r\n", "\u{0085}", "a\u{2028}",
    ]

    func testEndsWithLineFeed_isHasSuffixOfALineFeed() {
        for text in samples {
            XCTAssertEqual(text.endsWithLineFeed, text.hasSuffix("\n"), "\(text.debugDescription)")
        }
    }

    func testContainsByte_isUTF8Contains() {
        for text in samples {
            for byte: UInt8 in [0x0A, 0x0D, 0x61, 0xE5] {
                XCTAssertEqual(text.containsByte(byte), text.utf8.contains(byte), "\(text.debugDescription) \(byte)")
            }
        }
    }

    func testLinesDroppingCarriageReturns_isASplitAtLineFeedsWithoutTheirCarriageReturns() {
        for text in samples + ["a\nb\r\nc\r", "\r\r\n", "\n\r\n\r"] {
            let expected = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
                String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
            }
            XCTAssertEqual(text.linesDroppingCarriageReturns(), expected, "\(text.debugDescription)")
        }
    }

    func testParagraphTextPrefix_isTheLineWithoutTheParagraphsText() {
        let cases: [(String, String)] = [
            ("• Led the team", "Led the team"), ("  1. Built it", "Built it"), ("Led", "Led"), ("x", "Led"),
            ("• e\u{301}t\u{E9}", "\u{E9}t\u{E9}"), ("• \u{E9}", "e\u{301}"), ("a\u{301}", "\u{301}"),
            ("\u{1F1E9}\u{1F1EA}\u{1F1E9}\u{1F1EA}", "\u{1F1E9}\u{1F1EA}"), ("", ""), ("ab", ""),
        ]
        for (line, text) in cases {
            let expected: String? =
                line.hasSuffix(text) && line.count > text.count ? String(line.dropLast(text.count)) : nil
            XCTAssertEqual(EditPlan.prefix(of: line, before: text), expected, "\(line.debugDescription)")
        }
    }
}
