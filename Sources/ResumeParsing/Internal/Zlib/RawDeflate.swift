internal import CChecksum
internal import CZlib

/// Deflate and CRC-32 as a zip entry stores them (raw deflate, no zlib header or trailer), with zlib.
enum RawDeflate {
    /// `bytes` deflated at `level` (1, fast, to 9, best), or `nil` when zlib cannot start (no memory).
    ///
    /// The window is no larger than the input needs (no match reaches back past its start), and the hash
    /// table has an entry for each position of the window, as with zlib's defaults (a 32 KB window and
    /// memory level 8, 2^15 entries). With those defaults, deflating a small part would clear and touch
    /// far more memory than the part holds.
    static func deflate(_ bytes: [UInt8], level: Int32) -> [UInt8]? {
        var stream = z_stream()
        let windowBits = min(15, max(9, Int.bitWidth - max(bytes.count - 1, 1).leadingZeroBitCount))
        // Memory level n is a hash table of 2^(n + 7) entries.
        let memoryLevel = windowBits - 7
        guard czlib_deflate_init_raw(&stream, level, Int32(windowBits), Int32(memoryLevel)) == Z_OK else {
            return nil
        }
        defer { deflateEnd(&stream) }
        // One call with all the input and room for the worst case finishes the stream.
        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        var status = Z_STREAM_ERROR
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initializedCount in
            bytes.withUnsafeBufferPointer { input in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                status = CZlib.deflate(&stream, Z_FINISH)
            }
            initializedCount = status == Z_STREAM_END ? bound - Int(stream.avail_out) : 0
        }
        return status == Z_STREAM_END ? output : nil
    }

    /// The CRC-32 of `bytes`, as zip entries record it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { crc32(0, $0) }
    }

    /// The CRC-32 of `bytes` continued from `crc` (0 to start), as zip entries record it.
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        return cchecksum_crc32(crc, base, bytes.count)
    }
}
