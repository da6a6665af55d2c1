import Foundation
import JWTKit

/// Signs `HS256` bearer tokens with the server's secret, for `resume-optimizer-server token`,
/// `--dev` and `GET /dev/token`.
enum TokenSigner {
    private struct Payload: JWTPayload {
        var sub: String
        var exp: Int64
        var iat: Int64

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A token for `subject` that expires after `lifetime`.
    static func sign(subject: String, lifetime: Duration, secret: [UInt8], now: Date = Date()) async throws -> String {
        let issuedAt = Int64(now.timeIntervalSince1970)
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(Payload(sub: subject, exp: issuedAt + lifetime.components.seconds, iat: issuedAt))
    }
}
