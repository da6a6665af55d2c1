import XCTest

@testable import Optimization

/// The byte-wise tokenizer, term index and text helpers give the answers of the plain `Character`-based
/// code they replace, on ASCII text and on text whose characters span several bytes or scalars.
final class TextTokenizerTests: XCTestCase {
    private static let texts: [String] =
        [
            "Senior Backend Engineer — Quillpoint\n- Kubernetes, Docker, Helm and a major cloud (GCP or AWS)\n",
            "Café résumé naïve façade; Kubernetes’s pods, the team's tools\r\nCI/CD — Node.js, .NET, C++ & C#, e.g. ASP.NET",
            "e\u{301}cole e\u{301}TL 👩‍💻 Swift, ＳＱＬ; ΣΊΣΥΦΟΣ STRASSE straße İstanbul \u{212A}8s ﬁle\u{00A0}Python\tGo",
            "٣ years ½ day x² 3D CAD, ISO 9001; AutoCAD® — “quoted” (SRE) • bullet ▪ item\n\n- dash\n* star\n1. one",
            "Requirements\n- Experience with Ünïcödé databases and Ørsted’s wind-farm SCADA\r\n- Kafka-Streams, micro-services, CI-CD\n",
            "a\u{0301}\u{0302}b c\u{200D}d \n\u{301}x .NET.Core ..a .b. a..b a./b C+++ +a #b\rcr\r\nlf\u{2028}ls",
            "",
            "\n \n",
        ] + JobCorpus.cases.flatMap { [$0.job, $0.resume] }

    func testTokens_matchTheCharacterBasedTokenizer() {
        for text in Self.texts {
            XCTAssertEqual(TextTokenizer.tokens(in: text), ReferenceTokenizer.tokens(in: text), text.debugDescription)
        }
    }

    func testTextHelpers_matchTheStandardLibrary() {
        for text in Self.texts {
            XCTAssertEqual(
                Array(TextSearch.lowercased(text).unicodeScalars),
                Array(text.lowercased().unicodeScalars),
                text.debugDescription
            )
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(TextSearch.lines(of: text).map(String.init), lines.map(String.init), text.debugDescription)
            for line in lines {
                XCTAssertEqual(
                    TextSearch.wordCount(String(line)),
                    line.split(separator: " ").count,
                    line.debugDescription
                )
            }
        }
    }

    func testTermIndex_findsWhatEveryRunOfUnitsHolds() {
        // Each text against the runs of the hand-written texts, each corpus resume against its job's too.
        let handWritten = Array(Self.texts.prefix(8))
        let pairs =
            handWritten.map { ($0, handWritten) } + JobCorpus.cases.map { ($0.resume, [$0.job, $0.resume]) }
        for (text, sources) in pairs {
            let index = TermIndex(text)
            let reference = ReferenceIndex(units: index.units)
            for key in Self.probes(from: sources) {
                XCTAssertEqual(
                    index.contains(key),
                    reference.contains(key),
                    "\(key.debugDescription) in \(text.prefix(40))"
                )
                let keyword = Keyword(key: key, term: key, weight: 1)
                XCTAssertEqual(index.surface(of: keyword), reference.surface(of: keyword), key.debugDescription)
            }
        }
    }

    /// The keys of every run of one to five units of the texts, with their compact and hyphenated forms.
    private static func probes(from texts: [String]) -> Set<String> {
        var probes: Set<String> = []
        for text in texts {
            let units = TermIndex.units(from: TextTokenizer.tokens(in: text))
            for start in units.indices {
                var key = ""
                for end in start..<min(start + 5, units.count) {
                    key += (end > start ? " " : "") + units[end].key
                    probes.formUnion([key, TermIndex.compact(key), String(key.map { $0 == " " ? "-" : $0 })])
                }
            }
        }
        return probes
    }
}

