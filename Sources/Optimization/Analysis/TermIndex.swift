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
///
/// A keyword matches a run of one to ``longestKeyword`` units that no punctuation breaks: by its key (the
/// units' keys joined by spaces) or by its compact form (see ``compact(_:)``). The runs are not listed; each
/// question looks up the units a run could open with and reads on from there.
struct TermIndex: Sendable {
    /// The units of the text, in order.
    let units: [TermUnit]
    /// The unit positions of each single-unit key, for finding related phrases.
    let positionsByKey: [String: [Int]]
    /// Each unit's compact key, or `nil` when it is not ASCII (then a run's compact form is its key's).
    private let compactUnits: [String?]
    /// The unit positions of each unit's compact key, for the units that have one.
    private let positionsByCompactUnit: [String: [Int]]
    /// The first units of the runs that hold a unit without a compact key, in order.
    private let irregularStarts: [Int]

    /// The longest run of units a keyword spans.
    static let longestKeyword = 4

    /// Indexes `text`.
    init(_ text: String) {
        self.init(tokens: TextTokenizer.tokens(in: text))
    }

    /// Indexes already tokenized text.
    init(tokens: [TextToken]) {
        let units = Self.units(from: tokens)
        var positions: [String: [Int]] = [:]
        var compactPositions: [String: [Int]] = [:]
        var irregularStarts: [Int] = []
        var compactUnits: [String?] = []
        compactUnits.reserveCapacity(units.count)
        for (position, unit) in units.enumerated() {
            positions[unit.key, default: []].append(position)
            let compact = Self.asciiCompact(unit.key).flatMap { $0.isEmpty ? nil : $0 }
            compactUnits.append(compact)
            if let compact {
                compactPositions[compact, default: []].append(position)
            } else {
                // Every run that can reach this unit.
                let first = max(position - Self.longestKeyword + 1, (irregularStarts.last ?? -1) + 1)
                irregularStarts.append(contentsOf: first...position)
            }
        }
        self.units = units
        self.positionsByKey = positions
        self.compactUnits = compactUnits
        self.positionsByCompactUnit = compactPositions
        self.irregularStarts = irregularStarts
    }

    /// A run of units: its first unit and its last unit, inclusive.
    private typealias Run = (start: Int, end: Int)

    /// Calls `body` with each run opening at `start`, shortest first, until it returns `true`.
    private func forEachRun(from start: Int, _ body: (_ end: Int) -> Bool) -> Int? {
        for end in start..<min(start + Self.longestKeyword, units.count) {
            if end > start && units[end].first.breakBefore { break }
            if body(end) { return end }
        }
        return nil
    }

    /// The first run (by its first unit, then its length) whose key is `key`.
    private func firstRun(withKey key: String) -> Run? {
        // The run's first unit is `key` up to one of its spaces, or all of it.
        var starts: [Int] = []
        var candidate = key
        candidate.withUTF8 { bytes in
            for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: " ") {
                let prefix = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<offset]), as: UTF8.self)
                starts.append(contentsOf: positionsByKey[prefix] ?? [])
            }
        }
        starts.append(contentsOf: positionsByKey[key] ?? [])
        for start in starts.sorted() {
            var runKey = ""
            if let end = forEachRun(
                from: start,
                { end in
                    runKey += (end > start ? " " : "") + units[end].key
                    return runKey == key
                }
            ) {
                return (start, end)
            }
        }
        return nil
    }

    /// The first run (by its first unit, then its length) whose compact form is `compact`.
    private func firstRun(withCompact compact: String) -> Run? {
        var starts = irregularStarts
        var candidate = compact
        candidate.withUTF8 { bytes in
            // A run of units with compact keys has an ASCII compact form opening with its first unit's.
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return }
            for length in stride(from: 1, through: bytes.count, by: 1) {
                let prefix = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<length]), as: UTF8.self)
                starts.append(contentsOf: positionsByCompactUnit[prefix] ?? [])
            }
        }
        for start in Set(starts).sorted() {
            var key = ""
            var asciiCompact: String? = ""
            if let end = forEachRun(
                from: start,
                { end in
                    key += (end > start ? " " : "") + units[end].key
                    // The compact form of ASCII keys joined by spaces is their compact forms joined.
                    if let part = compactUnits[end], let run = asciiCompact {
                        asciiCompact = run + part
                    } else {
                        asciiCompact = nil
                    }
                    return (asciiCompact ?? Self.compact(key)) == compact
                }
            ) {
                return (start, end)
            }
        }
        return nil
    }

    /// Whether the text holds the keyword with this key, spaced or written as one word.
    /// Known skills match by their ids only; other phrases also by their compact form when it is long
    /// enough to be distinctive (five characters or more).
    func contains(_ key: String) -> Bool {
        if firstRun(withKey: key) != nil { return true }
        guard KeywordVocabulary.terms[key] == nil else { return false }
        let compact = Self.compact(key)
        return compact.count >= 5 && firstRun(withCompact: compact) != nil
    }

    /// Whether the text holds the keyword under any of its keys.
    func contains(_ keyword: Keyword) -> Bool { keyword.keys.contains(where: contains) }

    /// How the text writes the keyword, when it holds it.
    func surface(of keyword: Keyword) -> String? {
        for key in keyword.keys {
            // The first run whose key or compact form is the key, else the key's compact form.
            if let run = firstRun(keyOrCompact: key) ?? firstRun(keyOrCompact: Self.compact(key)) {
                return surface(of: run)
            }
        }
        return nil
    }

    /// The first run whose key or compact form is `text`.
    private func firstRun(keyOrCompact text: String) -> Run? {
        switch (firstRun(withKey: text), firstRun(withCompact: text)) {
        case (let key?, let compact?):
            (key.start, key.end) <= (compact.start, compact.end) ? key : compact
        case (let key, let compact):
            key ?? compact
        }
    }

    /// The run as written: its units' surfaces, each after the first character between it and the previous.
    private func surface(of run: Run) -> String {
        var surface = units[run.start].surface
        for end in stride(from: run.start + 1, through: run.end, by: 1) {
            surface += units[end].first.gapBefore.prefix(1) + units[end].surface
        }
        return surface
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
        var storage = word
        // An ASCII word without a digit, the usual case, has no version.
        guard !storage.withUTF8({ $0.allSatisfy { $0 < 0x80 && ($0 < 0x30 || $0 > 0x39) } }) else { return nil }
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
        units.reserveCapacity(tokens.count)
        var index = 0
        while index < tokens.count {
            var matched: (form: KeywordVocabulary.Form, length: Int)?
            // Only the lengths of the forms that open with this token's word.
            var length = min(KeywordVocabulary.longestForm(openingWith: tokens[index].normalized), tokens.count - index)
            while length >= 1 {
                let slice = tokens[index..<(index + length)]
                if !slice.dropFirst().contains(where: \.breakBefore),
                    let form = KeywordVocabulary.forms[
                        length == 1 ? tokens[index].normalized : slice.map(\.normalized).joined(separator: " ")
                    ],
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
