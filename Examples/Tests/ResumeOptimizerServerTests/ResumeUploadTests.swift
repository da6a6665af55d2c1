import Foundation
import XCTest

@testable import resume_optimizer_server

/// The resume's base64 decoded from the request body's own bytes.
final class ResumeUploadTests: XCTestCase {
    private func locate(_ json: String) -> (content: String, rest: String)? {
        let bytes = Array(json.utf8)
        return bytes.withUnsafeBytes { raw in
            ResumeUpload.locateResume(in: raw).map {
                (String(decoding: raw[$0.content], as: UTF8.self), String(decoding: $0.rest, as: UTF8.self))
            }
        }
    }

    private func decode(_ text: String, maximumBytes: Int = 1000) throws -> Data {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { try ResumeUpload.decodeBase64($0, maximumBytes: maximumBytes) }
    }

    func testLocate_findsTheTopLevelResumeString_whereverItIs_andLeavesTheRestToDecode() throws {
        let json = #"{"options": {"resume": "nested"}, "list": [1, "a\"]", {}], "resume" : "QUJD\/+w==", "x": null}"#
        let located = try XCTUnwrap(locate(json))
        XCTAssertEqual(located.content, #"QUJD\/+w=="#)
        XCTAssertEqual(
            located.rest,
            #"{"options": {"resume": "nested"}, "list": [1, "a\"]", {}], "resume" : "", "x": null}"#
        )
        let rest = try JSONSerialization.jsonObject(with: Data(located.rest.utf8)) as? [String: Any]
        XCTAssertEqual(rest?["resume"] as? String, "")
    }

    func testLocate_givesUp_whenTheBodyIsNotAPlainObjectWithOneResumeString() {
        for json in [
            #"{"resume": 42}"#, #"{"resume": "a", "resume": "b"}"#, #"["resume", "a"]"#, #"{"resume": "a""#,
            #"{"jobDescription": "x"}"#, #"{"resume": "a"} trailing"#, "{\"resume\": \"line\nbreak\"}", "",
        ] {
            XCTAssertNil(locate(json), json)
        }
    }

    func testDecode_matchesFoundation_forEveryLengthAndTheFormsClientsSend() throws {
        for length in 1...64 {
            let data = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
            let standard = data.base64EncodedString()
            XCTAssertEqual(try decode(standard), data)
            XCTAssertEqual(try decode(standard.replacingOccurrences(of: "=", with: "")), data, "padding optional")
            XCTAssertEqual(try decode(data.base64EncodedString(options: .lineLength64Characters)), data)
            let escaped = standard.replacingOccurrences(of: "/", with: #"\/"#)
            XCTAssertEqual(try decode(escaped), data, "JSON's escaped slash")
            XCTAssertEqual(try decode("data:application/octet-stream;base64," + standard), data)
            XCTAssertEqual(try decode(#"\n"# + standard + #"\r\n"#), data, "escaped line breaks")
        }
    }

    func testDecode_refusesWhatIsNotBase64_andWhatIsTooLarge() {
        let cases: [(String, ResumeUpload.Refusal)] = [
            ("", .empty), ("  \n ", .empty), ("data:text/plain;base64,", .empty),
            ("not base64!", .notBase64), ("QUJD=QUJD", .notBase64), ("Q", .notBase64), ("QQ=", .notBase64),
            (#"QUJD\u0041"#, .notBase64), ("data:text/plain,hello", .dataURLNotBase64),
            (Data(count: 1001).base64EncodedString(), .tooLarge),
            (String(repeating: "A", count: 1_000_000), .tooLarge),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try decode(text)) {
                XCTAssertEqual($0 as? ResumeUpload.Refusal, expected, text.prefix(40).description)
            }
        }
        XCTAssertEqual(try decode(Data(count: 1000).base64EncodedString()).count, 1000, "exactly at the limit")
    }
}
