import Foundation
import XCTest

@testable import ResumeParsing

/// The direct copy of an archive with one entry replaced: libzip reads the result, every other entry is
/// what it was, and a layout the copy does not handle is left to libzip.
final class ZipEntryReplacementTests: XCTestCase {
    private func archive() -> Data {
        var writer = ZipWriter()
        writer.add("first.xml", String(repeating: "<a>first</a>", count: 50))
        writer.add("stored.bin", data: Data((0..<200).map { UInt8($0) }), compression: .store)
        writer.add("third.xml", String(repeating: "<c>third</c>", count: 80))
        return writer.archive()
    }

    private func replacing(_ index: Int, with text: String, in original: Data) -> Data? {
        ZipRewriter.directCopy(replacingEntryAt: index, with: Array(text.utf8), in: original)
    }

    func testReplacing_eachEntry_keepsTheOthersAndReadsBack() throws {
        let original = archive()
        let before = DocxInspector.entries(original)
        XCTAssertEqual(before.count, 3)
        for index in 0..<3 {
            let text = String(repeating: "<new index=\"\(index)\"/>", count: 30 + index * 40)
            let copy = try XCTUnwrap(replacing(index, with: text, in: original))
            let after = DocxInspector.entries(copy)
            XCTAssertEqual(after.map(\.name), before.map(\.name))
            for (position, (old, new)) in zip(before, after).enumerated() {
                XCTAssertEqual(new.data, position == index ? Data(text.utf8) : old.data, "\(old.name)")
            }
        }
    }

    func testReplacing_withContentOfAnySize_readsBack() throws {
        // Deflated with windows from the smallest zlib takes to its largest.
        let original = archive()
        let alphabet = Array("abcdefgh <>/w:")
        for size in [0, 1, 511, 512, 513, 16_384, 16_385, 100_000] {
            // Text that repeats irregularly, so that deflate finds matches at all distances.
            let text = String((0..<size).map { alphabet[($0 * 7919 + $0 / 13) % alphabet.count] })
            let copy = try XCTUnwrap(replacing(1, with: text, in: original))
            XCTAssertEqual(DocxInspector.entries(copy)[1].data, Data(text.utf8), "\(size) bytes")
        }
    }

    func testReplacing_keepsTheArchiveCommentAndTheBytesBeforeTheEntry() throws {
        // An archive comment of 5 bytes after the end record.
        var original = archive()
        let comment = Data("hello".utf8)
        original[original.count - 2] = UInt8(comment.count)
        original.append(comment)
        XCTAssertEqual(DocxInspector.entries(original).count, 3)
        let copy = try XCTUnwrap(replacing(2, with: "<short/>", in: original))
        XCTAssertEqual(copy.suffix(comment.count), comment)
        XCTAssertEqual(DocxInspector.entries(copy).last?.data, Data("<short/>".utf8))
        // Everything up to the third entry's local header is the original's.
        let third = try XCTUnwrap(original.range(of: Data("PK\u{3}\u{4}".utf8), options: .backwards)).lowerBound
        XCTAssertEqual(copy.prefix(third - original.startIndex), original.prefix(third - original.startIndex))
    }

    func testReplacing_anArchiveItDoesNotHandle_isNil() {
        let original = archive()
        // No end record.
        XCTAssertNil(replacing(0, with: "<x/>", in: original.prefix(original.count - 22)))
        // An index past the directory.
        XCTAssertNil(replacing(3, with: "<x/>", in: original))
        // A comment length that runs past the end.
        var damaged = original
        damaged[damaged.count - 2] = 9
        XCTAssertNil(replacing(0, with: "<x/>", in: damaged))
        XCTAssertNil(replacing(0, with: "<x/>", in: Data()))
    }
}
