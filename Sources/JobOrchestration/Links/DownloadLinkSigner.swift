import Crypto
public import Foundation

/// Signs and verifies download links with HMAC-SHA256 over the job, the user and the expiry.
///
/// A link names the job and its expiry; the user id travels encrypted, so a link shared in a chat or a
/// proxy log does not show whose it is (a user id is often an email address). It is encrypted with a
/// keystream of HMAC-SHA256 blocks under a key derived from the secret (HMAC in counter mode), whose
/// nonce is the link's job and expiry; the link's signature covers the encrypted bytes (encrypt, then
/// MAC). One job's links of the same second are the same link; any two others have unrelated user parts,
/// so two links of one user do not share a part that ties them together.
///
/// Verification is constant-time. A link whose signature does not match (it was altered, truncated
/// or signed with another secret) fails with ``JobError/Code/invalidLink``; a genuine link past its
/// expiry fails with ``JobError/Code/linkExpired``. The signature is checked first, so changing a
/// link's expiry makes it invalid, not expired.
public struct DownloadLinkSigner: Sendable {
    /// How links are signed.
    public struct Configuration: Sendable {
        /// The signing secret, at least 32 bytes; `nil` makes a random secret when the signer is
        /// created, so links do not survive a restart (clients simply read the status again for a new one).
        /// Take it from your service's configuration or secret store, never from source code.
        public var secret: [UInt8]?
        /// How long a link works. Default: 3600 seconds.
        public var lifetime: Duration

        /// Creates a configuration.
        public init(secret: [UInt8]? = nil, lifetime: Duration = .seconds(3600)) {
            self.secret = secret
            self.lifetime = lifetime
        }
    }

    /// What a verified link grants.
    public struct Grant: Sendable, Hashable {
        /// The job whose result may be downloaded.
        public var jobID: JobID
        /// The job's owner.
        public var userID: String
        /// When the link expires.
        public var expiresAt: Date
    }

    static let version = "v3"
    static let minimumSecretLength = 32

    /// Signs links (the link secret itself).
    private let signing: HMACSHA256Key
    /// Makes the keystream that encrypts user ids; derived from the secret, so it is never the signing
    /// key itself.
    private let encrypting: HMACSHA256Key

    /// How long links work.
    public let lifetime: Duration

    /// Creates a signer.
    ///
    /// - Throws: ``JobError/Code/invalidConfiguration`` if the secret is shorter than 32 bytes or
    ///   the lifetime is not positive.
    public init(configuration: Configuration = .init()) throws {
        if let secret = configuration.secret {
            guard secret.count >= Self.minimumSecretLength else {
                throw JobError(
                    code: .invalidConfiguration,
                    message: "The download-link secret must be at least \(Self.minimumSecretLength) bytes long."
                )
            }
            (signing, encrypting) = Self.keys(SymmetricKey(data: secret))
        } else {
            (signing, encrypting) = Self.keys(SymmetricKey(size: .bits256))
        }
        guard configuration.lifetime > .zero else {
            throw JobError(code: .invalidConfiguration, message: "The download-link lifetime must be positive.")
        }
        self.lifetime = configuration.lifetime
    }

