/// A token or a known multi-token term, the unit keywords are made of.
struct TermUnit: Sendable, Hashable {
    /// The comparison key: the vocabulary term's id, or the normalized token.
    var key: String
    /// The text as written, tokens joined by single spaces.
    var surface: String
    /// The vocabulary term, when the unit is a known skill.
    var term: VocabularyTerm?
    /// The first token of the unit.
    var first: TextToken
    /// The position of the unit's first token in the token list.
    var position: Int
}

/// The terms of one text, for asking whether a keyword occurs in it.
struct TermIndex: Sendable {
    /// The units of the text, in order.
    let units: [TermUnit]
    private let keys: Set<String>

    /// The longest run of units a keyword spans.
    static let longestKeyword = 4

    /// Indexes `text`.
    init(_ text: String) {
        self.init(tokens: TextTokenizer.tokens(in: text))
    }

    /// Indexes already tokenized text.
    init(tokens: [TextToken]) {
        let units = Self.units(from: tokens)
        var keys: Set<String> = []
        for start in units.indices {
            var key = ""
            for end in start..<min(start + Self.longestKeyword, units.count) {
                if end > start && units[end].first.breakBefore { break }
                key += (end > start ? " " : "") + units[end].key
                keys.insert(key)
            }
        }
        self.units = units
        self.keys = keys
    }

    /// Whether the text holds the keyword with this key.
    func contains(_ key: String) -> Bool { keys.contains(key) }

    /// The ids of the known terms the text mentions.
    var termIDs: Set<String> { Set(units.compactMap { $0.term?.id }) }

    /// Groups tokens into units, preferring the longest known term at each position.
    static func units(from tokens: [TextToken]) -> [TermUnit] {
        var units: [TermUnit] = []
        var index = 0
        while index < tokens.count {
            var matched: (form: KeywordVocabulary.Form, length: Int)?
            var length = min(KeywordVocabulary.longestForm, tokens.count - index)
            while length >= 1 {
                let slice = tokens[index..<(index + length)]
                if !slice.dropFirst().contains(where: \.breakBefore),
                    let form = KeywordVocabulary.forms[slice.map(\.normalized).joined(separator: " ")],
                    !form.requiresCapital || tokens[index].isCapitalized
                {
                    matched = (form, length)
                    break
                }
                length -= 1
            }
            if let matched {
                let slice = tokens[index..<(index + matched.length)]
                units.append(
                    TermUnit(
                        key: matched.form.term.id,
                        surface: slice.map(\.surface).joined(separator: " "),
                        term: matched.form.term,
                        first: tokens[index],
                        position: index
                    )
                )
                index += matched.length
            } else {
                let token = tokens[index]
                units.append(
                    TermUnit(key: token.normalized, surface: token.surface, term: nil, first: token, position: index)
                )
                index += 1
            }
        }
        return units
    }
}
