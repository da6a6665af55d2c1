public import Foundation

/// The identifier of one job: a random (version 4) UUID.
///
/// Identifiers come from the system's cryptographically secure random number generator, so they
/// cannot be guessed from one another. They print and parse in the usual lowercase UUID form,
/// for example `3f2504e0-4f89-41d3-9a0c-0305e82c3301`.
public struct JobID: Hashable, Sendable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The underlying UUID.
    public let uuid: UUID

    /// Wraps an existing UUID.
    public init(uuid: UUID) {
        self.uuid = uuid
    }

    /// Parses an identifier from its text form, in either case; returns `nil` when the text is not a UUID.
    public init?(_ description: String) {
        // Parsed here rather than by `UUID(uuidString:)`, which on Linux goes through `sscanf`.
        guard let bytes = Encoding.uuidBytes(description) else { return nil }
        self.uuid = UUID(uuid: bytes)
    }

    /// Makes a new, unguessable identifier.
    public static func random() -> JobID {
        var generator = SystemRandomNumberGenerator()
        return JobID.random(using: &generator)
    }

    /// Makes a new identifier from the given generator (tests may pass a seeded one).
    public static func random(using generator: inout some RandomNumberGenerator) -> JobID {
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        var bytes = (
            UInt8(truncatingIfNeeded: high >> 56), UInt8(truncatingIfNeeded: high >> 48),
            UInt8(truncatingIfNeeded: high >> 40), UInt8(truncatingIfNeeded: high >> 32),
            UInt8(truncatingIfNeeded: high >> 24), UInt8(truncatingIfNeeded: high >> 16),
            UInt8(truncatingIfNeeded: high >> 8), UInt8(truncatingIfNeeded: high),
            UInt8(truncatingIfNeeded: low >> 56), UInt8(truncatingIfNeeded: low >> 48),
            UInt8(truncatingIfNeeded: low >> 40), UInt8(truncatingIfNeeded: low >> 32),
            UInt8(truncatingIfNeeded: low >> 24), UInt8(truncatingIfNeeded: low >> 16),
            UInt8(truncatingIfNeeded: low >> 8), UInt8(truncatingIfNeeded: low)
        )
        bytes.6 = (bytes.6 & 0x0F) | 0x40  // version 4
        bytes.8 = (bytes.8 & 0x3F) | 0x80  // RFC 4122 variant
        return JobID(uuid: UUID(uuid: bytes))
    }

    /// The lowercase UUID text, as used in status reports, paths and links.
    public var description: String {
        String(unsafeUninitializedCapacity: 36) { writeUTF8(into: $0) }
    }

    /// Calls `body` with the UTF-8 of ``description``, formatted on the stack rather than into a string.
    ///
    /// For writers of many identifiers, such as a JSON page of job history.
    @inlinable
    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        // Inlinable, so that it is specialized where it is called; the formatting itself is not.
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { buffer in
            let count = writeUTF8(into: buffer)
            return try body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Writes ``description``'s 36 bytes to the start of `buffer`; returns their count.
    @usableFromInline
    func writeUTF8(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var writer = ASCIIWriter(buffer)
        withUnsafeBytes(of: uuid.uuid) { writer.appendUUID($0) }
        return writer.count
    }

    /// The first eight characters of the identifier, used in download file names.
    public var shortPrefix: String {
        String(description.prefix(8))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = JobID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "Not a job identifier (expected a UUID)."
            )
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
