/// One word-like unit of text, such as `Kubernetes`, `C++`, `Node.js`, `CI/CD` or `.NET`.
struct TextToken: Sendable, Hashable {
    /// The token as written.
    var surface: String
    /// Lower-cased, possessive and plural endings removed: the form used for comparison.
    var normalized: String
    /// The zero-based line the token is on.
    var line: Int
    /// Whether the token opens a line, a bullet or a sentence (so its capital letter says nothing).
    var startsSentence: Bool
    /// Whether punctuation separates this token from the previous one, so no phrase spans both.
    var breakBefore: Bool
    /// The characters between the previous token and this one.
    var gapBefore: String
    /// The offset of the token's first character in the text, in characters.
    var offset: Int

    /// Whether the first character is an upper-case letter.
    var isCapitalized: Bool { surface.first.map(TextSearch.isUppercase) ?? false }

    /// Whether the token is written like a technical name rather than an English word:
    /// inner capitals (`gRPC`, `GraphQL`), letters mixed with digits (`EC2`), or symbols (`C++`, `CI/CD`).
    var looksTechnical: Bool {
        let letters = surface.filter(TextSearch.isLetter)
        let hasDigit = surface.contains(where: TextSearch.isNumber)
        let hasSymbol = surface.contains { "+#./&".contains($0) }
        let innerCapital =
            surface.dropFirst().contains(where: TextSearch.isUppercase)
            && letters.contains(where: TextSearch.isLowercase)
        return (hasDigit && !letters.isEmpty) || (hasSymbol && !letters.isEmpty) || innerCapital
    }

    /// Whether the token is an acronym such as `AWS` or `ETL`.
    var isAcronym: Bool {
        let letters = surface.filter(TextSearch.isLetter)
        return letters.count >= 2 && letters.count <= 6 && letters.allSatisfy(TextSearch.isUppercase)
    }

    /// Whether the token is a number such as `5`, `5+` or `4,000`.
    var isNumeric: Bool { !surface.contains(where: TextSearch.isLetter) }
}

/// Splits text into ``TextToken``s, keeping technical spellings whole.
enum TextTokenizer {
    private static let joiners: Set<Character> = [".", "/", "'", "’", "&"]
    private static let trailers: Set<Character> = ["+", "#"]
    private static let sentenceEnders: Set<Character> = [".", "!", "?", ":", ";"]
    private static let bulletMarks: Set<Character> = ["•", "·", "▪", "‣", "◦", "●", "○", "■", "□", "➢", "►", "*"]
    private static let phraseBreakers: Set<Character> = [
        ",", ";", ":", ".", "!", "?", "(", ")", "[", "]", "{", "}", "|", "\n", "—", "–", "\"", "“", "”",
    ]

    /// Tokenizes `text`.
    static func tokens(in text: String) -> [TextToken] {
        let characters = Array(text)
        var tokens: [TextToken] = []
        var index = 0
        var line = 0
        var gap: [Character] = []

        func isWordCharacter(_ character: Character) -> Bool { TextSearch.isLetterOrNumber(character) }

        while index < characters.count {
            let character = characters[index]
            let startsDotted =
                character == "." && index + 1 < characters.count && characters[index + 1].isLetter
                && (index == 0 || !isWordCharacter(characters[index - 1]))
            guard isWordCharacter(character) || startsDotted else {
                if character == "\n" { line += 1 }
                gap.append(character)
                index += 1
                continue
            }
            var end = index + 1
            while end < characters.count {
                let next = characters[end]
                if isWordCharacter(next) {
                    end += 1
                } else if trailers.contains(next) {
                    end += 1
                } else if joiners.contains(next), end + 1 < characters.count, isWordCharacter(characters[end + 1]) {
                    end += 2
                } else {
                    break
                }
            }
            let surface = String(characters[index..<end])
            let gapText = gap
            let isFirst = tokens.isEmpty
            let previousLine = tokens.last?.line ?? -1
            let startsSentence =
                isFirst || previousLine != line
                || gapText.contains(where: { sentenceEnders.contains($0) || bulletMarks.contains($0) })
                || isSpacedDash(gapText)
            let breakBefore =
                isFirst || previousLine != line || gapText.contains(where: { phraseBreakers.contains($0) })
                || isSpacedDash(gapText)
            tokens.append(
                TextToken(
                    surface: surface,
                    normalized: normalize(surface),
                    line: line,
                    startsSentence: startsSentence,
                    breakBefore: breakBefore,
                    gapBefore: String(gapText),
                    offset: index
                )
            )
            gap.removeAll(keepingCapacity: true)
            index = end
        }
        return tokens
    }

    /// A hyphen with spaces around it separates phrases; one between letters (`event-driven`) does not.
    private static func isSpacedDash(_ gap: [Character]) -> Bool {
        gap.count >= 2 && gap.contains("-") && gap.contains(where: \.isWhitespace)
    }

    /// Lower-cases a token and removes possessive and plural endings.
    static func normalize(_ surface: String) -> String {
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
}
