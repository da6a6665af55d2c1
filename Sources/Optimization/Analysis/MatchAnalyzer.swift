/// Scores a resume against a job description, deterministically and without any AI model.
///
/// ```swift
/// let report = MatchAnalyzer().report(resume: resumeText, jobDescription: jobText)
/// print(report.score, report.missing)
/// ```
public struct MatchAnalyzer: Sendable {
    /// How keywords are found in the job description.
    public var extractor: KeywordExtractor

    /// Creates an analyzer.
    public init(extractor: KeywordExtractor = KeywordExtractor()) {
        self.extractor = extractor
    }

    /// Extracts the job description's keywords and checks which of them the resume holds.
    public func report(resume: String, jobDescription: String) -> MatchReport {
        report(resume: resume, keywords: extractor.keywords(in: jobDescription))
    }

    /// Checks which of `keywords` the resume holds, and explains each one it lacks.
    ///
    /// The score is the matched keywords' weight as a share of all keywords' weight, rounded to a
    /// whole number from 0 to 100 (see ``KeywordExtractor`` for how weights are set). It is 0 when there
    /// are no keywords. A keyword matches under its normalised form, its known aliases and the acronym the
    /// job defined; one matched without the job's exact phrase is listed in ``MatchReport/inexact``.
    public func report(resume: String, keywords: [Keyword]) -> MatchReport {
        let index = TermIndex(resume)
        var matched: [String] = []
        var missing: [String] = []
        var gaps: [MatchReport.Gap] = []
        var inexact: [MatchReport.InexactMatch] = []
        var matchedWeight = 0.0
        var totalWeight = 0.0
        let lowercasedResume = TextSearch.lowercased(resume)
        for keyword in keywords {
            totalWeight += keyword.weight
            if index.contains(keyword) {
                matched.append(keyword.term)
                matchedWeight += keyword.weight
                if !Self.containsPhrase(TextSearch.lowercased(keyword.jobPhrase), in: lowercasedResume),
                    let surface = index.surface(of: keyword)
                {
                    inexact.append(.init(term: keyword.term, jobPhrase: keyword.jobPhrase, resumePhrase: surface))
                }
            } else {
                missing.append(keyword.term)
                gaps.append(
                    MatchReport.Gap(
                        term: keyword.term,
                        importance: keyword.importance,
                        jobLine: keyword.jobLine,
                        related: Self.relatedPhrase(for: keyword, in: index)
                    )
                )
            }
        }
        let score = totalWeight > 0 ? Int((100 * matchedWeight / totalWeight).rounded()) : 0
        return MatchReport(
            score: min(100, max(0, score)),
            matched: matched,
            missing: missing,
            gaps: gaps,
            inexact: inexact
        )
    }

    /// A phrase of the resume sharing a distinctive word with the keyword ("Kafka Streams" for "stream
    /// processing"): the resume's word with its neighbours in the same phrase.
    static func relatedPhrase(for keyword: Keyword, in index: TermIndex) -> String? {
        let words = keyword.key.split(separator: " ").map(String.init)
            .filter {
                $0.count >= 3 && !KeywordVocabulary.stopwords.contains($0) && !KeywordExtractor.generic.contains($0)
            }
        for word in words {
            guard let position = index.positionsByKey[word]?.first else { continue }
            let units = index.units
            // The word with the name it belongs to ("Kafka Streams"), or with its neighbours in the phrase.
            let isName = { (unit: TermUnit) in
                (unit.first.isCapitalized && !unit.first.startsSentence) || unit.first.isAcronym
                    || unit.first.looksTechnical
            }
            var start = position
            var end = position + 1
            if isName(units[position]) || (position > 0 && isName(units[position - 1])) {
                while start > 0, !units[start].first.breakBefore, isName(units[start - 1]) { start -= 1 }
                while end < units.count, !units[end].first.breakBefore, isName(units[end]) { end += 1 }
            } else {
                if start > 0, !units[start].first.breakBefore,
                    !KeywordVocabulary.stopwords.contains(units[start - 1].key)
                {
                    start -= 1
                }
                if end < units.count, !units[end].first.breakBefore,
                    !KeywordVocabulary.stopwords.contains(units[end].key)
                {
                    end += 1
                }
            }
            return units[start..<end].map(\.surface).joined(separator: " ")
        }
        return nil
    }

    /// Whether `phrase` occurs in `text` as whole words.
    static func containsPhrase(_ phrase: String, in text: String) -> Bool {
        guard !phrase.isEmpty else { return true }
        return TextSearch.containsWord(TextSearch.Needle(phrase), in: text)
    }
}
