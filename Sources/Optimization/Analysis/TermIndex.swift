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
    /// The same runs with spaces and punctuation removed ("micro services" and "microservices" alike).
    private let compactKeys: Set<String>
    /// The first surface of each key and compact key, as written.
    private let surfaces: [String: String]
    /// The unit positions of each single-unit key, for finding related phrases.
    let positionsByKey: [String: [Int]]

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
        var compactKeys: Set<String> = []
        var surfaces: [String: String] = [:]
        var positions: [String: [Int]] = [:]
        // Each unit's compact key, or nil when it is not ASCII (then the run's key is compacted whole).
        let compactUnits = units.map { Self.asciiCompact($0.key) }
        for start in units.indices {
            positions[units[start].key, default: []].append(start)
            var key = ""
            var surface = ""
            var asciiCompact: String? = ""
            for end in start..<min(start + Self.longestKeyword, units.count) {
                if end > start && units[end].first.breakBefore { break }
                key += (end > start ? " " : "") + units[end].key
                surface += (end > start ? units[end].first.gapBefore.prefix(1) : "") + units[end].surface
                keys.insert(key)
                // The compact form of ASCII keys joined by spaces is their compact forms joined.
                if let part = compactUnits[end], let run = asciiCompact {
                    asciiCompact = run + part
                } else {
                    asciiCompact = nil
                }
                let compact = asciiCompact ?? Self.compact(key)
                compactKeys.insert(compact)
                if surfaces[key] == nil { surfaces[key] = surface }
                if surfaces[compact] == nil { surfaces[compact] = surface }
            }
        }
        self.units = units
        self.keys = keys
        self.compactKeys = compactKeys
        self.surfaces = surfaces
        self.positionsByKey = positions
    }

    /// Whether the text holds the keyword with this key, spaced or written as one word.
    /// Known skills match by their ids only; other phrases also by their compact form when it is long
    /// enough to be distinctive (five characters or more).
    func contains(_ key: String) -> Bool {
        if keys.contains(key) { return true }
        guard KeywordVocabulary.terms[key] == nil else { return false }
        let compact = Self.compact(key)
        return compact.count >= 5 && compactKeys.contains(compact)
    }

    /// Whether the text holds the keyword under any of its keys.
    func contains(_ keyword: Keyword) -> Bool { keyword.keys.contains(where: contains) }

    /// How the text writes the keyword, when it holds it.
    func surface(of keyword: Keyword) -> String? {
        for key in keyword.keys {
            if let surface = surfaces[key] ?? surfaces[Self.compact(key)] { return surface }
        }
        return nil
    }

    /// A key without spaces, hyphens, slashes or dots: `micro service`, `micro-service` and `microservice`
    /// alike (`+` and `#` stay: `c++` is not `c`).
    static func compact(_ key: String) -> String {
        asciiCompact(key) ?? String(key.filter { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "#" })
    }

    /// ``compact(_:)`` of an ASCII key, byte by byte; `nil` for a key that is not ASCII.
    private static func asciiCompact(_ key: String) -> String? {
        var storage = key
        return storage.withUTF8 { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            if bytes.allSatisfy(Self.isKept) { return key }
            return String(decoding: bytes.filter(Self.isKept), as: UTF8.self)
        }
    }

    @inline(__always)
    private static func isKept(_ byte: UInt8) -> Bool {
        TextSearch.isASCIILetterOrNumber(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "#")
    }

    /// The ids of the known terms the text mentions.
    var termIDs: Set<String> { Set(units.compactMap { $0.term?.id }) }

    /// The known form of a token written with a version number glued on ("python3", "java17", "vue3").
    private static func versionlessForm(of token: TextToken) -> KeywordVocabulary.Form? {
        let word = token.normalized
        guard let firstDigit = word.firstIndex(where: \.isNumber), firstDigit > word.startIndex,
            word[firstDigit...].allSatisfy({ $0.isNumber || $0 == "." })
        else { return nil }
        guard let form = KeywordVocabulary.forms[String(word[..<firstDigit])],
            !form.requiresCapital || token.isCapitalized
        else { return nil }
        return form
    }

    /// Groups tokens into units, preferring the longest known term at each position.
    static func units(from tokens: [TextToken]) -> [TermUnit] {
        var units: [TermUnit] = []
        var index = 0
        while index < tokens.count {
            var matched: (form: KeywordVocabulary.Form, length: Int)?
            // Only the lengths of the forms that open with this token's word.
            var length = min(KeywordVocabulary.longestForm(openingWith: tokens[index].normalized), tokens.count - index)
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
            // A version glued to a known name: "Python3", "Java17", "ES6" stays as written when known.
            if matched == nil, let form = Self.versionlessForm(of: tokens[index]) {
                matched = (form, 1)
            }
            if let matched {
                let slice = tokens[index..<(index + matched.length)]
                units.append(
                    TermUnit(
                        key: matched.form.term.id,
                        surface: slice.enumerated().map { offset, token in
                            offset == 0 ? token.surface : (token.gapBefore == "-" ? "-" : " ") + token.surface
                        }.joined(),
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
