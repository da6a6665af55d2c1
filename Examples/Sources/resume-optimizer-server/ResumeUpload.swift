import Foundation

/// The `resume` field of a `POST /optimize` body, decoded from base64 straight out of the request's
/// bytes: no copy of the body as `Data`, no `String` of the base64 text, no compacted second copy. A
/// 5 MiB resume costs its 6.7 MiB body and its 5 MiB of decoded bytes, nothing more.
///
/// ``locateResume(in:)`` finds the field's string in a top-level JSON object without decoding the rest;
/// ``decodeBase64(_:maximumBytes:)`` is the one base64 decoder of the server, for that string's raw
/// JSON bytes (escapes included) or for an already decoded string's UTF-8.
enum ResumeUpload {
    /// Where the `resume` string's content lies in the body (between its quotes), and the body with that
    /// content removed (`"resume": ""`), small enough to decode with `JSONDecoder`.
    struct Located {
        var content: Range<Int>
        var rest: [UInt8]
    }

    /// Finds the top-level `"resume"` string of a JSON object. `nil` when the body is not a plain JSON
    /// object with one such string member (malformed, another type, an escaped key): the caller then
    /// decodes the whole body the ordinary way, which also gives the precise error.
    static func locateResume(in body: UnsafeRawBufferPointer) -> Located? {
        var scanner = Scanner(bytes: body)
        scanner.skipWhitespace()
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        var found: Range<Int>?
        scanner.skipWhitespace()
        if scanner.take(UInt8(ascii: "}")) { return nil }
        while true {
            scanner.skipWhitespace()
            guard let key = scanner.string() else { return nil }
            scanner.skipWhitespace()
            guard scanner.take(UInt8(ascii: ":")) else { return nil }
            scanner.skipWhitespace()
            let isResume = body[key].elementsEqual("resume".utf8)
            if isResume {
                guard found == nil, let content = scanner.string() else { return nil }
                found = content
            } else {
                guard scanner.skipValue() else { return nil }
            }
            scanner.skipWhitespace()
            if scanner.take(UInt8(ascii: ",")) { continue }
            guard scanner.take(UInt8(ascii: "}")) else { return nil }
            break
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd, let found else { return nil }
        var rest = [UInt8]()
        rest.reserveCapacity(body.count - found.count)
        rest.append(contentsOf: body[..<found.lowerBound])
        rest.append(contentsOf: body[found.upperBound...])
        return Located(content: found, rest: rest)
    }

    /// Why a `resume` value is refused; the route turns each into its documented answer.
    enum Refusal: Error, Equatable {
        case empty
        case notBase64
        case dataURLNotBase64
        case tooLarge
    }

    /// Decodes standard base64, accepting line breaks and other white space, the JSON escapes a JSON
    /// encoder may write inside a base64 string (`\/`, `\n`, `\r`, `\t`), missing padding, and a
    /// `data:<type>;base64,` prefix.
    static func decodeBase64(_ text: UnsafeRawBufferPointer, maximumBytes: Int) throws(Refusal) -> Data {
        var start = 0
        if text.starts(with: "data:".utf8) {
            guard let comma = text.firstIndex(of: UInt8(ascii: ",")) else { throw .notBase64 }
            guard text[..<comma].reversed().starts(with: ";base64".utf8.reversed()) else {
                throw .dataURLNotBase64
            }
            start = comma + 1
        }
        // The decoded size is at most three quarters of the text. A text over twice what the limit allows
        // is refused before decoding; one within that margin (white space and escapes lengthen a text) is
        // decoded and checked exactly.
        let capacity = (text.count - start) / 4 * 3 + 3
        if capacity / 2 > maximumBytes + 3 { throw .tooLarge }
        var output = Data(count: min(capacity, maximumBytes + 3))
        var refusal: Refusal?
        let written = output.withUnsafeMutableBytes { out -> Int in
            var count = 0
            var accumulator: UInt32 = 0
            var pending = 0
            var padding = 0
            var index = start
            while index < text.count {
                var byte = text[index]
                index += 1
                if byte == UInt8(ascii: "\\") {
                    guard index < text.count else {
                        refusal = .notBase64
                        return 0
                    }
                    let escaped = text[index]
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "/"): byte = UInt8(ascii: "/")
                    case UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"): continue
                    default:
                        refusal = .notBase64
                        return 0
                    }
                }
                let value = decodeTable[Int(byte)]
                if value == skip { continue }
                if byte == UInt8(ascii: "=") {
                    padding += 1
                    continue
                }
                // Nothing but white space may follow the padding.
                guard value != invalid, padding == 0 else {
                    refusal = .notBase64
                    return 0
                }
                accumulator = accumulator << 6 | UInt32(value)
                pending += 1
                if pending == 4 {
                    guard count + 3 <= out.count else {
                        refusal = .tooLarge
                        return 0
                    }
                    out[count] = UInt8(truncatingIfNeeded: accumulator >> 16)
                    out[count + 1] = UInt8(truncatingIfNeeded: accumulator >> 8)
                    out[count + 2] = UInt8(truncatingIfNeeded: accumulator)
                    count += 3
                    accumulator = 0
                    pending = 0
                }
            }
            switch (pending, padding) {
            case (0, 0):
                break
            case (2, 0), (2, 2):
                guard count + 1 <= out.count else {
                    refusal = .tooLarge
                    return 0
                }
                out[count] = UInt8(truncatingIfNeeded: accumulator >> 4)
                count += 1
            case (3, 0), (3, 1):
                guard count + 2 <= out.count else {
                    refusal = .tooLarge
                    return 0
                }
                out[count] = UInt8(truncatingIfNeeded: accumulator >> 10)
                out[count + 1] = UInt8(truncatingIfNeeded: accumulator >> 2)
                count += 2
            default:
                refusal = .notBase64
            }
            return count
        }
        if let refusal { throw refusal }
        guard written > 0 else { throw .empty }
        guard written <= maximumBytes else { throw .tooLarge }
        output.count = written
        return output
    }

    private static let invalid: UInt8 = 0xFF
    private static let skip: UInt8 = 0xFE

    /// Base64 digit values; white space is skipped; `=` is handled apart.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        for space in [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C] { table[space] = skip }
        table[Int(UInt8(ascii: "="))] = 0
        return table
    }()

    /// Just enough of a JSON scanner to find a member's value without decoding anything.
    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        var isAtEnd: Bool { index == bytes.count }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A string's content range (between the quotes, escapes left as they are).
        mutating func string() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<index - 1
                case UInt8(ascii: "\\"):
                    index += 2
                case 0..<0x20:
                    return nil
                default:
                    index += 1
                }
            }
            return nil
        }

        /// Skips any value: a string, or a number, literal, object or array up to its end.
        mutating func skipValue() -> Bool {
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "\"") { return string() != nil }
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return true }
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                case UInt8(ascii: ","):
                    if depth == 0 { return true }
                default:
                    break
                }
                index += 1
            }
            return depth == 0
        }
    }
}
