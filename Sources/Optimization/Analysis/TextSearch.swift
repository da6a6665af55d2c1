/// Character tests and substring searches with ASCII fast paths, for the match analysis.
///
/// Each gives the standard library's answer (`Character.isLetter`, `StringProtocol.contains(_:)`,
/// Character-by-Character matching), only faster on the ASCII text that job descriptions and resumes are
/// mostly made of: the standard library looks every character's Unicode properties up, and its substring
/// search builds a table per call. Non-ASCII characters take the standard library's path.
enum TextSearch {
    // MARK: Characters

    /// `character.isLetter`.
    @inline(__always)
    static func isLetter(_ character: Character) -> Bool {
        guard let ascii = character.singleASCIIValue else { return character.isLetter }
        return (ascii | 0x20) >= 0x61 && (ascii | 0x20) <= 0x7A
    }

    /// `character.isNumber`.
    @inline(__always)
    static func isNumber(_ character: Character) -> Bool {
        guard let ascii = character.singleASCIIValue else { return character.isNumber }
        return ascii >= 0x30 && ascii <= 0x39
    }

    /// `character.isLetter || character.isNumber`.
    @inline(__always)
    static func isLetterOrNumber(_ character: Character) -> Bool {
        guard let ascii = character.singleASCIIValue else { return character.isLetter || character.isNumber }
        return isASCIILetterOrNumber(ascii)
    }

    /// `character.isUppercase`.
    @inline(__always)
    static func isUppercase(_ character: Character) -> Bool {
        guard let ascii = character.singleASCIIValue else { return character.isUppercase }
        return ascii >= 0x41 && ascii <= 0x5A
    }

    /// `character.isLowercase`.
    @inline(__always)
    static func isLowercase(_ character: Character) -> Bool {
        guard let ascii = character.singleASCIIValue else { return character.isLowercase }
        return ascii >= 0x61 && ascii <= 0x7A
    }

    /// `character.isWhitespace`.
    @inline(__always)
    static func isWhitespace(_ character: Character) -> Bool {
        guard let ascii = character.singleASCIIValue else { return character.isWhitespace }
        return ascii == 0x20 || (ascii >= 0x09 && ascii <= 0x0D)
    }

    @inline(__always)
    static func isASCIILetterOrNumber(_ byte: UInt8) -> Bool {
        ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }

    // MARK: Case

