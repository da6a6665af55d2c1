internal import CZlib

/// Deflate and CRC-32 as a zip entry stores them (raw deflate, no zlib header or trailer), with zlib.
enum RawDeflate {
    /// `bytes` deflated at `level` (1, fast, to 9, best), or `nil` when zlib cannot start (no memory).
    static func deflate(_ bytes: [UInt8], level: Int32) -> [UInt8]? {
        var stream = z_stream()
        guard czlib_deflate_init_raw(&stream, level) == Z_OK else { return nil }
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
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(crc32_z(0, buffer.baseAddress, z_size_t(buffer.count)))
        }
    }
}
