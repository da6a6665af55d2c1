import Foundation
import JobOrchestration
import NIOCore
import XCTest

@testable import resume_optimizer_server

/// The server's one JSON encoder: the text it writes parses back to what was encoded, with the
/// escapes JSON needs, and misuse is an error instead of broken JSON.
final class ServerJSONEncoderTests: XCTestCase {
    private func text(_ value: some Encodable) throws -> String {
        String(buffer: try ServerJSONEncoder.encode(value))
    }

    private struct Nested: Encodable, Equatable {
        struct Inner: Codable, Equatable {
            var name: String
            var scores: [Int]
            var ratio: Double
        }

        var flag: Bool
        var missing: String?
        var inner: Inner
        var list: [Inner]
        var table: [String: [String]]
        var empty: [String]
    }

    func testCompactMembersInEncodingOrder() throws {
        struct Pair: Encodable {
            var zebra = "z"
            var apple = 1
        }
        XCTAssertEqual(try text(Pair()), #"{"zebra":"z","apple":1}"#)
        XCTAssertEqual(try text(["message": "a/b"]), #"{"message":"a/b"}"#)
        XCTAssertEqual(try text([String]()), "[]")
        XCTAssertEqual(try text("top"), #""top""#)
        XCTAssertEqual(try text(Optional<Int>.none), "null")
    }

    func testEscapesWhatJSONNeeds() throws {
        let tricky = "quote \" backslash \\ newline \n tab \t bell \u{07} del \u{7F} é ✓ 🎉 </script>"
        let encoded = try text(["value": tricky])
        XCTAssertEqual(
            encoded,
            #"{"value":"quote \" backslash \\ newline \n tab \t bell \u0007 del "# + "\u{7F} é ✓ 🎉 </script>\"}"
        )
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(encoded.utf8))
        XCTAssertEqual(decoded["value"], tricky)
    }

    func testNestedValuesParseBack() throws {
        let value = Nested(
            flag: true,
            missing: nil,
            inner: .init(name: "a", scores: [1, -2, 3], ratio: 0.25),
            list: [.init(name: "b", scores: [], ratio: 2), .init(name: "c\"", scores: [7], ratio: -1.5e-7)],
            table: ["k": ["x", "y"]],
            empty: []
        )
        let encoded = try ServerJSONEncoder.encode(value)
        let object = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(encoded.readableBytesView)) as? [String: Any]
        )
        XCTAssertEqual(object["flag"] as? Bool, true)
        XCTAssertNil(object["missing"], "an absent optional is left out, as encodeIfPresent says")
        XCTAssertEqual((object["inner"] as? [String: Any])?["scores"] as? [Int], [1, -2, 3])
        XCTAssertEqual((object["table"] as? [String: Any])?["k"] as? [String], ["x", "y"])
        XCTAssertEqual(object["empty"] as? [String], [])
        let list = try XCTUnwrap(object["list"] as? [[String: Any]])
        XCTAssertEqual(list.map { $0["name"] as? String }, ["b", "c\""])
        XCTAssertEqual(list[1]["ratio"] as? Double, -1.5e-7)
        XCTAssertEqual(list[0]["ratio"] as? Double, 2)
    }

    func testNumbers() throws {
        XCTAssertEqual(try text([67.0, 0.5, -3]), "[67,0.5,-3]")
        XCTAssertEqual(try text([Int64.min]), "[-9223372036854775808]")
        XCTAssertEqual(try text([UInt64.max]), "[18446744073709551615]")
        XCTAssertThrowsError(try text([Double.nan]))
        XCTAssertThrowsError(try text([Double.infinity]))
    }

    func testValueThatEncodesNothingIsAnEmptyObject() throws {
        struct Nothing: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }
        struct Holder: Encodable {
            var nothing = Nothing()
            var after = 1
        }
        XCTAssertEqual(try text(Holder()), #"{"nothing":{},"after":1}"#)
        XCTAssertThrowsError(try text(Nothing()), "a top-level value must encode something")
    }

