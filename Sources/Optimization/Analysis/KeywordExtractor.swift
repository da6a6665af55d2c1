/// Finds the skills and terms a job description asks for, and weighs them.
///
/// It recognises known skills in their usual spellings and aliases (`k8s` and `Kubernetes`,
/// `Postgres` and `PostgreSQL`, `GCP` and `Google Cloud`), multi-word terms (`PCI DSS`,
/// `change data capture`), technical spellings (`C++`, `C#`, `Node.js`, `CI/CD`, `.NET`), and
/// unknown names written like technical terms or proper nouns. Stopwords and job-ad filler
/// ("strong", "experience", "years") never count. The job description's first line (the title,
/// which usually names the company) contributes only known skills.
public struct KeywordExtractor: Sendable {
    /// How keywords are weighed.
    public struct Configuration: Sendable, Hashable {
        /// The weight of a term from a requirements or qualifications section. Default 2.
        public var requirementWeight: Double = 2
        /// The weight of a term from a "nice to have" or "preferred" section, or a line saying it is a plus. Default 0.5.
        public var preferredWeight: Double = 0.5
        /// The weight of a term anywhere else in the description. Default 1.
        public var defaultWeight: Double = 1
        /// How much each repetition adds, as a share of the term's weight. Default 0.5.
        public var repetitionBonus: Double = 0.5
        /// The most occurrences that count toward the repetition bonus. Default 3.
        public var maximumCountedOccurrences: Int = 3
        /// The most keywords returned, heaviest first. Default 60.
        public var maximumKeywords: Int = 60

        /// Creates the default configuration.
        public init() {}
    }

    /// How keywords are weighed.
    public var configuration: Configuration

    /// Creates an extractor.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The keywords of `jobDescription`, heaviest first (ties keep the order of first mention).
    public func keywords(in jobDescription: String) -> [Keyword] {
        let lines = jobDescription.split(separator: "\n", omittingEmptySubsequences: false)
        let lineWeights = self.lineWeights(lines)
        let titleLine = lines.firstIndex { !$0.trimmingWhitespace().isEmpty }
        let tokens = TextTokenizer.tokens(in: jobDescription)
        let titleWords = Set(tokens.filter { $0.line == titleLine }.map(\.normalized))
        let units = TermIndex.units(from: tokens)

        struct Tally {
            var display: String
            var count: Int
            var weight: Double
            var firstPosition: Int
        }
        var tallies: [String: Tally] = [:]
        func record(key: String, display: String, line: Int, position: Int) {
            let weight = line < lineWeights.count ? lineWeights[line] : configuration.defaultWeight
            guard weight > 0 else { return }
            if var tally = tallies[key] {
                tally.count += 1
                tally.weight = max(tally.weight, weight)
                tallies[key] = tally
            } else {
                tallies[key] = Tally(display: display, count: 1, weight: weight, firstPosition: position)
            }
        }

        var index = 0
        while index < units.count {
            let unit = units[index]
            if let term = unit.term {
                record(key: term.id, display: term.display, line: unit.first.line, position: unit.position)
                index += 1
                continue
            }
            guard unit.first.line != titleLine, isCandidate(unit, titleWords: titleWords, allowSentenceStart: true)
            else {
                index += 1
                continue
            }
            // Join following capitalized words into one name ("Protocol Buffers", "Cloud Spanner").
            var end = index + 1
            while end < units.count, end - index < 3, !units[end].first.breakBefore,
                units[end].first.isCapitalized || units[end].first.looksTechnical,
                isCandidate(units[end], titleWords: titleWords, allowSentenceStart: false)
            {
                end += 1
            }
            let run = units[index..<end]
            let startsSentence = unit.first.startsSentence
            if run.count > 1 || !startsSentence || unit.first.looksTechnical || unit.first.isAcronym {
                record(
                    key: run.map(\.key).joined(separator: " "),
                    display: run.map(\.surface).joined(separator: " "),
                    line: unit.first.line,
                    position: unit.position
                )
            }
            index = end
        }

        let keywords = tallies.map { key, tally in
            let counted = Double(min(tally.count, max(1, configuration.maximumCountedOccurrences)) - 1)
            let weight = tally.weight * (1 + configuration.repetitionBonus * counted)
            return (Keyword(key: key, term: tally.display, weight: weight), tally.firstPosition)
        }
        return keywords.sorted { lhs, rhs in
            lhs.0.weight != rhs.0.weight ? lhs.0.weight > rhs.0.weight : lhs.1 < rhs.1
        }
        .prefix(max(0, configuration.maximumKeywords))
        .map(\.0)
    }

    /// Whether an unknown unit may be (part of) a keyword.
    private func isCandidate(_ unit: TermUnit, titleWords: Set<String>, allowSentenceStart: Bool) -> Bool {
        let token = unit.first
        guard unit.term == nil, !token.isNumeric, token.surface.filter(\.isLetter).count >= 2 else { return false }
        guard !KeywordVocabulary.stopwords.contains(token.normalized),
            !KeywordVocabulary.filler.contains(token.normalized),
            !titleWords.contains(token.normalized)
        else { return false }
        if token.looksTechnical || token.isAcronym { return true }
        return token.isCapitalized && (allowSentenceStart || !token.startsSentence)
    }

    /// The weight of each line, from the section it belongs to and its own wording.
    private func lineWeights(_ lines: [Substring]) -> [Double] {
        var weights: [Double] = []
        var current = configuration.defaultWeight
        for line in lines {
            let text = line.trimmingWhitespace().lowercased()
            if let sectionWeight = headingWeight(text) {
                current = sectionWeight
                weights.append(0)
                continue
            }
            var weight = current
            if weight > 0, Self.preferredCues.contains(where: { text.contains($0) }) {
                weight = min(weight, configuration.preferredWeight)
            }
            weights.append(weight)
        }
        return weights
    }

    /// The weight of the section a heading opens, or `nil` when the line is not a heading.
    private func headingWeight(_ text: String) -> Double? {
        guard !text.isEmpty, !text.hasSuffix("."), let first = text.first, first.isLetter,
            text.split(separator: " ").count <= 6
        else { return nil }
        let heading = text.hasSuffix(":") ? String(text.dropLast()) : text
        if Self.ignoredHeadings.contains(where: { heading.contains($0) }) { return 0 }
        if Self.preferredHeadings.contains(where: { heading.contains($0) }) { return configuration.preferredWeight }
        if Self.requirementHeadings.contains(where: { heading.contains($0) }) { return configuration.requirementWeight }
        if Self.neutralHeadings.contains(where: { heading.contains($0) }) || text.hasSuffix(":") {
            return configuration.defaultWeight
        }
        return nil
    }

    private static let requirementHeadings = [
        "requirement", "qualification", "must have", "must-have", "what you bring", "what you'll need",
        "what you need", "you have", "you bring", "about you", "who you are", "looking for", "skills", "minimum",
        "required", "what we need", "what we expect",
    ]
    private static let preferredHeadings = [
        "nice to have", "nice-to-have", "preferred", "bonus", "desirable", "desired", "good to have",
        "extra credit",
    ]
    private static let ignoredHeadings = [
        "benefit", "perks", "about us", "about the company", "compensation", "salary", "equal opportunity",
        "what we offer", "why join", "our values", "how to apply", "location", "pay range",
    ]
    private static let neutralHeadings = [
        "about the role", "the role", "your role", "responsibilities", "what you will do", "what you'll do",
        "what you'll be doing", "duties", "overview", "description", "day to day", "the team", "about",
    ]
    private static let preferredCues = ["is a plus", "a plus", "nice to have", "is preferred", "bonus", "preferred"]
}
