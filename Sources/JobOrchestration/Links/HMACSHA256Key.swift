import Crypto

/// An HMAC-SHA256 key (RFC 2104) whose two padded key blocks are hashed once, when the key is made.
///
/// Each code then costs only the hashing of the message and of the inner digest, over raw buffers: a
/// download link is signed on every status read of a completed job. swift-crypto's `HMAC<SHA256>`
/// computes the same codes (the tests compare the two); it walks its input through the generic
/// `DataProtocol` regions on every update, which costs more than the hashing of a short link.
struct HMACSHA256Key: Sendable {
    /// SHA-256 with the key block XOR `0x36` absorbed.
    private let inner: SHA256
    /// SHA-256 with the key block XOR `0x5c` absorbed.
    private let outer: SHA256

    init(_ key: SymmetricKey) {
        var block = [UInt8](repeating: 0, count: SHA256.blockByteCount)
        key.withUnsafeBytes { key in
            if key.count > block.count {
                // A key longer than a block is replaced by its hash.
                SHA256.hash(data: key).withUnsafeBytes { block.replaceSubrange(0..<$0.count, with: $0) }
            } else {
                block.replaceSubrange(0..<key.count, with: key)
            }
        }
        var inner = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: block.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// Calls `body` with the 32-byte code of `message`.
    func withCode<Result>(
        of message: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        var inner = self.inner
        inner.update(bufferPointer: message)
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return try outer.finalize().withUnsafeBytes(body)
    }

    /// Whether `code` is the code of `message`, compared in constant time.
    func isValidCode(_ code: [UInt8], of message: UnsafeRawBufferPointer) -> Bool {
        withCode(of: message) { expected in
            guard code.count == expected.count else { return false }
            var difference: UInt8 = 0
            for index in 0..<code.count { difference |= code[index] ^ expected[index] }
            return difference == 0
        }
    }
}
