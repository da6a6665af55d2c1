import Crypto
import CryptoExtras
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import XCTest

@testable import resume_optimizer_server

/// Every way a bearer token is accepted or refused: HS256 with the secret, RS256/ES256/EdDSA with a
/// key set (file and URL, rotation), issuer, audience, times with leeway, algorithm confusion, `none`,
/// duplicate claims and any user id.
final class BearerTokenVerifierTests: XCTestCase {
    /// Keys of the three asymmetric families and their public JSON Web Keys.
    struct KeyRing: Sendable {
        let rsa: _RSA.Signing.PrivateKey
        let ec = P256.Signing.PrivateKey()
        let ed = Curve25519.Signing.PrivateKey()

        init() throws {
            rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        }

        func rsaJWK(kid: String = "rsa-1", alg: String? = "RS256") throws -> [String: String] {
            let primitives = try Insecure.RSA.PublicKey(backing: rsa.publicKey).getKeyPrimitives()
            var jwk = [
                "kty": "RSA", "kid": kid, "use": "sig",
                "n": TestToken.base64URL(primitives.modulus), "e": TestToken.base64URL(primitives.publicExponent),
            ]
            jwk["alg"] = alg
            return jwk
        }

        func ecJWK(kid: String = "ec-1") -> [String: String] {
            let raw = ec.publicKey.rawRepresentation
            return [
                "kty": "EC", "kid": kid, "crv": "P-256",
                "x": TestToken.base64URL(raw.prefix(32)), "y": TestToken.base64URL(raw.suffix(32)),
            ]
        }

        func edJWK(kid: String = "ed-1") -> [String: String] {
            ["kty": "OKP", "kid": kid, "crv": "Ed25519", "x": TestToken.base64URL(ed.publicKey.rawRepresentation)]
        }

        func set(_ keys: [[String: String]]) throws -> Data {
            try JSONSerialization.data(withJSONObject: ["keys": keys])
        }

        func header(_ alg: String, kid: String?) -> String {
            kid.map { #"{"alg":"\#(alg)","kid":"\#($0)","typ":"JWT"}"# } ?? #"{"alg":"\#(alg)","typ":"JWT"}"#
        }

        func rs256(_ payload: String, kid: String? = "rsa-1") throws -> String {
            let input = TestToken.signingInput(header: header("RS256", kid: kid), payload: payload)
            let signature = try rsa.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
            return input + "." + TestToken.base64URL(signature.rawRepresentation)
        }

        func es256(_ payload: String, kid: String? = "ec-1", alg: String = "ES256") throws -> String {
            let input = TestToken.signingInput(header: header(alg, kid: kid), payload: payload)
            return input + "." + TestToken.base64URL(try ec.signature(for: Data(input.utf8)).rawRepresentation)
        }

        func eddsa(_ payload: String, kid: String? = "ed-1") throws -> String {
            let input = TestToken.signingInput(header: header("EdDSA", kid: kid), payload: payload)
            return input + "." + TestToken.base64URL(try ed.signature(for: Data(input.utf8)))
        }
    }

    static let ring: KeyRing = {
        do { return try KeyRing() } catch { fatalError("cannot make test keys: \(error)") }
    }()

    var ring: KeyRing { Self.ring }

    /// A verifier with the test secret and, when given, a key set written to a file.
    func verifier(keySet: Data? = nil, configure: (inout TokenPolicy) -> Void = { _ in }) throws -> BearerTokenVerifier
    {
        var policy = TokenPolicy()
        if let keySet {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json")
            try keySet.write(to: url)
            addTeardownBlock { try? FileManager.default.removeItem(at: url) }
            policy.keySet = .file(url.path)
        }
        configure(&policy)
        return BearerTokenVerifier(secret: testSecret, policy: policy)
    }

