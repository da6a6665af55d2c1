/// A byte-level scanner over XML that the parser has already read as well-formed: it finds tags and their
/// byte ranges without building a tree, so that the editor copies everything it does not change byte for
/// byte (libxml2's serializer would rewrite quoting, namespace declarations and entities).
struct MarkupScanner {
    enum Kind: Equatable {
        case start
        case end
        case empty
        /// Text, a comment, a processing instruction or a CDATA section.
        case other
    }

    struct Token {
        var kind: Kind
        /// The token's bytes: `start..<end`.
        var start: Int
        var end: Int
        /// The qualified name's bytes, for tags.
        var nameStart: Int
        var nameEnd: Int
    }

    let bytes: [UInt8]
    private(set) var position: Int

    init(bytes: [UInt8], from position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// The next token, or `nil` at the end.
    mutating func next() -> Token? {
        let count = bytes.count
        guard position < count else { return nil }
        let start = position
        if bytes[start] != UInt8(ascii: "<") {
            var index = start
            while index < count && bytes[index] != UInt8(ascii: "<") { index += 1 }
            position = index
            return Token(kind: .other, start: start, end: index, nameStart: start, nameEnd: start)
        }
        if start + 1 < count && (bytes[start + 1] == UInt8(ascii: "!") || bytes[start + 1] == UInt8(ascii: "?")) {
            let terminator: [UInt8]
            if hasPrefix("<!--", at: start) {
                terminator = Array("-->".utf8)
            } else if hasPrefix("<![CDATA[", at: start) {
                terminator = Array("]]>".utf8)
            } else if bytes[start + 1] == UInt8(ascii: "?") {
                terminator = Array("?>".utf8)
            } else {
                terminator = Array(">".utf8)
            }
            var index = start + 2
            while index < count && !hasPrefix(terminator, at: index) { index += 1 }
            position = min(count, index + terminator.count)
            return Token(kind: .other, start: start, end: position, nameStart: start, nameEnd: start)
        }
        var index = start + 1
        let isEnd = index < count && bytes[index] == UInt8(ascii: "/")
        if isEnd { index += 1 }
        let nameStart = index
        while index < count, !Self.isNameEnd(bytes[index]) { index += 1 }
        let nameEnd = index
        var quote: UInt8 = 0
        while index < count {
            let byte = bytes[index]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                break
            }
            index += 1
        }
        let isEmpty = !isEnd && index > start && bytes[index - 1] == UInt8(ascii: "/")
        position = min(count, index + 1)
        return Token(
            kind: isEnd ? .end : (isEmpty ? .empty : .start),
            start: start,
            end: position,
            nameStart: nameStart,
            nameEnd: nameEnd
        )
    }

    /// Skips to just after the end tag matching the start tag just read (whose name is given).
    mutating func skipElement() {
        var depth = 1
        while depth > 0, let token = next() {
            switch token.kind {
            case .start: depth += 1
            case .end: depth -= 1
            default: break
            }
        }
    }

    private static func isNameEnd(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "/")
    }

    func hasPrefix(_ prefix: String, at index: Int) -> Bool {
        hasPrefix(Array(prefix.utf8), at: index)
    }

    func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index + prefix.count <= bytes.count else { return false }
        for offset in 0..<prefix.count where bytes[index + offset] != prefix[offset] { return false }
        return true
    }

    func name(of token: Token) -> Substring {
        Substring(decoding: bytes[token.nameStart..<token.nameEnd], as: UTF8.self)
    }

    /// The value of an attribute of a start or empty tag (entities decoded), by qualified name.
    func attribute(_ qualifiedName: String, of token: Token) -> String? {
        let name = Array(qualifiedName.utf8)
        var index = token.nameEnd
        let end = token.end
        while index < end {
            while index < end,
                bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D
            {
                index += 1
            }
            let attributeStart = index
            while index < end, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ">"),
                bytes[index] != UInt8(ascii: "/"), bytes[index] != 0x20
            {
                index += 1
            }
            let attributeEnd = index
            while index < end, bytes[index] == 0x20 || bytes[index] == UInt8(ascii: "=") { index += 1 }
            guard index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                return nil
            }
            let quote = bytes[index]
            index += 1
            let valueStart = index
            while index < end, bytes[index] != quote { index += 1 }
            let valueEnd = index
            index += 1
            if attributeEnd - attributeStart == name.count && hasPrefix(name, at: attributeStart) {
                return Self.decodeEntities(bytes[valueStart..<valueEnd])
            }
        }
        return nil
    }

    /// Decodes the five predefined entities and character references.
    static func decodeEntities(_ slice: ArraySlice<UInt8>) -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var output = ""
        var index = slice.startIndex
        var runStart = index
        while index < slice.endIndex {
            guard slice[index] == UInt8(ascii: "&"), let semicolon = slice[index...].firstIndex(of: UInt8(ascii: ";"))
            else {
                index += 1
                continue
            }
            output.append(String(decoding: slice[runStart..<index], as: UTF8.self))
            let entity = String(decoding: slice[(index + 1)..<semicolon], as: UTF8.self)
            switch entity {
            case "amp": output.append("&")
            case "lt": output.append("<")
            case "gt": output.append(">")
            case "quot": output.append("\"")
            case "apos": output.append("'")
            default:
                var scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                }
                if let scalar { output.unicodeScalars.append(scalar) } else { output.append("&\(entity);") }
            }
            index = semicolon + 1
            runStart = index
        }
        output.append(String(decoding: slice[runStart..<slice.endIndex], as: UTF8.self))
        return output
    }

    /// Escapes text for element content (and attribute values in double quotes); drops characters XML 1.0
    /// does not allow.
    ///
    /// Read byte by byte: in UTF-8 every character XML 1.0 refuses is either an ASCII control character or
    /// U+FFFE or U+FFFF (`EF BF BE`, `EF BF BF`; surrogates cannot occur in a String), and every other
    /// scalar is copied as its bytes.
    static func escape(_ text: String, into output: inout [UInt8]) {
        escape(text[...], into: &output)
    }

    /// Escapes part of a text, as the `String` overload does a whole one.
    static func escape(_ text: Substring, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            output.reserveCapacity(output.count + bytes.count)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
                case 0x09, 0x0A, 0x0D, 0x20..<0x80: output.append(byte)
                case 0..<0x20: break
                default:
                    // A scalar of two to four bytes, by its lead byte.
                    let length = byte >= 0xF0 ? 4 : (byte >= 0xE0 ? 3 : 2)
                    let end = min(index + length, bytes.count)
                    let isNonCharacter =
                        length == 3 && byte == 0xEF && end == index + 3 && bytes[index + 1] == 0xBF
                        && (bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF)
                    if !isNonCharacter { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end])) }
                    index = end
                    continue
                }
                index += 1
            }
        }
    }
}
