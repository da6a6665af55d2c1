import Crypto
import Foundation
@testable import JobOrchestration
import XCTest

/// The building blocks of download links, checked against swift-crypto and Foundation.
final class LinkCryptographyTests: XCTestCase {
    func testPreparedHMAC_computesTheCodesOfSwiftCryptosHMAC() {
        var generator = SystemRandomNumberGenerator()
        // Keys shorter than, as long as and longer than SHA-256's 64-byte block (hashed first).
        for keyLength in [0, 1, 16, 32, 63, 64, 65, 100, 200] {
            let key = SymmetricKey(data: (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let prepared = HMACSHA256Key(key)
            for messageLength in [0, 1, 28, 55, 56, 64, 119, 1000] {
                let message = (0..<messageLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
                let code = message.withUnsafeBytes { prepared.withCode(of: $0) { Array($0) } }
                XCTAssertEqual(code, expected, "key \(keyLength) bytes, message \(messageLength) bytes")
                message.withUnsafeBytes { bytes in
                    XCTAssertTrue(prepared.isValidCode(expected, of: bytes))
                    var altered = expected
                    altered[messageLength % 32] ^= 0x01
                    XCTAssertFalse(prepared.isValidCode(altered, of: bytes))
                    XCTAssertFalse(prepared.isValidCode(Array(expected.dropLast()), of: bytes))
                }
            }
        }
    }

    func testASCIIWriter_writesDecimalsUUIDsAndBase64LikeFoundation() {
        for value: Int64 in [0, 7, 10, 99, 1_796_323_490, -1, -45, .max, .min] {
            let text = String(unsafeUninitializedCapacity: Encoding.maximumDecimalLength) { buffer in
                var writer = ASCIIWriter(buffer)
                writer.appendDecimal(value)
                return writer.count
            }
            XCTAssertEqual(text, String(value))
        }
        let uuid = UUID()
        let uuidText = String(unsafeUninitializedCapacity: 36) { buffer in
            var writer = ASCIIWriter(buffer)
            withUnsafeBytes(of: uuid.uuid) { writer.appendUUID($0) }
            return writer.count
        }
        XCTAssertEqual(uuidText, uuid.uuidString.lowercased())
    }

    /// A link is `v3.<job>.<expiry>.<user>.<signature>`, rebuilt here from its definition with swift-crypto:
    /// the user id XOR HMAC-SHA256(HKDF(secret), job ‖ expiry ‖ block) blocks, and HMAC-SHA256(secret) over
    /// everything before the last dot. Links minted before an upgrade keep verifying only if this holds.
    func testSign_writesExactlyTheDocumentedToken() throws {
        let secret = Array("0123456789abcdef0123456789abcdef".utf8)
        let signer = try DownloadLinkSigner(configuration: .init(secret: secret))
        let id = try XCTUnwrap(JobID("c3635d6a-12dd-4197-a35d-12747f9d751c"))
        let now = Date(timeIntervalSince1970: 1_796_319_890.75)
        let expiry: Int64 = 1_796_319_890 + 3600
        for user in ["bench", "alice@example.com", String(repeating: "ユーザー/", count: 20)] {
            let key = SymmetricKey(data: secret)
            let encryption = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: key,
                info: Array("resume-optimizer download link user id".utf8),
                outputByteCount: 32
            )
            var encrypted = Array(user.utf8)
            for block in 0..<(encrypted.count + 31) / 32 {
                var input = withUnsafeBytes(of: id.uuid.uuid) { Array($0) }
                withUnsafeBytes(of: expiry.bigEndian) { input.append(contentsOf: $0) }
                withUnsafeBytes(of: UInt32(block).bigEndian) { input.append(contentsOf: $0) }
                let stream = Array(HMAC<SHA256>.authenticationCode(for: input, using: encryption))
                for index in block * 32..<min(encrypted.count, block * 32 + 32) {
                    encrypted[index] ^= stream[index - block * 32]
                }
            }
            let signed = "v3.\(id).\(expiry).\(Encoding.base64URL(encrypted))"
            let signature = Encoding.base64URL(HMAC<SHA256>.authenticationCode(for: Array(signed.utf8), using: key))

            let link = signer.sign(jobID: id, userID: user, now: now)

            XCTAssertEqual(link.token, "\(signed).\(signature)")
            XCTAssertEqual(try signer.verify(link.token, now: now).userID, user)
        }
    }
}
