/// One word-like unit of text, such as `Kubernetes`, `C++`, `Node.js`, `CI/CD` or `.NET`.
struct TextToken: Sendable, Hashable {
    /// The token as written.
    let surface: String
    /// Lower-cased, possessive and plural endings removed: the form used for comparison.
    let normalized: String
    /// The zero-based line the token is on.
    let line: Int
    /// Whether the token opens a line, a bullet or a sentence (so its capital letter says nothing).
    let startsSentence: Bool
    /// Whether punctuation separates this token from the previous one, so no phrase spans both.
    let breakBefore: Bool
    /// The characters between the previous token and this one.
    let gapBefore: String
    /// The offset of the token's first character in the text, in characters.
    let offset: Int
    /// Whether the first character is an upper-case letter.
    let isCapitalized: Bool
    /// Whether the token is written like a technical name rather than an English word:
    /// inner capitals (`gRPC`, `GraphQL`), letters mixed with digits (`EC2`), or symbols (`C++`, `CI/CD`).
    let looksTechnical: Bool
    /// Whether the token is an acronym such as `AWS` or `ETL`.
    let isAcronym: Bool
    /// How many of the token's characters are letters.
    let letterCount: Int

    /// Whether the token is a number such as `5`, `5+` or `4,000`.
    var isNumeric: Bool { letterCount == 0 }
}

/// Splits text into ``TextToken``s, keeping technical spellings whole.
///
/// The text is read as UTF-8 bytes: an ASCII byte followed by another ASCII byte is a character of its
/// own (but for CR LF, which is one), so only the characters around non-ASCII bytes are found by the
/// standard library's grapheme breaking. Every test gives the answer the `Character` one gives.
enum TextTokenizer {
    private static let joiners: Set<Character> = [".", "/", "'", "’", "&"]
    private static let trailers: Set<Character> = ["+", "#"]
    private static let sentenceEnders: Set<Character> = [".", "!", "?", ":", ";"]
    private static let bulletMarks: Set<Character> = ["•", "·", "▪", "‣", "◦", "●", "○", "■", "□", "➢", "►", "*"]
    private static let phraseBreakers: Set<Character> = [
        ",", ";", ":", ".", "!", "?", "(", ")", "[", "]", "{", "}", "|", "\n", "—", "–", "\"", "“", "”",
    ]

    /// What the tokenizer asks of a character, as bits.
    private struct Traits: OptionSet {
        let rawValue: UInt16
        /// A letter or a digit: part of a word.
        static let word = Traits(rawValue: 1 << 0)
        static let letter = Traits(rawValue: 1 << 1)
        static let newline = Traits(rawValue: 1 << 2)
        static let joiner = Traits(rawValue: 1 << 3)
        static let trailer = Traits(rawValue: 1 << 4)
        static let sentenceEnder = Traits(rawValue: 1 << 5)
        static let bullet = Traits(rawValue: 1 << 6)
        static let phraseBreaker = Traits(rawValue: 1 << 7)
        static let whitespace = Traits(rawValue: 1 << 8)
        static let hyphen = Traits(rawValue: 1 << 9)
        static let dot = Traits(rawValue: 1 << 10)
    }

    private static func traits(of character: Character) -> Traits {
        var traits: Traits = []
        if TextSearch.isLetterOrNumber(character) { traits.insert(.word) }
        if character.isLetter { traits.insert(.letter) }
        if character == "\n" { traits.insert(.newline) }
        if joiners.contains(character) { traits.insert(.joiner) }
        if trailers.contains(character) { traits.insert(.trailer) }
        if sentenceEnders.contains(character) { traits.insert(.sentenceEnder) }
        if bulletMarks.contains(character) { traits.insert(.bullet) }
        if phraseBreakers.contains(character) { traits.insert(.phraseBreaker) }
        if character.isWhitespace { traits.insert(.whitespace) }
        if character == "-" { traits.insert(.hyphen) }
        if character == "." { traits.insert(.dot) }
        return traits
    }

    /// The traits of each ASCII character.
    private static let asciiTraits: [Traits] = (0..<128).map { traits(of: Character(Unicode.Scalar(UInt8($0)))) }
    /// The traits of CR LF, one character.
    private static let crlfTraits = traits(of: "\r\n")

