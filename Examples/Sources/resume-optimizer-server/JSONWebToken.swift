import Crypto
import Foundation

/// Signs and verifies JSON Web Tokens with HMAC-SHA256 (`HS256`), the only algorithm the server accepts.
///
/// A token names its user in the `sub` claim and must carry an `exp` claim; the server refuses tokens
/// that are expired, not yet valid (`nbf`), signed with another secret, or that declare any other
/// algorithm (including `none`).
struct JSONWebToken: Sendable {
    /// Why a token was refused. The message is safe to send to the caller: it never repeats the token.
    struct VerificationError: Error, Sendable, Equatable, CustomStringConvertible {
        enum Kind: String, Sendable {
            case malformed
            case unsupportedAlgorithm
            case badSignature
            case missingSubject
            case missingExpiry
            case expired
            case notYetValid
        }

        var kind: Kind
        var message: String
        var description: String { "JSONWebToken.VerificationError.\(kind): \(message)" }
    }

    /// The claims the server reads.
    struct Claims: Codable, Sendable, Equatable {
        /// The user id.
        var sub: String
        /// Expiry, in seconds since 1970.
        var exp: Int64
        /// Issued at, in seconds since 1970.
        var iat: Int64?
        /// Not valid before, in seconds since 1970.
        var nbf: Int64?
    }

    private let secret: [UInt8]

    /// Creates a signer and verifier for a shared secret.
    init(secret: some DataProtocol) {
        self.secret = Array(secret)
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// Makes a signed token for a user that expires after `lifetime`.
    func sign(subject: String, lifetime: Duration, now: Date = Date()) -> String {
        let issuedAt = Int64(now.timeIntervalSince1970)
        let claims = Claims(sub: subject, exp: issuedAt + lifetime.components.seconds, iat: issuedAt, nbf: nil)
        return sign(claims)
    }

    /// Signs arbitrary claims.
    func sign(_ claims: Claims) -> String {
        let header = Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding a struct of strings and integers cannot fail.
        let payload = (try? encoder.encode(claims)) ?? Data()
        let signingInput = Self.base64URLEncode(header) + "." + Self.base64URLEncode(payload)
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key)
        return signingInput + "." + Self.base64URLEncode(Data(signature))
    }

    /// What a verified token says.
    struct Verified: Sendable, Equatable {
        /// The user id (`sub`).
        var subject: String
        /// When the token stops being accepted (`exp`).
        var expiresAt: Date
    }

    /// Verifies a token's signature and time claims and returns who it names.
    func verify(_ token: String, now: Date = Date()) throws(VerificationError) -> Verified {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerData = Self.base64URLDecode(parts[0]),
            let payloadData = Self.base64URLDecode(parts[1]),
            let signature = Self.base64URLDecode(parts[2])
        else {
            throw VerificationError(kind: .malformed, message: "The bearer token is not a well-formed JSON Web Token.")
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: headerData) else {
            throw VerificationError(kind: .malformed, message: "The bearer token's header is not valid JSON.")
        }
        guard header.alg == "HS256" else {
            throw VerificationError(
                kind: .unsupportedAlgorithm,
                message: "The bearer token must be signed with HS256."
            )
        }
        let signingInput = Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        // `isValidAuthenticationCode` compares in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: key) else {
            throw VerificationError(kind: .badSignature, message: "The bearer token's signature is not valid.")
        }
        let payload: Payload
        do {
            payload = try JSONDecoder().decode(Payload.self, from: payloadData)
        } catch {
            throw VerificationError(kind: .malformed, message: "The bearer token's claims are not valid JSON.")
        }
        guard let subject = payload.sub, !subject.isEmpty else {
            throw VerificationError(kind: .missingSubject, message: "The bearer token has no 'sub' claim.")
        }
        guard let expiry = payload.exp else {
            throw VerificationError(kind: .missingExpiry, message: "The bearer token has no 'exp' claim.")
        }
        let nowSeconds = now.timeIntervalSince1970
        guard nowSeconds < expiry else {
            throw VerificationError(kind: .expired, message: "The bearer token has expired.")
        }
        if let notBefore = payload.nbf, nowSeconds < notBefore {
            throw VerificationError(kind: .notYetValid, message: "The bearer token is not valid yet.")
        }
        return Verified(subject: subject, expiresAt: Date(timeIntervalSince1970: expiry))
    }

    private struct Header: Decodable {
        var alg: String
    }

    /// Numeric dates may be integers or fractions (RFC 7519 `NumericDate`).
    private struct Payload: Decodable {
        var sub: String?
        var exp: Double?
        var iat: Double?
        var nbf: Double?
    }

    static func base64URLEncode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: Substring) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: base64)
    }
}
