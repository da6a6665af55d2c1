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
    [.authorization: "Bearer \(TestToken.hs256(subject: user, lifetime: lifetime))"]
}

/// Tokens made by hand in the tests (independently of the server's jwt-kit), so that any header and
/// payload, well-formed or not, can be signed.
enum TestToken {
    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// `header.payload` of two JSON texts.
    static func signingInput(header: String, payload: String) -> String {
        base64URL(Data(header.utf8)) + "." + base64URL(Data(payload.utf8))
    }

    /// An HS256 token of raw JSON texts.
    static func hs256(header: String = #"{"alg":"HS256","typ":"JWT"}"#, payload: String, secret: [UInt8] = testSecret)
        -> String
    {
        let input = signingInput(header: header, payload: payload)
        return input + "." + base64URL(hmacSHA256(Data(input.utf8), key: secret))
    }

    /// An HS256 token for a user that expires after `lifetime` (from `now`).
    static func hs256(
        subject: String,
        lifetime: Duration = .seconds(300),
        now: Date = Date(),
        secret: [UInt8] = testSecret
    )
        -> String
    {
        hs256(payload: claims(subject: subject, lifetime: lifetime, now: now), secret: secret)
    }

    /// `{"sub": …, "exp": …, "iat": …}` as JSON.
    static func claims(
        subject: String,
        lifetime: Duration = .seconds(300),
        now: Date = Date(),
        extra: [String: Any] = [:]
    )
        -> String
    {
        let issuedAt = Int(now.timeIntervalSince1970)
        var object: [String: Any] = [
            "sub": subject, "exp": issuedAt + Int(lifetime.components.seconds), "iat": issuedAt,
        ]
        object.merge(extra) { $1 }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
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