    /// Tokenizes `text`.
    static func tokens(in text: String) -> [TextToken] {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { tokens(in: $0, of: text) } ?? []
    }

    /// Tokenizes the UTF-8 `bytes` of `text`.
    private static func tokens(in bytes: UnsafeBufferPointer<UInt8>, of text: String) -> [TextToken] {
        // Each character's traits and the offset of its first byte (and the end of the text).
        var traits: [Traits] = []
        var starts: [Int] = []
        traits.reserveCapacity(bytes.count)
        starts.reserveCapacity(bytes.count + 1)
        var byte = 0
        while byte < bytes.count {
            let value = bytes[byte]
            if value < 0x80 {
                if byte + 1 == bytes.count || bytes[byte + 1] < 0x80 {
                    starts.append(byte)
                    if value == 0x0D && byte + 1 < bytes.count && bytes[byte + 1] == 0x0A {
                        traits.append(crlfTraits)
                        byte += 2
                    } else {
                        traits.append(asciiTraits[Int(value)])
                        byte += 1
                    }
                    continue
                }
            }
            // Around non-ASCII bytes, the standard library says where the character ends.
            let character = text[text.utf8.index(text.utf8.startIndex, offsetBy: byte)]
            starts.append(byte)
            traits.append(Self.traits(of: character))
            byte += character.utf8.count
        }
        starts.append(bytes.count)

        func string(_ characters: Range<Int>) -> String {
            String(
                decoding: UnsafeBufferPointer(
                    rebasing: bytes[starts[characters.lowerBound]..<starts[characters.upperBound]]
                ),
                as: UTF8.self
            )
        }

        var tokens: [TextToken] = []
        let count = traits.count
        var index = 0
        var line = 0
        var gapStart = 0
        var gapTraits: Traits = []
        while index < count {
            let current = traits[index]
            let startsDotted =
                current.contains(.dot) && index + 1 < count && traits[index + 1].contains(.letter)
                && (index == 0 || !traits[index - 1].contains(.word))
            guard current.contains(.word) || startsDotted else {
                if current.contains(.newline) { line += 1 }
                gapTraits.formUnion(current)
                index += 1
                continue
            }
            var end = index + 1
            while end < count {
                let next = traits[end]
                if !next.isDisjoint(with: [.word, .trailer]) {
                    end += 1
                } else if next.contains(.joiner), end + 1 < count, traits[end + 1].contains(.word) {
                    end += 2
                } else {
                    break
                }
            }
            let isFirst = tokens.isEmpty
            let previousLine = tokens.last?.line ?? -1
            // A hyphen with spaces around it separates phrases; one between letters (`event-driven`) does not.
            let isSpacedDash = index - gapStart >= 2 && gapTraits.contains(.hyphen) && gapTraits.contains(.whitespace)
            let startsSentence =
                isFirst || previousLine != line || !gapTraits.isDisjoint(with: [.sentenceEnder, .bullet])
                || isSpacedDash
            let breakBefore = isFirst || previousLine != line || gapTraits.contains(.phraseBreaker) || isSpacedDash
            let surface = UnsafeBufferPointer(rebasing: bytes[starts[index]..<starts[end]])
            tokens.append(
                token(
                    surface: surface,
                    line: line,
                    startsSentence: startsSentence,
                    breakBefore: breakBefore,
                    gapBefore: string(gapStart..<index),
                    offset: index
                )
            )
            gapTraits = []
            gapStart = end
            index = end
        }
        return tokens
    }