    /// `text.lowercased()`: the standard library maps each Unicode scalar on its own, so ASCII bytes are
    /// mapped here and only the other scalars look their mapping up.
    static func lowercased(_ text: String) -> String {
        var storage = text
        return storage.withUTF8 { bytes in
            guard bytes.contains(where: { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) }) else { return text }
            var result = ""
            result.reserveCapacity(bytes.count)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] < 0x80 { end += 1 }
                if end > start {
                    result += String(
                        unsafeUninitializedCapacity: end - start,
                        initializingUTF8With: { buffer in
                            for offset in start..<end {
                                let byte = bytes[offset]
                                buffer[offset - start] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                            }
                            return end - start
                        }
                    )
                }
                // The non-ASCII scalars up to the next ASCII byte.
                start = end
                while end < bytes.count && bytes[end] >= 0x80 { end += 1 }
                if end > start {
                    for scalar in String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                        .unicodeScalars
                    {
                        result += scalar.properties.lowercaseMapping
                    }
                }
                start = end
            }
            return result
        }
    }

    // MARK: Lines and words

    /// `text.split(separator: "\n", omittingEmptySubsequences: false)`: a line feed is a character of its
    /// own but after a carriage return (CR LF is one character, not `"\n"`).
    static func lines(of text: String) -> [Substring] {
        var storage = text
        storage.makeContiguousUTF8()
        let utf8 = storage.utf8
        var lines: [Substring] = []
        var start = 0
        utf8.withContiguousStorageIfAvailable { bytes in
            for offset in bytes.indices where bytes[offset] == 0x0A && (offset == 0 || bytes[offset - 1] != 0x0D) {
                lines.append(
                    storage[
                        utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: offset)
                    ]
                )
                start = offset + 1
            }
        }
        lines.append(storage[utf8.index(utf8.startIndex, offsetBy: start)...])
        return lines
    }

    /// `text.split(separator: " ").count`.
    static func wordCount(_ text: String) -> Int {
        var storage = text
        let count = storage.withUTF8 { bytes -> Int? in
            // A space before a non-ASCII scalar may start a character with it: leave that to the characters.
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var count = 0
            var inWord = false
            for byte in bytes {
                if byte == UInt8(ascii: " ") {
                    inWord = false
                } else if !inWord {
                    inWord = true
                    count += 1
                }
            }
            return count
        }
        return count ?? text.split(separator: " ").count
    }

    // MARK: Searching

    /// A string searched for, prepared once.
    struct Needle: Sendable, ExpressibleByStringLiteral {
        /// The string itself.
        let text: String
        /// Its UTF-8 bytes, when a byte-wise search finds exactly what a Character-wise one does: the needle
        /// is ASCII without a carriage return and without the three characters that a non-ASCII character is
        /// canonically equivalent to (`;` ← U+037E, `` ` `` ← U+1FEF, `K` ← U+212A).
        let bytes: [UInt8]?

        init(_ text: String) {
            self.text = text
            let bytes = Array(text.utf8)
            let isExact =
                !bytes.isEmpty
                && bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "`") }
                && !bytes.contains(UInt8(ascii: "K"))
            self.bytes = isExact ? bytes : nil
        }

        init(stringLiteral value: String) { self.init(value) }
    }

    /// `text.contains(needle.text)`.
    static func contains(_ needle: Needle, in text: String) -> Bool {
        guard let pattern = needle.bytes else { return text.contains(needle.text) }
        var storage = text
        return storage.withUTF8 { bytes in
            firstMatch(of: pattern, in: bytes, from: 0, text: text) != nil
        }
    }

    /// Whether `needle` occurs in `text` with neither a letter nor a digit (or, with `letters`, only no letter)
    /// just before or after it, trying the occurrences from the left as `firstRange(of:)` finds them, each
    /// search resuming after the previous occurrence.
    static func containsWord(_ needle: Needle, in text: String, lettersOnly: Bool = false) -> Bool {
        guard let pattern = needle.bytes else {
            return slowContainsWord(needle.text, in: text, lettersOnly: lettersOnly)
        }
        var storage = text
        return storage.withUTF8 { bytes in
            var from = 0
            while let start = firstMatch(of: pattern, in: bytes, from: from, text: text) {
                let end = start + pattern.count
                let before = characterTest(endingAt: start, in: bytes, text: text, lettersOnly: lettersOnly)
                let after = characterTest(startingAt: end, in: bytes, text: text, lettersOnly: lettersOnly)
                if !before && !after { return true }
                from = end
            }
            return false
        }
    }

    /// The byte offset of the first occurrence of `pattern` at or after `from` that starts and ends on
    /// Character boundaries.
    private static func firstMatch(
        of pattern: [UInt8],
        in bytes: UnsafeBufferPointer<UInt8>,
        from: Int,
        text: String
    ) -> Int? {
        let count = pattern.count
        guard count <= bytes.count else { return nil }
        let first = pattern[0]
        var start = from
        let last = bytes.count - count
        while start <= last {
            if bytes[start] == first {
                var offset = 1
                while offset < count && bytes[start + offset] == pattern[offset] { offset += 1 }
                if offset == count && isBoundary(start, in: bytes, text: text)
                    && isBoundary(start + count, in: bytes, text: text)
                {
                    return start
                }
            }
            start += 1
        }
        return nil
    }

    /// Whether the byte offset starts a Character (an extended grapheme cluster).
    @inline(__always)
    private static func isBoundary(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>, text: String) -> Bool {
        if offset == 0 || offset == bytes.count { return true }
        let before = bytes[offset - 1]
        let after = bytes[offset]
        // Two ASCII scalars always have a boundary between them, but for CR LF.
        if before < 0x80 && after < 0x80 { return !(before == 0x0D && after == 0x0A) }
        return String.Index(text.utf8.index(text.utf8.startIndex, offsetBy: offset), within: text) != nil
    }

    /// Whether the Character ending at the boundary `offset` is a letter or a digit (`false` at the start).
    private static func characterTest(
        endingAt offset: Int,
        in bytes: UnsafeBufferPointer<UInt8>,
        text: String,
        lettersOnly: Bool
    ) -> Bool {
        guard offset > 0 else { return false }
        let byte = bytes[offset - 1]
        if byte < 0x80 && (offset == 1 || (bytes[offset - 2] < 0x80 && !(bytes[offset - 2] == 0x0D && byte == 0x0A))) {
            return test(byte, lettersOnly: lettersOnly)
        }
        let index = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        return test(text[text.index(before: index)], lettersOnly: lettersOnly)
    }

    /// Whether the Character starting at the boundary `offset` is a letter or a digit (`false` at the end).
    private static func characterTest(
        startingAt offset: Int,
        in bytes: UnsafeBufferPointer<UInt8>,
        text: String,
        lettersOnly: Bool
    ) -> Bool {
        guard offset < bytes.count else { return false }
        let byte = bytes[offset]
        if byte < 0x80 && (offset + 1 == bytes.count || isBoundary(offset + 1, in: bytes, text: text)) {
            return test(byte, lettersOnly: lettersOnly)
        }
        return test(text[text.utf8.index(text.utf8.startIndex, offsetBy: offset)], lettersOnly: lettersOnly)
    }

    @inline(__always)
    private static func test(_ byte: UInt8, lettersOnly: Bool) -> Bool {
        lettersOnly ? (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A : isASCIILetterOrNumber(byte)
    }

    @inline(__always)
    private static func test(_ character: Character, lettersOnly: Bool) -> Bool {
        lettersOnly ? character.isLetter : character.isLetter || character.isNumber
    }

    /// The standard library's search, for needles the byte-wise one cannot answer exactly.
    private static func slowContainsWord(_ word: String, in text: String, lettersOnly: Bool) -> Bool {
        guard !word.isEmpty else { return true }
        var remaining = Substring(text)
        while let range = remaining.firstRange(of: word) {
            let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : " "
            let after = range.upperBound < text.endIndex ? text[range.upperBound] : " "
            if !test(before, lettersOnly: lettersOnly) && !test(after, lettersOnly: lettersOnly) { return true }
            remaining = remaining[range.upperBound...]
        }
        return false
    }
}

extension Character {
    /// The character's ASCII value, LF's for CR LF: every test above answers the same for both.
    @inline(__always)
    fileprivate var singleASCIIValue: UInt8? { asciiValue }
}
