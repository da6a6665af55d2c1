import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import NIOHTTP1

/// Where a JSON Web Key Set comes from (`--jwks-file` or `--jwks-url`).
enum JSONWebKeySetSource: Sendable, Equatable {
    /// A file, read at start-up and again when a token names a key it does not hold.
    case file(String)
    /// An `https` URL (plain `http` only on loopback, for tests), such as an identity provider's
    /// `/.well-known/jwks.json`.
    case url(URL)
}

/// The keys of a JSON Web Key Set, by `kid`, kept for ``maximumAge`` and fetched again when a token
/// names a `kid` the set does not hold (at most once per ``minimumRefreshInterval``), so a provider's
/// key rotation needs no restart.
actor JSONWebKeySetCache {
    /// Fetches the bytes of a URL; tests pass their own.
    typealias Fetch = @Sendable (URL, Duration) async throws -> Data

    let source: JSONWebKeySetSource
    /// How long a fetched set is used before it is fetched again. Default 1 hour.
    var maximumAge: Duration = .seconds(3600)
    /// The least time between two fetches caused by unknown `kid`s. Default 10 s.
    var minimumRefreshInterval: Duration = .seconds(10)
    /// How long one fetch may take. Default 5 s.
    var fetchTimeout: Duration = .seconds(5)

    private let fetch: Fetch
    private var keys: [String: Entry] = [:]
    private var onlyKey: Entry?
    private var fetchedAt: ContinuousClock.Instant?
    private var inFlight: Task<Void, any Error>?

    private struct Entry: Sendable {
        var jwk: JWK
        var collection: JWTKeyCollection
    }

    init(source: JSONWebKeySetSource, fetch: Fetch? = nil) {
        self.source = source
        self.fetch = fetch ?? Self.fetchWithHTTPClient
    }

    /// Sets the refresh pacing (tests use short intervals).
    func configure(minimumRefreshInterval: Duration, maximumAge: Duration) {
        self.minimumRefreshInterval = minimumRefreshInterval
        self.maximumAge = maximumAge
    }

    /// The keys to verify a token with: the set's key `kid` (or its only key, for a token without
    /// `kid`), after checking that the key's type and `alg` fit the token's algorithm.
    func keys(forKeyID kid: String?, algorithm: String) async throws(TokenRefusal) -> JWTKeyCollection {
        if let fetchedAt, fetchedAt.duration(to: .now) > maximumAge { try? await refresh(force: true) }
        if fetchedAt == nil { try await refresh(force: true) }
        var entry = lookUp(kid)
        if entry == nil, let fetchedAt, fetchedAt.duration(to: .now) >= minimumRefreshInterval {
            try? await refresh(force: true)
            entry = lookUp(kid)
        }
        guard let entry else {
            throw TokenRefusal(
                .unknownKey,
                kid == nil
                    ? "The bearer token names no key ('kid') and the key set has more than one."
                    : "The bearer token's key ('kid') is not in the server's key set."
            )
        }
        guard Self.fits(entry.jwk, algorithm: algorithm) else {
            throw TokenRefusal(.unsupportedAlgorithm, "The bearer token's algorithm does not match its key.")
        }
        return entry.collection
    }

    private func lookUp(_ kid: String?) -> Entry? {
        guard let kid else { return onlyKey }
        return keys[kid]
    }

    /// Whether a key of this type (and `alg`, when the key names one) verifies this algorithm.
    static func fits(_ jwk: JWK, algorithm: String) -> Bool {
        if let named = jwk.algorithm, named.rawValue != algorithm { return false }
        switch jwk.keyType {
        case .rsa: return algorithm.hasPrefix("RS") || algorithm.hasPrefix("PS")
        case .ecdsa:
            let curves = ["ES256": "P-256", "ES384": "P-384", "ES512": "P-521"]
            return curves[algorithm] != nil && jwk.curve?.rawValue == curves[algorithm]
        case .octetKeyPair: return algorithm == "EdDSA"
        default: return false
        }
    }

    /// Reads the set again (one read at a time; concurrent callers share it); a failure keeps the
    /// keys read before.
    func refresh(force: Bool) async throws(TokenRefusal) {
        do {
            try await reload()
        } catch {
            lastFailure = "\(error)"
            throw TokenRefusal(
                .keysUnavailable,
                "The server cannot read its key set to check the bearer token; try again later."
            )
        }
    }

    /// Why the last read failed, for the log; never sent to callers.
    private(set) var lastFailure: String?

    /// Reads the set again and throws what went wrong (start-up reports it).
    func reload() async throws {
        if let inFlight {
            try await inFlight.value
            return
        }
        let source = source
        let fetch = fetch
        let timeout = fetchTimeout
        let task = Task<Void, any Error> {
            let data: Data
            switch source {
            case .file(let path): data = try Data(contentsOf: URL(fileURLWithPath: path))
            case .url(let url): data = try await fetch(url, timeout)
            }
            try await self.install(JSONDecoder().decode(JWKS.self, from: data))
        }
        inFlight = task
        defer { inFlight = nil }
        try await task.value
    }

    private func install(_ set: JWKS) async throws {
        var installed: [String: Entry] = [:]
        var usable: [Entry] = []
        for jwk in set.keys {
            // Each key gets a collection of its own, as its default: the `kid` was matched here.
            let collection = JWTKeyCollection()
            let named = jwk.keyIdentifier == nil ? Self.withKeyID(jwk, "-") : jwk
            guard (try? await collection.add(jwk: named, isDefault: true)) != nil else { continue }
            let entry = Entry(jwk: jwk, collection: collection)
            usable.append(entry)
            if let kid = jwk.keyIdentifier?.string { installed[kid] = entry }
        }
        guard !usable.isEmpty else { throw JSONWebKeySetError.noUsableKey }
        keys = installed
        onlyKey = usable.count == 1 ? usable[0] : nil
        fetchedAt = .now
        lastFailure = nil
    }

    private static func withKeyID(_ jwk: JWK, _ kid: String) -> JWK {
        var copy = jwk
        copy.keyIdentifier = JWKIdentifier(string: kid)
        return copy
    }

    /// GETs a URL with AsyncHTTPClient: `https`, or `http` to a loopback host only.
    @Sendable static func fetchWithHTTPClient(_ url: URL, timeout: Duration) async throws -> Data {
        guard Self.isAllowed(url) else { throw JSONWebKeySetError.insecureURL }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
        guard response.status == .ok else { throw JSONWebKeySetError.status(Int(response.status.code)) }
        return Data(try await response.body.collect(upTo: 1024 * 1024).readableBytesView)
    }

    /// `https` anywhere; `http` only to `localhost`, `127.0.0.1` or `::1`.
    static func isAllowed(_ url: URL) -> Bool {
        switch url.scheme?.lowercased() {
        case "https": return url.host != nil
        case "http": return ["localhost", "127.0.0.1", "::1", "[::1]"].contains(url.host ?? "")
        default: return false
        }
    }
}

/// Why a key set could not be used.
enum JSONWebKeySetError: Error, CustomStringConvertible {
    case noUsableKey
    case insecureURL
    case status(Int)

    var description: String {
        switch self {
        case .noUsableKey: "The key set holds no key this server can verify with."
        case .insecureURL: "The key set's URL must use https (http only on loopback)."
        case .status(let code): "The key set's URL answered HTTP \(code)."
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
