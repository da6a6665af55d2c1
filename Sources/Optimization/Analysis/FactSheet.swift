/// The checkable facts of one text: names, dates, numbers, credentials and skills.
struct FactSheet: Sendable {
    /// A name that may be an employer or school.
    struct Organization: Sendable, Hashable {
        var text: String
        /// The distinctive words, normalized (suffixes such as "Inc" and title words removed).
        var words: Set<String>
        var position: Int
    }

    /// A year, or a month and year.
    struct DateMention: Sendable, Hashable {
        var year: Int
        var month: Int?
        var text: String
        var position: Int
    }

    /// A number with what it measures.
    struct NumberMention: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            case count
            case percent
            case money
        }

        var value: Double
        var kind: Kind
        var text: String
        var position: Int
    }

    /// A degree or certification.
    struct Credential: Sendable, Hashable {
        /// `bachelor`, `master`, `mba`, `doctorate`, or `nil` for a certification.
        var level: String?
        /// The distinctive words (field of study, certification name), normalized.
        var words: Set<String>
        var text: String
        var position: Int
    }

    /// A job title that claims a rank, such as "Senior Backend Engineer" or "Head of Platform".
    struct TitleMention: Sendable, Hashable {
        /// The rank word, normalized (`sr` reads as `senior`).
        var rank: String
        /// The role word the rank leads to, normalized (`engineer`), or `of` for "Head of …".
        var role: String
        var text: String
        var position: Int
    }

    let tokens: [TextToken]
    let index: TermIndex
    let words: Set<String>
    private(set) var organizations: [Organization] = []
    private(set) var dates: [DateMention] = []
    private(set) var numbers: [NumberMention] = []
    private(set) var credentials: [Credential] = []
    private(set) var titles: [TitleMention] = []
    /// `rank role` pairs written as one singular noun phrase anywhere ("a senior engineer", "Senior
    /// Engineer"), which support the same title; plurals ("mentored senior engineers") do not.
    private var rankedRoles: Set<String> = []
    private var years: Set<Int> = []
    private var monthYears: Set<Int> = []
    private var values: Set<Double> = []
    private var percents: Set<Double> = []
    private var amounts: Set<Double> = []
    private var degreeLevels: Set<String> = []

    init(_ text: String) {
        let tokens = TextTokenizer.tokens(in: text)
        self.tokens = tokens
        self.index = TermIndex(tokens: tokens)
        self.words = Set(tokens.map(\.normalized))
        var characters = Array(text)
        Self.blankContactDetails(in: &characters)
        self.findDates(in: &characters)
        self.findNumbers(in: characters)
        self.findOrganizations()
        self.findCredentials()
        self.findTitles()
    }

    /// The character offset of a token, for ordering findings.
    func characterOffset(ofToken position: Int) -> Int {
        position < tokens.count ? tokens[position].offset : Int.max
    }

    // MARK: Support

    /// Whether this text has every one of `words` (an empty set is supported).
    func supports(words: Set<String>) -> Bool { words.isSubset(of: self.words) }

    /// Whether this text has the date: the same month and year, or for a bare year, the year.
    func supports(_ date: DateMention) -> Bool {
        if let month = date.month { return monthYears.contains(date.year * 100 + month) }
        return years.contains(date.year)
    }

    /// Whether this text has the number with a compatible meaning.
    func supports(_ number: NumberMention) -> Bool {
        switch number.kind {
        case .percent: percents.contains(number.value)
        case .money: amounts.contains(number.value)
        // "1 hour" for "one hour": zero and one are too common to be claims.
        case .count: number.value <= 1 || values.contains(number.value)
        }
    }

    /// Whether this text has the credential: the same degree level and field, or the same certification.
    func supports(_ credential: Credential) -> Bool {
        if let level = credential.level, !degreeLevels.contains(level) { return false }
        return credential.words.isSubset(of: words)
    }

    // MARK: Contact details

    /// Replaces e-mail addresses, links and phone numbers with spaces: their digits are not claims.
    private static func blankContactDetails(in characters: inout [Character]) {
        let text = String(characters)
        let patterns: [Regex<Substring>] = [
            #/[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}/#,
            #/(?i)(?:https?://|www\.)[^\s]+/#,
            #/(?i)\b[a-z0-9\-]+\.(?:com|io|dev|org|net|me|co)/[^\s]*/#,
            #/\+?\(?\d{1,4}\)?[\s.\-]?\(?\d{2,4}\)?[\s.\-]\d{3,4}[\s.\-]?\d{0,4}/#,
        ]
        for (number, pattern) in patterns.enumerated() {
            for match in text.matches(of: pattern) {
                // Phone numbers need at least seven digits; shorter runs are ordinary numbers.
                if number == patterns.count - 1, match.output.filter(\.isNumber).count < 7 { continue }
                let start = text.distance(from: text.startIndex, to: match.range.lowerBound)
                let length = text.distance(from: match.range.lowerBound, to: match.range.upperBound)
                for offset in start..<(start + length) where offset < characters.count { characters[offset] = " " }
            }
        }
    }

    // MARK: Dates

    private static let months: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]

    /// Records dates and blanks them, so their digits are not read again as numbers.
    private mutating func findDates(in characters: inout [Character]) {
        let text = String(characters)
        var taken: [Range<Int>] = []
        func offsets(_ range: Range<String.Index>) -> Range<Int> {
            let start = text.distance(from: text.startIndex, to: range.lowerBound)
            return start..<(start + text.distance(from: range.lowerBound, to: range.upperBound))
        }
        func add(year: Int, month: Int?, range: Range<String.Index>) {
            let span = offsets(range)
            guard !taken.contains(where: { $0.overlaps(span) }) else { return }
            taken.append(span)
            dates.append(DateMention(year: year, month: month, text: String(text[range]), position: span.lowerBound))
            years.insert(year)
            if let month { monthYears.insert(year * 100 + month) }
        }
        let monthName =
            #/(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?,?\s+((?:19|20)\d{2})\b/#
        for match in text.matches(of: monthName) {
            guard let month = Self.months[match.output.1.lowercased()], let year = Int(match.output.2) else { continue }
            add(year: year, month: month, range: match.range)
        }
        for match in text.matches(of: #/\b(0?[1-9]|1[0-2])/((?:19|20)\d{2})\b/#) {
            guard let month = Int(match.output.1), let year = Int(match.output.2) else { continue }
            add(year: year, month: month, range: match.range)
        }
        for match in text.matches(of: #/\b((?:19|20)\d{2})-(0[1-9]|1[0-2])\b/#) {
            guard let year = Int(match.output.1), let month = Int(match.output.2) else { continue }
            add(year: year, month: month, range: match.range)
        }
        for match in text.matches(of: #/\b(19[5-9]\d|20[0-4]\d)\b/#) {
            guard let year = Int(match.output.1) else { continue }
            add(year: year, month: nil, range: match.range)
        }
        for span in taken {
            for offset in span where offset < characters.count { characters[offset] = " " }
        }
        dates.sort { $0.position < $1.position }
    }

    // MARK: Numbers

    private static let numberWords: [String: Double] = [
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
        "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
        "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
    ]

    private mutating func findNumbers(in characters: [Character]) {
        let text = String(characters)
        let pattern =
            #/(?i)([$€£])?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?(?:k|m|mm|bn|thousand|million|billion)\b)?(\s?(?:%|percent\b))?/#
        for match in text.matches(of: pattern) {
            let digitsStart = match.output.2.startIndex
            if digitsStart > text.startIndex {
                let before = text[text.index(before: digitsStart)]
                if before.isLetter || before.isNumber || before == "." || before == "/" {
                    // Part of a name such as `p99` or `EC2`: not a claim, but it supports "99th percentile".
                    if before.isLetter, let value = Double(match.output.2.filter { $0 != "," }) { values.insert(value) }
                    continue
                }
            }
            guard var value = Double(match.output.2.filter { $0 != "," }) else { continue }
            switch match.output.3?.lowercased().trimmingCharacters(in: " ") {
            case "k", "thousand": value *= 1_000
            case "m", "mm", "million": value *= 1_000_000
            case "bn", "billion": value *= 1_000_000_000
            default: break
            }
            let kind: NumberMention.Kind =
                match.output.4 != nil ? .percent : (match.output.1 != nil ? .money : .count)
            let position = text.distance(from: text.startIndex, to: match.range.lowerBound)
            record(NumberMention(value: value, kind: kind, text: String(match.output.0), position: position))
        }
        for match in text.matches(
            of:
                #/(?i)\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen)\b/#
        ) {
            guard let value = Self.numberWords[match.output.1.lowercased()] else { continue }
            let position = text.distance(from: text.startIndex, to: match.range.lowerBound)
            record(NumberMention(value: value, kind: .count, text: String(match.output.0), position: position))
        }
        numbers.sort { $0.position < $1.position }
    }

    private mutating func record(_ number: NumberMention) {
        numbers.append(number)
        values.insert(number.value)
        switch number.kind {
        case .percent: percents.insert(number.value)
        case .money: amounts.insert(number.value)
        case .count: break
        }
    }

    // MARK: Organisations

    private static let organizationSuffixes: Set<String> = Set(
        """
        inc llc ltd corp corporation company co group technologies technology labs systems solutions software \
        bank capital partners holdings payments analytics university college institute school academy foundation \
        agency consulting services networks health media studios ventures industries enterprises gmbh ag plc \
        limited associates
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
    )

    /// Words of job titles and dates that never make a name distinctive.
    private static let titleWords: Set<String> = Set(
        """
        the of and for in at a an senior junior staff principal lead chief head software engineer engineering \
        developer manager director architect analyst consultant intern associate specialist scientist designer \
        administrator officer vice president vp cto ceo backend frontend full stack data platform product team \
        present current now remote hybrid contract freelance
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
            + Array(months.keys)
    )

    private static let connectors: Set<String> = ["of", "&", "and", "de", "the", "for"]

    /// Nouns that name a role: a line that starts with a name and goes on to one of these (or to a year)
    /// is an employment line, such as "Globex — Platform Engineer".
    private static let roleWords: Set<String> = Set(
        """
        engineer developer programmer manager director architect analyst consultant intern specialist \
        scientist designer administrator officer president cto ceo cfo coo founder cofounder lead researcher \
        technician contractor
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
    )

    /// Words of section headings ("Summary — Backend engineer …" opens a section, not an employer).
    private static let sectionWords: Set<String> = Set(
        """
        summary profile about objective experience employment work history career professional education \
        skills technical projects certifications awards achievements highlights qualifications languages \
        interests publications volunteering volunteer references contact core competencies expertise
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
    )

    // MARK: Titles

    /// Words that give a title its rank, with the form they are compared in.
    private static let rankWords: [String: String] = [
        "senior": "senior", "sr": "senior", "staff": "staff", "principal": "principal", "lead": "lead",
        "head": "head", "chief": "chief", "director": "director", "vp": "vp",
    ]

    /// Finds titles that claim a rank: a rank word that opens a line or follows a dash, bar or comma, and
    /// leads within three words to a role ("Senior Backend Engineer", "Lead Developer") or to "of"
    /// ("Head of Platform"). A rank word inside a sentence ("mentored senior engineers") is not a title.
    private mutating func findTitles() {
        for (index, token) in tokens.enumerated() {
            guard let rank = Self.rankWords[token.normalized] else { continue }
            recordRankedRole(rank: rank, at: index)
            guard opensLine(index) || Self.separatesClauses(token.gapBefore) || token.gapBefore.contains(",") else {
                continue
            }
            var end = index + 1
            var role: String?
            while end < tokens.count, end <= index + 3, tokens[end].line == token.line, !tokens[end].breakBefore {
                let word = tokens[end].normalized
                end += 1
                if Self.roleWords.contains(word) || (word == "of" && end == index + 2) {
                    role = word
                    if word == "of", end < tokens.count, tokens[end].line == token.line { end += 1 }
                    break
                }
            }
            guard let role else { continue }
            let text = tokens[index..<end].enumerated().map { offset, token in
                offset == 0 ? token.surface : " " + token.surface
            }.joined()
            titles.append(TitleMention(rank: rank, role: role, text: text, position: token.offset))
        }
    }

    /// Whether this text claims the rank of `title`: a title of its own with that rank, or the same rank
    /// and role as one singular phrase. A rank word used elsewhere ("mentored senior engineers", "led the
    /// migration") supports nothing.
    func supports(_ title: TitleMention) -> Bool {
        titles.contains { $0.rank == title.rank } || rankedRoles.contains(title.rank + " " + title.role)
    }

    /// Records `rank role` when the rank word at `index` leads within three words to a singular role word.
    private mutating func recordRankedRole(rank: String, at index: Int) {
        var end = index + 1
        while end < tokens.count, end <= index + 3, tokens[end].line == tokens[index].line, !tokens[end].breakBefore {
            let token = tokens[end]
            end += 1
            guard Self.roleWords.contains(token.normalized) else { continue }
            if token.surface.lowercased() == token.normalized { rankedRoles.insert(rank + " " + token.normalized) }
            return
        }
    }

    /// Whether the run `tokens[start..<end]` opens its line and the line goes on, after a dash, bar or
    /// comma, to a role or a year: "Globex — Platform Engineer", "Initech | Senior Engineer | 2017".
    private func opensEmploymentLine(_ start: Int, _ end: Int) -> Bool {
        let line = tokens[start].line
        guard opensLine(start), end < tokens.count, tokens[end].line == line else { return false }
        let gap = tokens[end].gapBefore
        guard Self.separatesClauses(gap) || gap.contains(",") else { return false }
        return tokens[end...].prefix { $0.line == line }.contains { token in
            Self.roleWords.contains(token.normalized) || Self.isYear(token.normalized)
        }
    }

    /// Whether `tokens[index]` is the first token of its line.
    private func opensLine(_ index: Int) -> Bool {
        index == 0 || tokens[index - 1].line != tokens[index].line
    }

    /// Whether the characters between two tokens separate clauses of one line: a dash, a bar, or a hyphen
    /// with spaces around it ("Engineer — Globex", "Globex | 2019", "Globex - Austin").
    private static func separatesClauses(_ gap: String) -> Bool {
        gap.contains("—") || gap.contains("–") || gap.contains("|") || (gap.contains("-") && gap.contains(" "))
    }

    /// Whether a token is a year as the date finder reads them (19xx or 20xx).
    private static func isYear(_ word: String) -> Bool {
        word.count == 4 && (word.hasPrefix("19") || word.hasPrefix("20")) && Int(word) != nil
    }

    private mutating func findOrganizations() {
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard token.isCapitalized, !token.isNumeric else {
                index += 1
                continue
            }
            var end = index + 1
            while end < tokens.count, !tokens[end].breakBefore {
                let next = tokens[end]
                if next.isCapitalized && !next.isNumeric {
                    end += 1
                } else if Self.connectors.contains(next.normalized), end + 1 < tokens.count,
                    !tokens[end + 1].breakBefore, tokens[end + 1].isCapitalized
                {
                    end += 2
                } else {
                    break
                }
            }
            defer { index = end }
            let run = tokens[index..<end]
            let runWords = run.map(\.normalized)
            let hasSuffix = runWords.contains { Self.organizationSuffixes.contains($0) }
            let gap = token.gapBefore
            let previous = index > 0 && !token.breakBefore ? tokens[index - 1].normalized : ""
            // A dash or bar inside a line ("Engineer — Globex") introduces an employer; at a line's start it is a bullet.
            let hasCue =
                (!opensLine(index) && (Self.separatesClauses(gap) || gap.contains("@")))
                || ["at", "joined"].contains(previous)
            let opensEmploymentLine = opensEmploymentLine(index, end)
            guard hasSuffix || hasCue || opensEmploymentLine else { continue }
            // Known skills are not organisations ("at AWS" is a platform, checked as a skill).
            let units = TermIndex.units(from: Array(run))
            if units.allSatisfy({ $0.term != nil }) { continue }
            let distinctive = Set(runWords).subtracting(Self.organizationSuffixes).subtracting(Self.titleWords)
                .subtracting(Self.connectors)
                .filter { KeywordVocabulary.forms[$0] == nil }
            guard !distinctive.isEmpty else { continue }
            if opensEmploymentLine && !hasSuffix && !hasCue && distinctive.isSubset(of: Self.sectionWords) { continue }
            let text = run.enumerated().map { offset, token in
                offset == 0 ? token.surface : token.gapBefore.filter { $0 == " " }.prefix(1) + token.surface
            }.joined(separator: "")
            organizations.append(Organization(text: text, words: distinctive, position: token.offset))
        }
    }

    // MARK: Credentials

    private static let degreeLevels: [String: String] = [
        "bachelor": "bachelor", "b.s": "bachelor", "b.sc": "bachelor", "bsc": "bachelor", "b.a": "bachelor",
        "b.eng": "bachelor", "beng": "bachelor", "b.tech": "bachelor", "btech": "bachelor", "b.e": "bachelor",
        "master": "master", "m.s": "master", "m.sc": "master", "msc": "master", "m.a": "master",
        "m.eng": "master", "meng": "master", "m.tech": "master", "mtech": "master",
        "mba": "mba", "m.b.a": "mba", "ph.d": "doctorate", "phd": "doctorate", "doctorate": "doctorate",
        "d.phil": "doctorate", "bs": "bachelor", "ba": "bachelor", "ms": "master", "ma": "master",
        "associate": "associate",
    ]
    /// Degree words that are also ordinary words or abbreviations; they count only before "in", "of" or "degree".
    private static let ambiguousDegrees: Set<String> = ["bs", "ba", "ms", "ma", "master", "associate", "bachelor"]
    private static let fieldFillers: Set<String> = [
        "of", "in", "and", "the", "science", "art", "degree", "bachelor", "master", "honor", "hon", "with", "arts",
    ]
    private static let certificationCues: Set<String> = ["certified", "certification", "certificate"]
    private static let certificationAcronyms: Set<String> = [
        "cka", "ckad", "cks", "pmp", "cissp", "cism", "cisa", "cpa", "cfa", "ccna", "ccnp", "ccie", "oscp", "ceh",
        "csm", "cspo", "itil", "togaf", "security+", "network+", "comptia", "psm",
    ]

    private mutating func findCredentials() {
        let tokens = self.tokens
        for (position, token) in tokens.enumerated() {
            let word = token.normalized
            if let level = Self.degreeLevels[word] {
                // "B.S. in …": the abbreviation's final dot does not end the phrase.
                let continues = { (index: Int) -> Bool in
                    index < tokens.count && tokens[index].line == token.line
                        && (!tokens[index].breakBefore
                            || (index == position + 1 && tokens[index].gapBefore.trimmingWhitespace() == "."))
                }
                let next = continues(position + 1) ? tokens[position + 1].normalized : ""
                if Self.ambiguousDegrees.contains(word), !["in", "of", "degree"].contains(next) { continue }
                var end = position + 1
                while continues(end),
                    tokens[end].isCapitalized || Self.fieldFillers.contains(tokens[end].normalized)
                {
                    end += 1
                }
                let field = tokens[(position + 1)..<end]
                let words = Set(field.map(\.normalized)).subtracting(Self.fieldFillers)
                let text = ([token.surface] + field.map(\.surface)).joined(separator: " ")
                credentials.append(Credential(level: level, words: words, text: text, position: token.offset))
                degreeLevels.insert(level)
            } else if Self.certificationCues.contains(word) {
                var start = position
                while start > 0, !tokens[start].breakBefore,
                    tokens[start - 1].isCapitalized || tokens[start - 1].looksTechnical
                {
                    start -= 1
                }
                var end = position + 1
                while end < tokens.count, !tokens[end].breakBefore,
                    tokens[end].isCapitalized || tokens[end].looksTechnical
                {
                    end += 1
                }
                let run = tokens[start..<end]
                let words = Set(run.map(\.normalized)).subtracting(Self.certificationCues).subtracting(Self.connectors)
                guard !words.isEmpty else { continue }
                credentials.append(
                    Credential(
                        level: nil,
                        words: words,
                        text: run.map(\.surface).joined(separator: " "),
                        position: tokens[start].offset
                    )
                )
            } else if Self.certificationAcronyms.contains(word) {
                credentials.append(Credential(level: nil, words: [word], text: token.surface, position: token.offset))
            }
        }
    }
}
