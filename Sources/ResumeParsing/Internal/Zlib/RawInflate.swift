internal import CZlib

/// A raw deflate stream (as a zip entry stores it) being inflated with zlib, a chunk at a time.
final class RawInflate {
    /// What one call did.
    enum Step {
        /// Bytes consumed from the input and produced into the output; `finished` once the stream's last
        /// block is done.
        case progress(consumed: Int, produced: Int, finished: Bool)
        /// The stream is not valid deflate.
        case failed
    }

    // zlib keeps a pointer to the stream it was started on: the stream stays at one address.
    private let stream: UnsafeMutablePointer<z_stream>

    /// A stream ready to inflate, or `nil` when zlib cannot start (no memory).
    init?() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard czlib_inflate_init_raw(stream) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            return nil
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates from `input` into `output` until either is used up or the stream ends.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Step {
        guard let outputBase = output.baseAddress, !output.isEmpty else {
            return .progress(consumed: 0, produced: 0, finished: false)
        }
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        )
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = outputBase.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.pointee.avail_in)
        let produced = output.count - Int(stream.pointee.avail_out)
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        switch status {
        case Z_OK: return .progress(consumed: consumed, produced: produced, finished: false)
        case Z_STREAM_END: return .progress(consumed: consumed, produced: produced, finished: true)
        // No progress possible: the input is used up (more is needed) or the output is full.
        case Z_BUF_ERROR: return .progress(consumed: consumed, produced: produced, finished: false)
        default: return .failed
        }
    }
}