    func testMisuseThrowsInsteadOfWritingBrokenJSON() throws {
        struct Twice: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode("a")
                try container.encode("b")
            }
        }
        XCTAssertThrowsError(try text(["value": Twice()]))

        struct Late: Encodable {
            struct Keys: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }
            func encode(to encoder: any Encoder) throws {
                var outer = encoder.container(keyedBy: Keys.self)
                var inner = outer.nestedUnkeyedContainer(forKey: Keys(stringValue: "inner"))
                try inner.encode(1)
                try outer.encode(2, forKey: Keys(stringValue: "next"))
                // The nested array was closed when the object moved on.
                try inner.encode(3)
            }
        }
        XCTAssertThrowsError(try text(Late())) { error in
            guard case EncodingError.invalidValue(_, let context) = error else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(context.codingPath.map(\.stringValue), ["inner"])
        }
    }

    func testSnapshotShape() throws {
        let snapshot = JobSnapshot(
            status: "COMPLETED",
            message: "Resume optimization complete",
            timestamp: JobTimestamp.date(from: "2024-07-23T18:01:30.000Z")!,
            jobID: JobID("3f2504e0-4f89-41d3-9a0c-0305e82c3301")!,
            download: .init(
                base: "https://api.example.com/downloads/",
                token: "v2.abc",
                file: JobResultDescription(
                    fileType: "txt",
                    contentType: "text/plain; charset=utf-8",
                    downloadFilename: "optimized_resume_3f2504e0.txt",
                    byteCount: 9
                )
            ),
            errorCode: nil,
            report: .init(
                matchScoreBefore: 40,
                matchScoreAfter: 70,
                matchedKeywords: ["Swift"],
                missingKeywords: [],
                warnings: ["w"]
            )
        )
        let ours = try JSONSerialization.jsonObject(
            with: Data(try ServerJSONEncoder.encode(snapshot).readableBytesView)
        )
        let foundation = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(snapshot))
        XCTAssertEqual(ours as? NSDictionary, foundation as? NSDictionary)
    }

    /// The status and the job list are written by `JSONTextWriter`, not through `Encodable`: the text
    /// must be exactly the encoder's, byte for byte.
    func testSnapshotWriter_writesExactlyWhatTheEncoderWrites() throws {
        let file = JobResultDescription(
            fileType: "docx",
            contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            downloadFilename: "optimized_resume_3f2504e0.docx",
            byteCount: 9
        )
        let completed = JobSnapshot(
            status: "COMPLETED",
            message: "Done: \"quoted\", back\\slash, tab\t, line\n, bell\u{07}, é, 名前 and /",
            timestamp: JobTimestamp.date(from: "2024-07-23T18:01:30.000Z")!,
            jobID: JobID("3f2504e0-4f89-41d3-9a0c-0305e82c3301")!,
            download: .init(base: "https://api.example.com/downloads/", token: "v3.abc", file: file),
            errorCode: nil,
            report: .init(
                matchScoreBefore: -1,
                matchScoreAfter: 100,
                matchedKeywords: ["Swift", "C++ \"17\""],
                missingKeywords: [],
                warnings: ["w1", "w2"]
            )
        )
        let failed = JobSnapshot(
            status: "FAILED",
            message: "The model did not answer.",
            timestamp: JobTimestamp.date(from: "2024-07-23T18:01:30.000Z")!,
            jobID: JobID("3f2504e0-4f89-41d3-9a0c-0305e82c3301")!,
            download: nil,
            errorCode: "PROVIDER_UNAVAILABLE",
            report: nil
        )
        var processing = failed
        processing.status = "PROCESSING"
        processing.errorCode = nil
        for snapshot in [completed, failed, processing] {
            var writer = JSONTextWriter()
            snapshot.write(to: &writer)
            XCTAssertEqual(String(buffer: writer.finish()), try text(snapshot))
        }

        let history = APIRoutes.HistoryResponse(jobs: [completed, failed, processing])
        struct Jobs: Encodable { var jobs: [JobSnapshot] }
        XCTAssertEqual(String(buffer: history.body()), try text(Jobs(jobs: history.jobs)))
        XCTAssertEqual(try text(Jobs(jobs: [])), #"{"jobs":[]}"#)
    }
}