    /// Mints a link for a job's result that expires `lifetime` after `now`.
    public func sign(jobID: JobID, userID: String, now: Date = Date()) -> SignedDownloadLink {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down)) + lifetime.components.seconds
        var user = Array(userID.utf8)
        applyKeystream(to: &user, jobID: jobID, seconds: seconds)
        // `v3.<job>.<expiry>.<user>.<signature>`, written straight into the string's storage: a link is
        // signed on every status read of a completed job.
        let capacity =
            Self.version.utf8.count + 1 + 36 + 1 + Encoding.maximumDecimalLength + 1
            + (user.count * 4 + 2) / 3 + 1 + 43
        let token = String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = ASCIIWriter(buffer)
            writer.append(Self.version)
            writer.append(UInt8(ascii: "."))
            withUnsafeBytes(of: jobID.uuid.uuid) { writer.appendUUID($0) }
            writer.append(UInt8(ascii: "."))
            writer.appendDecimal(seconds)
            writer.append(UInt8(ascii: "."))
            user.withUnsafeBytes { writer.appendBase64URL($0) }
            signing.withCode(of: writer.written) { code in
                writer.append(UInt8(ascii: "."))
                writer.appendBase64URL(code)
            }
            return writer.count
        }
        return SignedDownloadLink(token: token, jobID: jobID, expiresAt: Date(timeIntervalSince1970: Double(seconds)))
    }

    /// Verifies a link's token and returns what it grants.
    ///
    /// - Throws: ``JobError/Code/invalidLink`` for a token that was altered, truncated or signed with
    ///   another secret; ``JobError/Code/linkExpired`` for a genuine token past its expiry.
    public func verify(_ token: String, now: Date = Date()) throws -> Grant {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.utf8.count <= 2048, parts.count == 5, parts[0] == Self.version,
            let signature = Encoding.decodeBase64URL(parts[4])
        else { throw Self.invalid }
        // The signed bytes are the token up to its last dot.
        let signed = token.utf8.count - parts[4].utf8.count - 1
        var text = token
        let authentic = text.withUTF8 { utf8 in
            signing.isValidCode(signature, of: UnsafeRawBufferPointer(start: utf8.baseAddress, count: signed))
        }
        guard authentic else { throw Self.invalid }
        guard let jobID = JobID(String(parts[1])), let seconds = Int64(parts[2]),
            var user = Encoding.decodeBase64URL(parts[3])
        else { throw Self.invalid }
        applyKeystream(to: &user, jobID: jobID, seconds: seconds)
        guard let userID = String(validating: user, as: UTF8.self) else { throw Self.invalid }
        let expiresAt = Date(timeIntervalSince1970: Double(seconds))
        guard now < expiresAt else {
            throw JobError(
                code: .linkExpired,
                message:
                    "This download link expired at \(Timestamp.format(expiresAt)). Read the job's status again to get a fresh link."
            )
        }
        return Grant(jobID: jobID, userID: userID, expiresAt: expiresAt)
    }

    /// The signing key and the user-id encryption key of a link secret.
    private static func keys(_ secret: SymmetricKey) -> (signing: HMACSHA256Key, encrypting: HMACSHA256Key) {
        let encryption = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: secret,
            info: Array("resume-optimizer download link user id".utf8),
            outputByteCount: 32
        )
        return (HMACSHA256Key(secret), HMACSHA256Key(encryption))
    }

    /// Encrypts or decrypts (the same XOR) a link's user id: block `i` of the keystream is
    /// HMAC-SHA256(encryption key, job id ‖ expiry ‖ i), so the keystream is unique to the link's job and
    /// expiry.
    private func applyKeystream(to bytes: inout [UInt8], jobID: JobID, seconds: Int64) {
        bytes.withUnsafeMutableBytes { bytes in
            var offset = 0
            var block: UInt32 = 0
            while offset < bytes.count {
                // The job id's 16 bytes, the expiry's 8 and the block number's 4, big-endian, packed.
                let input = (jobID.uuid.uuid, seconds.bigEndian, block.bigEndian)
                withUnsafeBytes(of: input) { input in
                    precondition(input.count == 28, "The keystream input is packed")
                    encrypting.withCode(of: input) { stream in
                        for index in 0..<min(stream.count, bytes.count - offset) {
                            bytes[offset + index] ^= stream[index]
                        }
                    }
                }
                offset += SHA256.byteCount
                block += 1
            }
        }
    }

    private static let invalid = JobError(
        code: .invalidLink,
        message:
            "This download link is not valid: it was changed, cut short or signed with another key. Read the job's status again to get a fresh link."
    )
}
