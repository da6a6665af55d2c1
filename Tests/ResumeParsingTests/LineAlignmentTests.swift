import XCTest

@testable import ResumeParsing

/// The line alignment's folding of white space: the same as splitting a line at white space and joining its
/// words with one space, whichever way (byte by byte or by characters) a line is folded.
final class LineAlignmentTests: XCTestCase {
    func testNormalized_foldsWhiteSpaceAsSplittingAndJoiningDoes() {
        let lines = [
            "", " ", "\t\t", "one", "one two", " one", "one ", "one  two", "one\ttwo", "Languages\tGo, Kotlin\t",
            "a\r\nb", "\r\n", " a \u{0B}b\u{0C}c\r\n ", "x\n\ny", "Café  au lait", "tab\there\u{A0}nbsp",
            "\u{2003}em space", "e\u{301}  combining",
        ]
        for line in lines {
            let expected = line.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            XCTAssertEqual(LineAlignment.normalized(line), expected, "\(line.debugDescription)")
        }
    }
}