    func assertRefused(
        _ token: String,
        by verifier: BearerTokenVerifier,
        _ kind: TokenRefusal.Kind,
        now: Date = Date(),
        file: StaticString = #filePath,
        line: UInt = #line
    ) async {
        do {
            let user = try await verifier.verify(token, now: now)
            XCTFail("accepted for \(user), expected \(kind)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.kind, kind, error.message, file: file, line: line)
            XCTAssertFalse(error.message.contains(token), file: file, line: line)
        }
    }

    // MARK: Accepted

    func testHS256_withTheSecret_namesTheUser() async throws {
        let user = try await verifier().verify(TestToken.hs256(subject: "alice"))
        XCTAssertEqual(user, "alice")
    }

    func testKeySetAlgorithms_withTheKeyOfTheirKid_nameTheUser() async throws {
        let verifier = try verifier(keySet: ring.set([ring.rsaJWK(), ring.ecJWK(), ring.edJWK()]))
        let claims = TestToken.claims(subject: "carol")
        for token in [try ring.rs256(claims), try ring.es256(claims), try ring.eddsa(claims)] {
            let user = try await verifier.verify(token)
            XCTAssertEqual(user, "carol")
        }
        // HS256 keeps working beside the key set.
        let user = try await verifier.verify(TestToken.hs256(subject: "dave"))
        XCTAssertEqual(user, "dave")
    }

    func testKeySet_withOneKey_acceptsATokenWithoutKid() async throws {
        let verifier = try verifier(keySet: ring.set([ring.edJWK()]))
        let user = try await verifier.verify(try ring.eddsa(TestToken.claims(subject: "erin"), kid: nil))
        XCTAssertEqual(user, "erin")
        let two = try self.verifier(keySet: ring.set([ring.edJWK(), ring.ecJWK()]))
        await assertRefused(try ring.eddsa(TestToken.claims(subject: "erin"), kid: nil), by: two, .unknownKey)
    }

    func testKeySetURL_whenATokenNamesAnUnknownKid_fetchesTheSetAgain() async throws {
        let fetches = Counter()
        let first = try ring.set([ring.ecJWK(kid: "old")])
        let rotated = try ring.set([ring.ecJWK(kid: "old"), ring.edJWK(kid: "new")])
        var policy = TokenPolicy()
        policy.keySet = .url(URL(string: "https://idp.example.com/.well-known/jwks.json")!)
        let verifier = BearerTokenVerifier(secret: testSecret, policy: policy) { url, timeout in
            XCTAssertEqual(url.host, "idp.example.com")
            XCTAssertEqual(timeout, .seconds(5))
            return fetches.increment() == 1 ? first : rotated
        }
        await verifier.keySet?.configure(minimumRefreshInterval: .zero, maximumAge: .seconds(3600))
        let old = try await verifier.verify(try ring.es256(TestToken.claims(subject: "frank"), kid: "old"))
        XCTAssertEqual(old, "frank")
        XCTAssertEqual(fetches.value, 1)
        let new = try await verifier.verify(try ring.eddsa(TestToken.claims(subject: "grace"), kid: "new"))
        XCTAssertEqual(new, "grace")
        XCTAssertEqual(fetches.value, 2)
        // A kid that is in no set: one more fetch, then a refusal.
        await assertRefused(try ring.eddsa(TestToken.claims(subject: "grace"), kid: "gone"), by: verifier, .unknownKey)
        XCTAssertEqual(fetches.value, 3)
    }

    func testKeySetURL_whenTheFetchFails_refusesWithKeysUnavailable() async throws {
        var policy = TokenPolicy()
        policy.keySet = .url(URL(string: "https://idp.example.com/jwks.json")!)
        let verifier = BearerTokenVerifier(secret: testSecret, policy: policy) { _, _ in throw CancellationError() }
        await assertRefused(try ring.rs256(TestToken.claims(subject: "x")), by: verifier, .keysUnavailable)
        XCTAssertFalse(JSONWebKeySetCache.isAllowed(URL(string: "http://idp.example.com/jwks.json")!))
        XCTAssertTrue(JSONWebKeySetCache.isAllowed(URL(string: "http://127.0.0.1:9000/jwks.json")!))
    }

    func testLeeway_acceptsATokenJustExpiredAndIsConfigurable() async throws {
        let token = TestToken.hs256(subject: "alice", lifetime: .seconds(60), now: Date(timeIntervalSinceNow: -90))
        let user = try await verifier().verify(token)
        XCTAssertEqual(user, "alice")
        await assertRefused(token, by: try verifier { $0.leeway = .seconds(10) }, .expired)
    }

    func testIssuerAndAudience_whenConfigured_mustMatch() async throws {
        let verifier = try verifier {
            $0.issuer = "https://idp.example.com/"
            $0.audience = "resume-api"
        }
        let good = TestToken.claims(
            subject: "alice",
            extra: ["iss": "https://idp.example.com/", "aud": ["other", "resume-api"]]
        )
        let user = try await verifier.verify(TestToken.hs256(payload: good))
        XCTAssertEqual(user, "alice")
        let single = TestToken.claims(
            subject: "alice",
            extra: ["iss": "https://idp.example.com/", "aud": "resume-api"]
        )
        let same = try await verifier.verify(TestToken.hs256(payload: single))
        XCTAssertEqual(same, "alice")
        let wrongIssuer = TestToken.claims(
            subject: "alice",
            extra: ["iss": "https://evil.example.com/", "aud": "resume-api"]
        )
        await assertRefused(TestToken.hs256(payload: wrongIssuer), by: verifier, .wrongIssuer)
        let noIssuer = TestToken.claims(subject: "alice", extra: ["aud": "resume-api"])
        await assertRefused(TestToken.hs256(payload: noIssuer), by: verifier, .wrongIssuer)
        let wrongAudience = TestToken.claims(
            subject: "alice",
            extra: ["iss": "https://idp.example.com/", "aud": "other"]
        )
        await assertRefused(TestToken.hs256(payload: wrongAudience), by: verifier, .wrongAudience)
    }

    func testUserClaim_isConfigurable() async throws {
        let verifier = try verifier { $0.userClaim = "username" }
        let claims = TestToken.claims(subject: "0b6f-uuid", extra: ["username": "alice@example.com"])
        let user = try await verifier.verify(TestToken.hs256(payload: claims))
        XCTAssertEqual(user, "alice@example.com")
        await assertRefused(TestToken.hs256(subject: "alice"), by: verifier, .missingUser)
    }

    func testAnyUserString_works_andLongOnesBecomeAShortKey() async throws {
        let verifier = try verifier()
        for subject in ["../../etc/passwd", "a.b.c", "Zoë 🚀 用户", "~tilde", String(repeating: "x/", count: 500)] {
            let user = try await verifier.verify(TestToken.hs256(subject: subject))
            if subject.utf8.count <= 200, !subject.hasPrefix("~") {
                XCTAssertEqual(user, subject)
            } else {
                XCTAssertTrue(user.hasPrefix("~"), user)
                XCTAssertEqual(user.utf8.count, 65)
            }
        }
        XCTAssertNotEqual(BearerTokenVerifier.userKey(forClaim: "~a"), BearerTokenVerifier.userKey(forClaim: "~b"))
    }

    func testCache_doesNotOutliveTheToken() async throws {
        let verifier = try verifier()
        let token = TestToken.hs256(subject: "alice", lifetime: .seconds(30))
        let user = try await verifier.verify(token)
        XCTAssertEqual(user, "alice")
        let again = try await verifier.verify(token)
        XCTAssertEqual(again, "alice")
        await assertRefused(token, by: verifier, .expired, now: Date(timeIntervalSinceNow: 120))
    }

    // MARK: Refused

    func testSignedWithAnotherSecret_isRefused() async throws {
        let token = TestToken.hs256(subject: "alice", secret: Array("another-secret-that-is-at-least-32-bytes!".utf8))
        await assertRefused(token, by: try verifier(), .badSignature)
    }

    func testAlteredPayload_isRefused() async throws {
        let parts = TestToken.hs256(subject: "alice").split(separator: ".")
        let other = TestToken.base64URL(Data(TestToken.claims(subject: "bob").utf8))
        await assertRefused("\(parts[0]).\(other).\(parts[2])", by: try verifier(), .badSignature)
        let rsa = try ring.rs256(TestToken.claims(subject: "alice")).split(separator: ".")
        await assertRefused(
            "\(rsa[0]).\(other).\(rsa[2])",
            by: try verifier(keySet: ring.set([ring.rsaJWK()])),
            .badSignature
        )
    }

    func testAlgNone_isRefused() async throws {
        let input = TestToken.signingInput(
            header: #"{"alg":"none","typ":"JWT"}"#,
            payload: TestToken.claims(subject: "alice")
        )
        let verifier = try verifier(keySet: ring.set([ring.rsaJWK()]))
        await assertRefused(input + ".", by: verifier, .unsupportedAlgorithm)
        let lower = TestToken.signingInput(header: #"{"alg":"None"}"#, payload: TestToken.claims(subject: "alice"))
        await assertRefused(lower + ".", by: verifier, .unsupportedAlgorithm)
    }

    func testAlgorithmConfusion_isRefused() async throws {
        let verifier = try verifier(keySet: ring.set([ring.rsaJWK(alg: nil), ring.ecJWK()]))
        // HS256 "signed" with the RSA public key as the HMAC secret.
        let publicPEM = Array(try Insecure.RSA.PublicKey(backing: ring.rsa.publicKey).pemRepresentation.utf8)
        let confused = TestToken.hs256(
            header: #"{"alg":"HS256","kid":"rsa-1"}"#,
            payload: TestToken.claims(subject: "alice"),
            secret: publicPEM
        )
        await assertRefused(confused, by: verifier, .badSignature)
        // An RSA algorithm with the EC key's kid, and an EC algorithm of another curve.
        let input = TestToken.signingInput(
            header: #"{"alg":"RS256","kid":"ec-1"}"#,
            payload: TestToken.claims(subject: "a")
        )
        await assertRefused(input + ".c2ln", by: verifier, .unsupportedAlgorithm)
        await assertRefused(
            try ring.es256(TestToken.claims(subject: "a"), alg: "ES384"),
            by: verifier,
            .unsupportedAlgorithm
        )
        // Key-set algorithms without a key set.
        await assertRefused(
            try ring.rs256(TestToken.claims(subject: "alice")),
            by: try self.verifier(),
            .unsupportedAlgorithm
        )
    }

    func testCriticalExtensions_areRefused() async throws {
        let token = TestToken.hs256(
            header: #"{"alg":"HS256","crit":["b64"],"b64":false}"#,
            payload: TestToken.claims(subject: "a")
        )
        await assertRefused(token, by: try verifier(), .unsupportedAlgorithm)
    }

    func testDuplicateSub_isRefused() async throws {
        let exp = Int(Date().timeIntervalSince1970) + 300
        let verifier = try verifier()
        await assertRefused(
            TestToken.hs256(payload: #"{"sub":"alice","exp":\#(exp),"sub":"admin"}"#),
            by: verifier,
            .duplicateClaim
        )
        // The same name spelled with an escape is the same claim.
        await assertRefused(
            TestToken.hs256(payload: #"{"sub":"alice","exp":\#(exp),"s\u0075b":"admin"}"#),
            by: verifier,
            .duplicateClaim
        )
        // A nested object may repeat a top-level name.
        let nested = try await verifier.verify(
            TestToken.hs256(payload: #"{"sub":"alice","exp":\#(exp),"x":{"sub":"y"}}"#)
        )
        XCTAssertEqual(nested, "alice")
    }

    func testTimes_areChecked() async throws {
        let verifier = try verifier()
        let now = Int(Date().timeIntervalSince1970)
        await assertRefused(TestToken.hs256(payload: #"{"sub":"alice"}"#), by: verifier, .missingExpiry)
        await assertRefused(TestToken.hs256(payload: #"{"sub":"alice","exp":"soon"}"#), by: verifier, .missingExpiry)
        await assertRefused(TestToken.hs256(payload: #"{"sub":"alice","exp":\#(now - 61)}"#), by: verifier, .expired)
        await assertRefused(
            TestToken.hs256(payload: #"{"sub":"alice","exp":\#(now + 600),"nbf":\#(now + 120)}"#),
            by: verifier,
            .notYetValid
        )
        await assertRefused(
            TestToken.hs256(payload: #"{"sub":"alice","exp":\#(now + 600),"iat":\#(now + 120)}"#),
            by: verifier,
            .issuedInTheFuture
        )
        let early = try await verifier.verify(
            TestToken.hs256(payload: #"{"sub":"alice","exp":\#(now + 600),"nbf":\#(now + 30)}"#)
        )
        XCTAssertEqual(early, "alice")
    }

    func testMissingOrEmptyUser_andMalformedTokens_areRefused() async throws {
        let verifier = try verifier()
        let exp = Int(Date().timeIntervalSince1970) + 300
        await assertRefused(TestToken.hs256(payload: #"{"exp":\#(exp)}"#), by: verifier, .missingUser)
        await assertRefused(TestToken.hs256(payload: #"{"sub":"","exp":\#(exp)}"#), by: verifier, .missingUser)
        await assertRefused(TestToken.hs256(payload: #"{"sub":42,"exp":\#(exp)}"#), by: verifier, .missingUser)
        for garbage in ["not-a-jwt", "a.b", "a.b.c.d", "!!.??.**", String(repeating: "a", count: 20_000)] {
            await assertRefused(garbage, by: verifier, .malformed)
        }
    }

    // MARK: Through the server

    func testServer_refusesEachBadTokenWith401AndTheInvalidTokenChallenge() async throws {
        let exp = Int(Date().timeIntervalSince1970) + 300
        let tokens = [
            TestToken.hs256(subject: "alice", secret: Array("another-secret-that-is-at-least-32-bytes!".utf8)),
            TestToken.hs256(payload: #"{"sub":"alice","exp":\#(exp),"sub":"admin"}"#),
            TestToken.signingInput(header: #"{"alg":"none"}"#, payload: TestToken.claims(subject: "alice")) + ".",
            TestToken.hs256(subject: "alice", lifetime: .seconds(1), now: Date(timeIntervalSinceNow: -3600)),
        ]
        let app = buildApplication(configuration: testConfiguration(), jobs: RecordingJobService(), logger: quietLogger)
        try await app.test(.router) { client in
            let client = client.checkingContract()
            for token in tokens {
                try await client.execute(uri: "/jobs", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                    response in
                    try assertRefusal(response, .unauthorized, messageContains: "bearer token")
                    XCTAssertEqual(
                        response.headers[.wwwAuthenticate],
                        #"Bearer realm="resume-optimizer", error="invalid_token""#
                    )
                }
            }
            // The scheme name is case-insensitive.
            try await client.execute(
                uri: "/jobs",
                method: .get,
                headers: [.authorization: "bEARER \(TestToken.hs256(subject: "alice"))"]
            ) { XCTAssertEqual($0.status, .ok) }
        }
    }
}

/// A thread-safe counter for fetch closures.
final class Counter: Sendable {
    private let storage = LockedLines()
    /// Adds one and returns the new value.
    func increment() -> Int {
        storage.append("")
        return storage.lines.count
    }
    var value: Int { storage.lines.count }
}
