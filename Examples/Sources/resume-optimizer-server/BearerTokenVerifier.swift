import Crypto
import Foundation
import JWTKit
import Synchronization

/// How bearer tokens are checked: which keys sign them and which claims they must carry.
///
/// Set by `serve`'s `--jwt-*` and `--jwks-*` options. `HS256` tokens are always checked with the
/// server's secret (`RESUME_OPTIMIZER_JWT_SECRET`, which also keys the download links).
struct TokenPolicy: Sendable {
    /// Where the public keys of `RS256`, `RS384`, `RS512`, `PS256`, `ES256`, `ES384` and `EdDSA`
    /// tokens come from; `nil` refuses those algorithms.
    var keySet: JSONWebKeySetSource?
    /// The required `iss` claim, when set.
    var issuer: String?
    /// A value the `aud` claim (a string or an array) must hold, when set.
    var audience: String?
    /// How far `exp`, `nbf` and `iat` may be off, for clock skew. Default 60 s.
    var leeway: Duration = .seconds(60)
    /// The claim that names the user. Default `sub` (Cognito access tokens: `username`).
    var userClaim: String = "sub"
}

/// Why a token was refused. The message is safe to send to the caller: it never repeats the token
/// or a claim's value.
struct TokenRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: String, Sendable {
        case malformed
        case unsupportedAlgorithm
        case unknownKey
        case badSignature
        case duplicateClaim
        case missingUser
        case missingExpiry
        case expired
        case notYetValid
        case issuedInTheFuture
        case wrongIssuer
        case wrongAudience
        case keysUnavailable
    }

    var kind: Kind
    var message: String
    var description: String { "TokenRefusal.\(kind): \(message)" }

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Verifies bearer tokens with jwt-kit and remembers the ones it accepted.
///
/// - `HS256` is checked with the shared secret; the asymmetric algorithms with the key of the
///   token's `kid` from a JSON Web Key Set (file or HTTPS URL, refreshed when a token names an unknown
///   `kid`). A token's `alg` must be one of those the server has keys for and must match the key's
///   type, so an `HS256` token "signed" with an RSA public key, or `alg: none`, is refused.
/// - `exp` is required; `exp`, `nbf` and `iat` are honoured with ``TokenPolicy/leeway``; `iss` and
///   `aud` are checked when configured. A claim given twice (two `sub` keys) is refused.
/// - The user is ``TokenPolicy/userClaim``, any non-empty string; ``userKey(forClaim:)`` makes the
///   id the job system stores, so no claim reaches a file path or a store limit as it is.
///
/// A verified token is cached until it expires (at most ``maximumCachedTokens``), so repeated
/// requests with the same token skip the signature check.
final class BearerTokenVerifier: Sendable {
    /// The longest token accepted, in bytes.
    static let maximumTokenBytes = 16 * 1024
    /// How many verified tokens are remembered.
    static let maximumCachedTokens = 10_000
    /// The algorithms checked with keys from the key set.
    static let keySetAlgorithms: Set<String> = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
    ]

    let policy: TokenPolicy
    private let secret: [UInt8]
    private let hmacKeys = JWTKeyCollection()
    private let hmacKeysReady = Mutex(false)
    let keySet: JSONWebKeySetCache?
    private let cache = Mutex<[String: CachedToken]>([:])

    private struct CachedToken: Sendable {
        var user: String
        /// When the entry stops being used: `exp` plus the leeway.
        var validUntil: Double
    }

    /// Creates a verifier; a key set is read at the first token that needs it, or by ``preload()``.
    ///
    /// - Parameters:
    ///   - secret: The `HS256` secret.
    ///   - policy: Key set and claim rules.
    ///   - fetch: How the key set's URL is read; default AsyncHTTPClient.
    init(secret: [UInt8], policy: TokenPolicy, fetch: JSONWebKeySetCache.Fetch? = nil) {
        self.secret = secret
        self.policy = policy
        keySet = policy.keySet.map { JSONWebKeySetCache(source: $0, fetch: fetch) }
    }

    /// Reads the key set now and throws what went wrong, so a bad file or URL shows at start-up.
    func preload() async throws {
        try await keySet?.reload()
    }

    /// The user a token names, as ``userKey(forClaim:)`` makes it.
    func verify(_ token: String, now: Date = Date()) async throws(TokenRefusal) -> String {
        let seconds = now.timeIntervalSince1970
        if let cached = cache.withLock({ $0[token] }), seconds < cached.validUntil {
            return cached.user
        }
        let (user, validUntil) = try await verifyUncached(token, now: seconds)
        cache.withLock { cache in
            if cache.count >= Self.maximumCachedTokens {
                cache = cache.filter { seconds < $0.value.validUntil }
                if cache.count >= Self.maximumCachedTokens { cache.removeAll(keepingCapacity: true) }
            }
            cache[token] = CachedToken(user: user, validUntil: validUntil)
        }
        return user
    }

    private struct Header: Decodable {
        var alg: String?
        var kid: String?
        var crit: [String]?
    }

    private func verifyUncached(_ token: String, now: Double) async throws(TokenRefusal) -> (String, Double) {
        guard token.utf8.count <= Self.maximumTokenBytes else {
            throw TokenRefusal(.malformed, "The bearer token is longer than \(Self.maximumTokenBytes) bytes.")
        }
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]),
            let payloadData = Base64URL.decode(parts[1])
        else {
            throw TokenRefusal(.malformed, "The bearer token is not a well-formed JSON Web Token.")
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: headerData) else {
            throw TokenRefusal(.malformed, "The bearer token's header is not a JSON object with an 'alg'.")
        }
        guard header.crit == nil else {
            throw TokenRefusal(
                .unsupportedAlgorithm,
                "The bearer token names critical extensions ('crit'); none is supported."
            )
        }
        let keys: JWTKeyCollection
        switch header.alg {
        case "HS256":
            if !hmacKeysReady.withLock({ $0 }) {
                // Adding the same key twice (two first requests at once) leaves one default key.
                await hmacKeys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
                hmacKeysReady.withLock { $0 = true }
            }
            keys = hmacKeys
        case let alg? where Self.keySetAlgorithms.contains(alg):
            guard let keySet else {
                throw TokenRefusal(
                    .unsupportedAlgorithm,
                    "This server has no key set for \(alg) tokens; \(acceptedAlgorithms)."
                )
            }
            keys = try await keySet.keys(forKeyID: header.kid, algorithm: alg)
        default:
            throw TokenRefusal(
                .unsupportedAlgorithm,
                "The bearer token's algorithm is not accepted; \(acceptedAlgorithms)."
            )
        }
        let claims: Claims
        do {
            claims = try await keys.verify(Array(token.utf8), as: Claims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw TokenRefusal(.badSignature, "The bearer token's signature is not valid.")
        } catch {
            throw TokenRefusal(.malformed, "The bearer token's signature or claims could not be read.")
        }
        if let name = DuplicateKeys.first(inObject: payloadData) {
            throw TokenRefusal(.duplicateClaim, "The bearer token gives the claim '\(name.prefix(40))' more than once.")
        }
        return try check(claims, now: now)
    }

    private var acceptedAlgorithms: String {
        keySet == nil
            ? "it accepts HS256"
            : "it accepts HS256 and, with keys from its key set, "
                + Self.keySetAlgorithms.sorted().joined(separator: ", ")
    }

    private func check(_ claims: Claims, now: Double) throws(TokenRefusal) -> (String, Double) {
        let leeway = Double(policy.leeway.components.seconds) + Double(policy.leeway.components.attoseconds) / 1e18
        guard let expiry = claims.number("exp") else {
            throw TokenRefusal(.missingExpiry, "The bearer token has no numeric 'exp' claim.")
        }
        guard now < expiry + leeway else { throw TokenRefusal(.expired, "The bearer token has expired.") }
        if let notBefore = claims.number("nbf"), now + leeway < notBefore {
            throw TokenRefusal(.notYetValid, "The bearer token is not valid yet ('nbf').")
        }
        if let issuedAt = claims.number("iat"), now + leeway < issuedAt {
            throw TokenRefusal(.issuedInTheFuture, "The bearer token was issued in the future ('iat').")
        }
        if let issuer = policy.issuer, claims.strings("iss") != [issuer] {
            throw TokenRefusal(.wrongIssuer, "The bearer token's issuer ('iss') is not the one this server trusts.")
        }
        if let audience = policy.audience, !(claims.strings("aud")?.contains(audience) ?? false) {
            throw TokenRefusal(.wrongAudience, "The bearer token is not meant for this server ('aud').")
        }
        guard case .string(let user)? = claims.values[policy.userClaim], !user.isEmpty else {
            throw TokenRefusal(.missingUser, "The bearer token has no '\(policy.userClaim)' claim naming the user.")
        }
        return (Self.userKey(forClaim: user), expiry + leeway)
    }

    /// The id the job system keys a user's jobs by: the claim itself when it is short and does not
    /// start with `~`, else `~` and the claim's SHA-256 in hex. Any string a provider issues works, and
    /// the job system sees at most 65 bytes for long ones (its limit is 256).
    static func userKey(forClaim claim: String) -> String {
        if claim.utf8.count <= 200, !claim.hasPrefix("~") { return claim }
        return "~"
            + SHA256.hash(data: Data(claim.utf8)).map { byte in
                let digits = Array("0123456789abcdef".utf8)
                return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]], as: UTF8.self)
            }.joined()
    }
}