/// The tokenizer as it was written over `[Character]`.
private enum ReferenceTokenizer {
    static func tokens(in text: String) -> [TextToken] {
        let joiners: Set<Character> = [".", "/", "'", "’", "&"]
        let trailers: Set<Character> = ["+", "#"]
        let sentenceEnders: Set<Character> = [".", "!", "?", ":", ";"]
        let bulletMarks: Set<Character> = ["•", "·", "▪", "‣", "◦", "●", "○", "■", "□", "➢", "►", "*"]
        let phraseBreakers: Set<Character> = [
            ",", ";", ":", ".", "!", "?", "(", ")", "[", "]", "{", "}", "|", "\n", "—", "–", "\"", "“", "”",
        ]
        func isWord(_ character: Character) -> Bool { character.isLetter || character.isNumber }
        func isSpacedDash(_ gap: [Character]) -> Bool {
            gap.count >= 2 && gap.contains("-") && gap.contains(where: \.isWhitespace)
        }
        let characters = Array(text)
        var tokens: [TextToken] = []
        var index = 0
        var line = 0
        var gap: [Character] = []
        while index < characters.count {
            let character = characters[index]
            let startsDotted =
                character == "." && index + 1 < characters.count && characters[index + 1].isLetter
                && (index == 0 || !isWord(characters[index - 1]))
            guard isWord(character) || startsDotted else {
                if character == "\n" { line += 1 }
                gap.append(character)
                index += 1
                continue
            }
            var end = index + 1
            while end < characters.count {
                let next = characters[end]
                if isWord(next) || trailers.contains(next) {
                    end += 1
                } else if joiners.contains(next), end + 1 < characters.count, isWord(characters[end + 1]) {
                    end += 2
                } else {
                    break
                }
            }
            let surface = String(characters[index..<end])
            let previousLine = tokens.last?.line ?? -1
            let startsSentence =
                tokens.isEmpty || previousLine != line
                || gap.contains(where: { sentenceEnders.contains($0) || bulletMarks.contains($0) }) || isSpacedDash(gap)
            let breakBefore =
                tokens.isEmpty || previousLine != line || gap.contains(where: { phraseBreakers.contains($0) })
                || isSpacedDash(gap)
            let letters = surface.filter(\.isLetter)
            let hasDigit = surface.contains(where: \.isNumber)
            let hasSymbol = surface.contains { "+#./&".contains($0) }
            let innerCapital =
                surface.dropFirst().contains(where: \.isUppercase) && letters.contains(where: \.isLowercase)
            tokens.append(
                TextToken(
                    surface: surface,
                    normalized: normalize(surface),
                    line: line,
                    startsSentence: startsSentence,
                    breakBefore: breakBefore,
                    gapBefore: String(gap),
                    offset: index,
                    isCapitalized: surface.first?.isUppercase ?? false,
                    looksTechnical: (hasDigit || hasSymbol) && !letters.isEmpty || innerCapital,
                    isAcronym: letters.count >= 2 && letters.count <= 6 && letters.allSatisfy(\.isUppercase),
                    letterCount: letters.count
                )
            )
            gap.removeAll()
            index = end
        }
        return tokens
    }

    static func normalize(_ surface: String) -> String {
        var word = surface.lowercased()
        for suffix in ["'s", "’s"] where word.hasSuffix(suffix) { word.removeLast(suffix.count) }
        guard word.count >= 4, word.allSatisfy(\.isLetter), word.hasSuffix("s"), !word.hasSuffix("ss") else {
            return word
        }
        if word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        for suffix in ["sses", "xes", "ches", "shes"] where word.hasSuffix(suffix) { return String(word.dropLast(2)) }
        return String(word.dropLast())
    }
}

/// The term index as it was written: every run of one to four units in sets.
private struct ReferenceIndex {
    var keys: Set<String> = []
    var compactKeys: Set<String> = []
    var surfaces: [String: String] = [:]

    init(units: [TermUnit]) {
        for start in units.indices {
            var key = ""
            var surface = ""
            for end in start..<min(start + TermIndex.longestKeyword, units.count) {
                if end > start && units[end].first.breakBefore { break }
                key += (end > start ? " " : "") + units[end].key
                surface += (end > start ? units[end].first.gapBefore.prefix(1) : "") + units[end].surface
                let compact = TermIndex.compact(key)
                keys.insert(key)
                compactKeys.insert(compact)
                if surfaces[key] == nil { surfaces[key] = surface }
                if surfaces[compact] == nil { surfaces[compact] = surface }
            }
        }
    }

    func contains(_ key: String) -> Bool {
        if keys.contains(key) { return true }
        guard KeywordVocabulary.terms[key] == nil else { return false }
        let compact = TermIndex.compact(key)
        return compact.count >= 5 && compactKeys.contains(compact)
    }

    func surface(of keyword: Keyword) -> String? {
        for key in keyword.keys {
            if let surface = surfaces[key] ?? surfaces[TermIndex.compact(key)] { return surface }
        }
        return nil
    }
}
