#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Whether the last character is a line feed, as `hasSuffix("\n")` has it, from the last two bytes:
    /// a line feed is a character of its own but after a carriage return, with which it makes one. (The
    /// text of a document is tested so after every block; `hasSuffix` compares characters.)
    var endsWithLineFeed: Bool {
        let bytes = utf8
        guard bytes.last == 0x0A else { return false }
        guard bytes.count >= 2 else { return true }
        return bytes[bytes.index(bytes.endIndex, offsetBy: -2)] != 0x0D
    }

    /// The parts between each `separator` (a character of one ASCII byte, such as a tab), empty ones kept,
    /// as `split(separator:omittingEmptySubsequences: false)` gives them; the whole text, unsplit, when it
    /// holds no such byte (most text holds none).
    func split(atASCII separator: Character) -> [Substring] {
        guard let byte = separator.asciiValue, containsByte(byte) else { return [self[...]] }
        return split(separator: separator, omittingEmptySubsequences: false)
    }

    /// Whether the UTF-8 bytes hold `byte`, found with `memchr` in the string's own storage.
    func containsByte(_ byte: UInt8) -> Bool {
        var copy = self
        return copy.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        }
    }
}

extension String {
    /// The lines of the text, split at each line feed (so `n` line feeds give `n + 1` lines, empty ones
    /// kept), each without the carriage return that may end it.
    func linesDroppingCarriageReturns() -> [String] {
        var copy = self
        return copy.withUTF8 { buffer in
            var lines: [String] = []
            guard let base = buffer.baseAddress else { return [""] }
            var start = 0
            while true {
                let found = memchr(base + start, 0x0A, buffer.count - start)
                let end = found.map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? buffer.count
                var lineEnd = end
                if lineEnd > start, base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<lineEnd]), as: UTF8.self))
                guard end < buffer.count else { return lines }
                start = end + 1
            }
        }
    }
}