    /// A token with the word's shape worked out: byte by byte for an ASCII word, else by characters.
    private static func token(
        surface bytes: UnsafeBufferPointer<UInt8>,
        line: Int,
        startsSentence: Bool,
        breakBefore: Bool,
        gapBefore: String,
        offset: Int
    ) -> TextToken {
        let surface = String(decoding: bytes, as: UTF8.self)
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            let letters = surface.filter(TextSearch.isLetter)
            let hasDigit = surface.contains(where: TextSearch.isNumber)
            let hasSymbol = surface.contains { "+#./&".contains($0) }
            let innerCapital =
                surface.dropFirst().contains(where: TextSearch.isUppercase)
                && letters.contains(where: TextSearch.isLowercase)
            return TextToken(
                surface: surface,
                normalized: normalize(surface),
                line: line,
                startsSentence: startsSentence,
                breakBefore: breakBefore,
                gapBefore: gapBefore,
                offset: offset,
                isCapitalized: surface.first.map(TextSearch.isUppercase) ?? false,
                looksTechnical: (hasDigit && !letters.isEmpty) || (hasSymbol && !letters.isEmpty) || innerCapital,
                isAcronym: letters.count >= 2 && letters.count <= 6 && letters.allSatisfy(TextSearch.isUppercase),
                letterCount: letters.count
            )
        }
        var letters = 0
        var lowercaseLetters = 0
        var hasDigit = false
        var hasSymbol = false
        var innerCapital = false
        for (position, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                letters += 1
                lowercaseLetters += 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                letters += 1
                if position > 0 { innerCapital = true }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                hasDigit = true
            case UInt8(ascii: "+"), UInt8(ascii: "#"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "&"):
                hasSymbol = true
            default:
                break
            }
        }
        let first = bytes.first ?? 0
        return TextToken(
            surface: surface,
            normalized: asciiNormalize(bytes),
            line: line,
            startsSentence: startsSentence,
            breakBefore: breakBefore,
            gapBefore: gapBefore,
            offset: offset,
            isCapitalized: first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z"),
            looksTechnical: (hasDigit || hasSymbol) && letters > 0 || innerCapital && lowercaseLetters > 0,
            isAcronym: letters >= 2 && letters <= 6 && lowercaseLetters == 0,
            letterCount: letters
        )
    }

    /// Lower-cases a token and removes possessive and plural endings.
    static func normalize(_ surface: String) -> String {
        var copy = surface
        if let normalized = copy.withUTF8({ $0.allSatisfy { $0 < 0x80 } ? asciiNormalize($0) : nil }) {
            return normalized
        }
        var word = surface.lowercased()
        for suffix in ["'s", "’s"] where word.hasSuffix(suffix) {
            word.removeLast(suffix.count)
        }
        guard word.count >= 4, word.allSatisfy(TextSearch.isLetter), word.hasSuffix("s"), !word.hasSuffix("ss") else {
            return word
        }
        if word.hasSuffix("ies") {
            return String(word.dropLast(3)) + "y"
        }
        for suffix in ["sses", "xes", "ches", "shes"] where word.hasSuffix(suffix) {
            return String(word.dropLast(2))
        }
        return String(word.dropLast())
    }

    /// ``normalize(_:)`` of an ASCII word, byte by byte.
    private static func asciiNormalize(_ surface: UnsafeBufferPointer<UInt8>) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: surface.count) { word in
            var count = 0
            var allLetters = true
            for byte in surface {
                let isUpper = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
                word[count] = isUpper ? byte | 0x20 : byte
                if !isUpper && !(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) { allLetters = false }
                count += 1
            }
            func ends(with suffix: StaticString) -> Bool {
                let length = suffix.utf8CodeUnitCount
                guard count >= length else { return false }
                let start = suffix.utf8Start
                for offset in 0..<length where word[count - length + offset] != start[offset] { return false }
                return true
            }
            if ends(with: "'s") {
                count -= 2
                // The letters test is on the word without its possessive ending.
                allLetters = (0..<count).allSatisfy { (word[$0] | 0x20) >= 0x61 && (word[$0] | 0x20) <= 0x7A }
            }
            func result() -> String { String(decoding: UnsafeBufferPointer(rebasing: word[..<count]), as: UTF8.self) }
            guard count >= 4, allLetters, ends(with: "s"), !ends(with: "ss") else { return result() }
            if ends(with: "ies") {
                word[count - 3] = UInt8(ascii: "y")
                count -= 2
                return result()
            }
            if ends(with: "sses") || ends(with: "xes") || ends(with: "ches") || ends(with: "shes") {
                count -= 2
                return result()
            }
            count -= 1
            return result()
        }
    }
}
