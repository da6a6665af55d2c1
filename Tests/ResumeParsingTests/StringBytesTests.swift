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

    func testSplitAtASCII_isASplitKeepingEmptyParts() {
        for text in samples + ["a\tb", "\t", "\t\t", "x\t", "\ty\r\n\tz"] {
            for separator: Character in ["\n", "\t"] {
                XCTAssertEqual(
                    text.split(atASCII: separator),
                    text.split(separator: separator, omittingEmptySubsequences: false),
                    "\(text.debugDescription) \(separator.debugDescription)"
                )
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

    func testEscape_isTheScalarByScalarEscape() {
        // The escape as defined scalar by scalar: the four markup characters as entities, the scalars XML
        // 1.0 refuses dropped, every other scalar as it is.
        func reference(_ text: String) -> [UInt8] {
            var output: [UInt8] = []
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": output += Array("&amp;".utf8)
                case "<": output += Array("&lt;".utf8)
                case ">": output += Array("&gt;".utf8)
                case "\"": output += Array("&quot;".utf8)
                default:
                    let value = scalar.value
                    let allowed =
                        value == 0x09 || value == 0x0A || value == 0x0D || (value >= 0x20 && value <= 0xD7FF)
                        || (value >= 0xE000 && value <= 0xFFFD) || value >= 0x10000
                    if allowed { output += Array(String(scalar).utf8) }
                }
            }
            return output
        }
        let texts =
            samples + [
                "a & b < c > d \" e ' f", "\u{0}\u{1}\u{8}\u{B}\u{C}\u{1F}\u{7F}", "\u{FFFE}x\u{FFFF}y\u{FFFD}",
                "\u{E000}\u{D7FF}\u{10000}\u{10FFFF}", "Zoë – “quoted” — 東京 🎉 e\u{301}", "\u{EFBF}\u{FEFF}",
            ]
        for text in texts {
            var output: [UInt8] = [0x2A]
            MarkupScanner.escape(text, into: &output)
            XCTAssertEqual(output, [0x2A] + reference(text), "\(text.debugDescription)")
        }
    }
}
