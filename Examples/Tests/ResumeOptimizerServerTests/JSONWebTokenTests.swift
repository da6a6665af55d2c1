import Foundation
import XCTest

@testable import resume_optimizer_server

final class JSONWebTokenTests: XCTestCase {
    let secret = Array("a-test-secret-that-is-at-least-32-bytes-long".utf8)

    func testVerify_whenTokenWasSignedWithTheSameSecret_returnsTheSubject() throws {
        let jwt = JSONWebToken(secret: secret)
        let token = jwt.sign(subject: "alice", lifetime: .seconds(60))

        let verified = try jwt.verify(token)

        XCTAssertEqual(verified.subject, "alice")
    }

    func testVerify_whenTokenWasSignedWithAnotherSecret_throwsBadSignature() {
        let forger = JSONWebToken(secret: Array("another-secret-that-is-at-least-32-bytes!".utf8))
        let token = forger.sign(subject: "alice", lifetime: .seconds(60))

        XCTAssertThrowsError(try JSONWebToken(secret: secret).verify(token)) { error in
            XCTAssertEqual((error as? JSONWebToken.VerificationError)?.kind, .badSignature)
        }
    }

    func testVerify_whenPayloadIsAlteredToAnotherUser_throwsBadSignature() throws {
        let jwt = JSONWebToken(secret: secret)
        let parts = jwt.sign(subject: "alice", lifetime: .seconds(60)).split(separator: ".")
        let otherPayload = JSONWebToken.base64URLEncode(Data(#"{"exp":9999999999,"sub":"bob"}"#.utf8))
        let tampered = "\(parts[0]).\(otherPayload).\(parts[2])"

        XCTAssertThrowsError(try jwt.verify(tampered)) { error in
            XCTAssertEqual((error as? JSONWebToken.VerificationError)?.kind, .badSignature)
        }
    }

    func testVerify_whenTokenHasExpired_throwsExpired() {
        let jwt = JSONWebToken(secret: secret)
        let token = jwt.sign(subject: "alice", lifetime: .seconds(60), now: Date(timeIntervalSinceNow: -120))

        XCTAssertThrowsError(try jwt.verify(token)) { error in
            XCTAssertEqual((error as? JSONWebToken.VerificationError)?.kind, .expired)
        }
    }

    func testVerify_whenTokenHasNoExpiry_throwsMissingExpiry() {
        let jwt = JSONWebToken(secret: secret)
        let token = Self.signRaw(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: #"{"sub":"alice"}"#, secret: secret)

        XCTAssertThrowsError(try jwt.verify(token)) { error in
            XCTAssertEqual((error as? JSONWebToken.VerificationError)?.kind, .missingExpiry)
        }
    }

    func testVerify_whenTokenHasNoSubject_throwsMissingSubject() {
        let jwt = JSONWebToken(secret: secret)
        let token = Self.signRaw(header: #"{"alg":"HS256"}"#, payload: #"{"exp":9999999999}"#, secret: secret)

        XCTAssertThrowsError(try jwt.verify(token)) { error in
            XCTAssertEqual((error as? JSONWebToken.VerificationError)?.kind, .missingSubject)
        }
    }

    func testVerify_whenAlgorithmIsNone_throwsUnsupportedAlgorithm() {
        let header = JSONWebToken.base64URLEncode(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let payload = JSONWebToken.base64URLEncode(Data(#"{"sub":"alice","exp":9999999999}"#.utf8))

        XCTAssertThrowsError(try JSONWebToken(secret: secret).verify("\(header).\(payload).")) { error in
            XCTAssertEqual((error as? JSONWebToken.VerificationError)?.kind, .unsupportedAlgorithm)
        }
    }

    func testVerify_whenTokenIsNotThreeBase64URLParts_throwsMalformed() {
        let jwt = JSONWebToken(secret: secret)
        for token in ["", "abc", "a.b", "a.b.c.d", "!!!.???.***"] {
            XCTAssertThrowsError(try jwt.verify(token), "token: \(token)") { error in
                XCTAssertEqual((error as? JSONWebToken.VerificationError)?.kind, .malformed)
            }
        }
    }

    func testVerify_whenNotBeforeIsInTheFuture_throwsNotYetValid() {
        let jwt = JSONWebToken(secret: secret)
        let token = Self.signRaw(
            header: #"{"alg":"HS256"}"#,
            payload: #"{"sub":"alice","exp":9999999999,"nbf":9999999000}"#,
            secret: secret
        )

        XCTAssertThrowsError(try jwt.verify(token)) { error in
            XCTAssertEqual((error as? JSONWebToken.VerificationError)?.kind, .notYetValid)
        }
    }

    func testVerify_whenTokenComesFromAnotherHS256Implementation_acceptsIt() throws {
        // Made with Python's hmac module for the secret above:
        // {"alg":"HS256","typ":"JWT"} . {"sub":"1234567890","name":"John Doe","exp":4102444800}
        let token =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiZXhwIjo0MTAyNDQ0ODAwfQ"
            + ".aKdCjG3_RKN5yjXms2i_4erEjuG9VAp4AEoZGu5o-48"

        XCTAssertEqual(try JSONWebToken(secret: secret).verify(token).subject, "1234567890")
    }

    /// Signs any header and payload text with HMAC-SHA256, the way any JWT library does.
    static func signRaw(header: String, payload: String, secret: [UInt8]) -> String {
        let input =
            JSONWebToken.base64URLEncode(Data(header.utf8)) + "." + JSONWebToken.base64URLEncode(Data(payload.utf8))
        return input + "." + JSONWebToken.base64URLEncode(hmacSHA256(Data(input.utf8), key: secret))
    }
}