/// A token's claims: every top-level member, read by ``BearerTokenVerifier`` after the signature
/// check (jwt-kit's own claim checks are not used, so the leeway and the messages are the server's).
struct Claims: JWTPayload {
    enum Value: Sendable, Decodable, Equatable {
        case string(String)
        case number(Double)
        case strings([String])
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .string(text)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let list = try? container.decode([String].self) {
                self = .strings(list)
            } else {
                self = .other
            }
        }
    }

    var values: [String: Value]

    init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: Value].self)
    }

    func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, .init(codingPath: [], debugDescription: "Claims are read only."))
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    func number(_ name: String) -> Double? {
        if case .number(let value)? = values[name], value.isFinite { return value }
        return nil
    }

    /// A string claim as a list of one, or a list of strings (as `aud` may be).
    func strings(_ name: String) -> [String]? {
        switch values[name] {
        case .string(let value)?: [value]
        case .strings(let values)?: values
        default: nil
        }
    }
}

/// Base64url without padding (RFC 7515).
enum Base64URL {
    static func decode(_ bytes: some Collection<UInt8>) -> Data? {
        var base64 = [UInt8]()
        base64.reserveCapacity(bytes.count + 3)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "-"): base64.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): base64.append(UInt8(ascii: "/"))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                base64.append(byte)
            default: return nil
            }
        }
        switch base64.count % 4 {
        case 1: return nil
        case 2: base64 += [UInt8(ascii: "="), UInt8(ascii: "=")]
        case 3: base64.append(UInt8(ascii: "="))
        default: break
        }
        return Data(base64Encoded: Data(base64))
    }

    static func encode(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Finds a member name given twice in a JSON object (JSON parsers silently keep one of them).
enum DuplicateKeys {
    /// The first name that appears twice among the top-level members of `json`, compared after
    /// unescaping; `nil` when every name is unique or the text is not an object.
    static func first(inObject json: Data) -> String? {
        let bytes = Array(json)
        var seen = Set<String>()
        var depth = 0
        var index = 0
        var expectingKey = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if depth == 1, expectingKey, index < bytes.count {
                    let literal = Data(bytes[start...index])
                    if let name = try? JSONDecoder().decode(String.self, from: literal) {
                        if !seen.insert(name).inserted { return name }
                    }
                    expectingKey = false
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingKey = depth == 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 1 { expectingKey = true }
            default:
                break
            }
            index += 1
        }
        return nil
    }
}
