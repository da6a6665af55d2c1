import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import XCTest

@testable import resume_optimizer_server

func hmacSHA256(_ data: Data, key: [UInt8]) -> Data {
    Data(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
}

/// The secret every test server signs tokens with.
let testSecret = Array("server-tests-secret-with-at-least-32-bytes".utf8)

/// A bearer header for a user, signed with ``testSecret``.
func bearer(_ user: String, lifetime: Duration = .seconds(300)) -> HTTPFields {
    [.authorization: "Bearer \(JSONWebToken(secret: testSecret).sign(subject: user, lifetime: lifetime))"]
}

/// The configuration of test servers: the test secret, a public URL and small limits.
func testConfiguration(maximumResumeBytes: Int = 5 * 1024 * 1024, allowedOrigins: [String] = []) -> ServerConfiguration
{
    var configuration = ServerConfiguration(tokenSecret: testSecret)
    configuration.publicURL = "https://resumes.example.com"
    configuration.maximumResumeBytes = maximumResumeBytes
    configuration.allowedOrigins = allowedOrigins
    return configuration
}

let quietLogger = Logger(label: "resume-optimizer-server-tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// A JSON request body.
func jsonBody(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
}

/// Decodes a JSON object body.
func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
    return try XCTUnwrap(object as? [String: Any], "body is not a JSON object: \(String(buffer: buffer))")
}

/// Asserts a refusal: the status and a JSON body `{"message": "..."}` with a non-empty message.
func assertRefusal(
    _ response: TestResponse,
    _ status: HTTPResponse.Status,
    messageContains fragment: String? = nil,
    file: StaticString = #filePath,
    line: UInt = #line
) throws {
    XCTAssertEqual(response.status, status, String(buffer: response.body), file: file, line: line)
    XCTAssertEqual(response.headers[.contentType], "application/json; charset=utf-8", file: file, line: line)
    let message = try XCTUnwrap(try jsonObject(response.body)["message"] as? String, file: file, line: line)
    XCTAssertFalse(message.isEmpty, file: file, line: line)
    if let fragment {
        XCTAssertTrue(message.contains(fragment), "message: \(message)", file: file, line: line)
    }
}
