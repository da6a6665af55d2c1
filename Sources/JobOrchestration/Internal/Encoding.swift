import Foundation

/// Fast, allocation-light encodings used on hot paths (identifiers, digests, link tokens).
enum Encoding {
    /// The lowercase hexadecimal digit of `nibble` (0–15).
    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// The URL-safe base64 digit (RFC 4648 §5) of the low six bits of `value`.
    @inline(__always)
    static func base64URLDigit(_ value: UInt32) -> UInt8 {
        let digit = UInt8(truncatingIfNeeded: value & 63)
        switch digit {
        case 0..<26: return UInt8(ascii: "A") + digit
        case 26..<52: return UInt8(ascii: "a") + digit - 26
        case 52..<62: return UInt8(ascii: "0") + digit - 52
        case 62: return UInt8(ascii: "-")
        default: return UInt8(ascii: "_")
        }
    }

    /// Lowercase hexadecimal.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let bytes = Array(bytes)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var writer = ASCIIWriter(buffer)
            for byte in bytes {
                writer.append(hexDigit(byte >> 4))
                writer.append(hexDigit(byte & 0x0F))
            }
            return writer.count
        }
    }

    /// The 16 bytes of a UUID in the `8-4-4-4-12` hexadecimal form (either case); `nil` for any other text.
    static func uuidBytes(_ text: String) -> uuid_t? {
        var text = text
        return text.withUTF8 { utf8 -> uuid_t? in
            guard utf8.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var index = 0
            let parsed = withUnsafeMutableBytes(of: &bytes) { output -> Bool in
                for position in 0..<16 {
                    if position == 4 || position == 6 || position == 8 || position == 10 {
                        guard utf8[index] == UInt8(ascii: "-") else { return false }
                        index += 1
                    }
                    guard let high = hexValue(utf8[index]), let low = hexValue(utf8[index + 1]) else { return false }
                    output[position] = high << 4 | low
                    index += 2
                }
                return true
            }
            return parsed ? bytes : nil
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5).
    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        let bytes = Array(bytes)
        return String(unsafeUninitializedCapacity: (bytes.count * 4 + 2) / 3) { buffer in
            var writer = ASCIIWriter(buffer)
            bytes.withUnsafeBytes { writer.appendBase64URL($0) }
            return writer.count
        }
    }

    /// Decodes unpadded URL-safe base64; `nil` for any other character or an impossible length.
    static func decodeBase64URL(_ text: some StringProtocol) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "_"): value = 63
            default: return nil
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // A final group of 6 bits cannot hold a byte; leftover bits must be zero (canonical form).
        guard bits < 6, accumulator == 0 else { return nil }
        return output
    }

    /// The most bytes an `Int64` takes in decimal, with its sign.
    static let maximumDecimalLength = 20
}

/// Writes ASCII text into a buffer of known capacity, such as one given by
/// `String(unsafeUninitializedCapacity:initializingUTF8With:)`.
///
/// Tokens that are made on every request (download links) are written byte by byte into their final
/// storage, without intermediate arrays and strings. Writing beyond the capacity is a programming error
/// and traps.
struct ASCIIWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    /// The number of bytes written.
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    /// The bytes written so far.
    var written: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer.baseAddress, count: count) }

    mutating func append(_ byte: UInt8) {
        precondition(count < buffer.count, "ASCIIWriter: written beyond its capacity")
        buffer[count] = byte
        count += 1
    }

    mutating func append(_ text: String) {
        for byte in text.utf8 { append(byte) }
    }

    /// The lowercase UUID text, 36 bytes.
    mutating func appendUUID(_ bytes: UnsafeRawBufferPointer) {
        for (position, byte) in bytes.enumerated() {
            if position == 4 || position == 6 || position == 8 || position == 10 { append(UInt8(ascii: "-")) }
            append(Encoding.hexDigit(byte >> 4))
            append(Encoding.hexDigit(byte & 0x0F))
        }
    }

    /// `value` in decimal, at most ``Encoding/maximumDecimalLength`` bytes.
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var digits = 1
        var rest = value.magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        appendDigits(value.magnitude, count: digits)
    }

    /// The last `count` decimal digits of `value`, zero-padded.
    mutating func appendDigits(_ value: UInt64, count digits: Int) {
        precondition(count + digits <= buffer.count, "ASCIIWriter: written beyond its capacity")
        // Right to left, dividing by the constant 10 (a multiplication, not a division instruction).
        var value = value
        var index = count + digits - 1
        while index >= count {
            buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
            value /= 10
            index -= 1
        }
        count += digits
    }

    /// `input` in base64 with the URL-safe alphabet and no padding (RFC 4648 §5), `(4 × n + 2) / 3` bytes.
    mutating func appendBase64URL(_ input: UnsafeRawBufferPointer) {
        var index = 0
        while index + 3 <= input.count {
            let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            append(Encoding.base64URLDigit(value >> 18))
            append(Encoding.base64URLDigit(value >> 12))
            append(Encoding.base64URLDigit(value >> 6))
            append(Encoding.base64URLDigit(value))
            index += 3
        }
        let remaining = input.count - index
        if remaining > 0 {
            var value = UInt32(input[index]) << 16
            if remaining == 2 { value |= UInt32(input[index + 1]) << 8 }
            append(Encoding.base64URLDigit(value >> 18))
            append(Encoding.base64URLDigit(value >> 12))
            if remaining == 2 { append(Encoding.base64URLDigit(value >> 6)) }
        }
    }
}
