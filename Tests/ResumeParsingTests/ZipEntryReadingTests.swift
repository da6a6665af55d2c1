import Foundation
import XCTest

@testable import ResumeParsing

/// Reading an entry as the parser does: stored and deflated entries are decoded and checked by
/// ``ZipEntryStream`` itself (the CRC and size the directory records), and the CRC-32 is the zip one.
final class ZipEntryReadingTests: XCTestCase {
    // MARK: CRC-32

    /// The CRC-32 of zip, one bit at a time from its definition (reflected polynomial 0xEDB88320).
    private func referenceCRC32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    func testCRC32_matchesTheDefinition_forEveryLengthAroundTheBlockSizes() {
        XCTAssertEqual(RawDeflate.crc32(Array("123456789".utf8)), 0xCBF4_3926)  // the standard check value
        XCTAssertEqual(RawDeflate.crc32([]), 0)
        for length in 0..<300 {
            let bytes = randomBytes(length, seed: UInt64(length) + 1)
            XCTAssertEqual(RawDeflate.crc32(bytes), referenceCRC32(bytes), "length \(length)")
        }
        for length in [1023, 1024, 4099, 65_536 + 13, 250_000] {
            let bytes = randomBytes(length, seed: UInt64(length))
            XCTAssertEqual(RawDeflate.crc32(bytes), referenceCRC32(bytes), "length \(length)")
        }
    }

    func testCRC32_continuedOverPieces_equalsTheWhole() {
        let bytes = randomBytes(10_000, seed: 7)
        let whole = RawDeflate.crc32(bytes)
        for cuts in [[1], [63, 64, 65], [16, 32, 48, 5000], [9_999], [100, 200, 3000, 3001, 7000]] {
            var crc: UInt32 = 0
            var start = 0
            for end in cuts + [bytes.count] {
                crc = bytes[start..<end].withUnsafeBytes { RawDeflate.crc32(crc, $0) }
                start = end
            }
            XCTAssertEqual(crc, whole, "cuts \(cuts)")
        }
    }

    // MARK: Entries

    private let deflatedText = String(repeating: "<w:p><w:r><w:t>Led the platform team.</w:t></w:r></w:p>", count: 400)
    private let storedBytes = Data((0..<3000).map { UInt8($0 % 251) })

    private func archive() -> Data {
        var writer = ZipWriter()
        writer.add("deflated.xml", deflatedText)
        writer.add("stored.bin", data: storedBytes, compression: .store)
        return writer.archive()
    }

    private func read(_ name: String, in data: Data) throws(ResumeParsingError) -> [UInt8] {
        try ZipArchive.withArchive(data) { archive throws(ResumeParsingError) in
            guard let index = archive.entryIndex(named: name) else {
                throw ResumeParsingError(code: .corruptArchive, message: "missing")
            }
            let stream = try archive.openEntry(
                at: index,
                partName: name,
                budget: InflateBudget(ResumeParser.Configuration())
            )
            return try stream.readAll(maximumSize: 1 << 24)
        }
    }

    func testRead_givesTheContentOfDeflatedAndStoredEntries() throws {
        let data = archive()
        XCTAssertEqual(try read("deflated.xml", in: data), Array(deflatedText.utf8))
        XCTAssertEqual(try read("stored.bin", in: data), Array(storedBytes))
    }

    func testRead_whenTheRecordedCRCIsWrong_throwsCorruptArchiveNamingTheChecksum() {
        for name in ["deflated.xml", "stored.bin"] {
            let data = archive().rewritingHeaderField(local: 14, central: 16, to: 0x1234_5678, entry: name)
            XCTAssertThrowsParsingError(try read(name, in: data), code: .corruptArchive) { error in
                XCTAssertTrue(error.message.contains("checksum"), error.message)
                XCTAssertEqual(error.partName, name)
            }
        }
    }

    func testRead_whenOnlyTheRecordedSizeOfADeflatedEntryIsWrong_givesTheContent() throws {
        // As libzip reads it: the limits count the bytes produced, not the sizes an archive claims. (A
        // stored entry whose two sizes differ is refused by libzip itself.)
        let content = Array(deflatedText.utf8)
        let data = archive().rewritingHeaderField(
            local: 22,
            central: 24,
            to: UInt32(content.count) + 1,
            entry: "deflated.xml"
        )
        XCTAssertEqual(try read("deflated.xml", in: data), content)
        let stored = archive().rewritingHeaderField(
            local: 22,
            central: 24,
            to: UInt32(storedBytes.count) + 1,
            entry: "stored.bin"
        )
        XCTAssertThrowsParsingError(try read("stored.bin", in: stored), code: .corruptArchive)
    }

    func testRead_whenTheDeflatedDataIsCutShort_throwsCorruptArchive() throws {
        let data = archive()
        // The compressed size, from the central record (the first record in the directory).
        let bytes = [UInt8](data)
        let record = try XCTUnwrap((0..<bytes.count - 4).first { bytes[$0..<$0 + 4] == [0x50, 0x4B, 0x01, 0x02] })
        let compressed = (0..<4).reduce(0) { $0 | Int(bytes[record + 20 + $1]) << (8 * $1) }
        XCTAssertGreaterThan(compressed, 100)
        let cut = data.rewritingHeaderField(local: 18, central: 20, to: UInt32(compressed / 2), entry: "deflated.xml")
        XCTAssertThrowsParsingError(try read("deflated.xml", in: cut), code: .corruptArchive)
    }
}
