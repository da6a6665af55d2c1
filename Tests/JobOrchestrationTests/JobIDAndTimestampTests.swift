import Foundation
@testable import JobOrchestration
import XCTest

final class JobIDAndTimestampTests: XCTestCase {
    func testRandomIDs_areVersion4UUIDsAndDistinct() {
        let ids = (0..<1000).map { _ in JobID.random() }

        XCTAssertEqual(Set(ids).count, 1000)
        for id in ids.prefix(20) {
            let text = id.description
            XCTAssertEqual(text, text.lowercased())
            XCTAssertEqual(Array(text)[14], "4", "version 4")
            XCTAssertTrue("89ab".contains(Array(text)[19]), "RFC 4122 variant")
            XCTAssertEqual(JobID(text), id)
        }
        XCTAssertNil(JobID("not-a-uuid"))
        XCTAssertEqual(ids[0].shortPrefix, String(ids[0].description.prefix(8)))
    }

    func testParsing_agreesWithFoundationsUUIDParser() {
        let text = "9b2f6c1e-0d4a-4e8b-a1c3-5f7e9d2b4c6a"
        XCTAssertEqual(JobID(text)?.uuid, UUID(uuidString: text))
        XCTAssertEqual(JobID(text.uppercased()), JobID(text), "either case")
        for id in (0..<200).map({ _ in UUID() }) {
            XCTAssertEqual(JobID(id.uuidString)?.uuid, id)
        }
        for refused in [
            "", "9b2f6c1e0d4a4e8ba1c35f7e9d2b4c6a", "9b2f6c1e-0d4a-4e8b-a1c3-5f7e9d2b4c6",
            "9b2f6c1e-0d4a-4e8b-a1c3-5f7e9d2b4c6aa", "9b2f6c1e-0d4a-4e8b-a1c35-f7e9d2b4c6a",
            "9b2f6c1g-0d4a-4e8b-a1c3-5f7e9d2b4c6a", "9b2f6c1e-0d4a-4e8b-a1c3-5f7e9d2b4c6 ",
            " 9b2f6c1e-0d4a-4e8b-a1c3-5f7e9d2b4c6", "9b2f6c1e+0d4a-4e8b-a1c3-5f7e9d2b4c6a",
            "9b2f6c1e-0d4a-4e8b-a1c3-5f7e9d2b4cé", "9b2f6c1e-0d4a-4e8b-a1c3-5f7e9d2b4é",
        ] {
            XCTAssertNil(JobID(refused), refused)
        }
    }

    func testTimestamp_formatsUTCWithMilliseconds() {
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_721_757_600)), "2024-07-23T18:00:00.000Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_721_757_690.5)), "2024-07-23T18:01:30.500Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 951_782_400.007)), "2000-02-29T00:00:00.007Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_709_164_799.999)), "2024-02-28T23:59:59.999Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
    }

    func testTimestamp_parsesWhatItFormatsAndRejectsOtherText() {
        for seconds in [0.0, 951_782_400.007, 1_721_757_690.5, 4_102_444_799.999] {
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(
                Timestamp.parse(Timestamp.format(date)).map(Timestamp.milliseconds),
                Timestamp.milliseconds(date)
            )
        }
        XCTAssertEqual(Timestamp.parse("2024-07-23T18:00:00Z"), Date(timeIntervalSince1970: 1_721_757_600))
        for text in [
            "2024-07-23 18:00:00.000Z", "2024-07-23T18:00:00.000", "2024-13-23T18:00:00.000Z", "", "yesterday",
        ] {
            XCTAssertNil(Timestamp.parse(text), text)
        }
    }

    func testUTF8Views_giveTheSameTextAsTheStrings() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let id = JobID.random(using: &generator)
            XCTAssertEqual(id.withUTF8 { String(decoding: $0, as: UTF8.self) }, id.description)
            // Any millisecond from 1970 to 2100.
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: 0..<4_102_444_800_000)) / 1000)
            let text = JobTimestamp.withUTF8(of: date) { String(decoding: $0, as: UTF8.self) }
            XCTAssertEqual(text, JobTimestamp.text(of: date))
            XCTAssertEqual(JobTimestamp.date(from: text), date)
        }
    }
}
