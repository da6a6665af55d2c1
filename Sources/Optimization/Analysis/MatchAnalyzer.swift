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

    /// Checks which of `keywords` the resume holds.
    ///
    /// The score is the matched keywords' weight as a share of all keywords' weight, rounded to a
    /// whole number from 0 to 100. It is 0 when there are no keywords.
    public func report(resume: String, keywords: [Keyword]) -> MatchReport {
        let index = TermIndex(resume)
        var matched: [String] = []
        var missing: [String] = []
        var matchedWeight = 0.0
        var totalWeight = 0.0
        for keyword in keywords {
            totalWeight += keyword.weight
            if index.contains(keyword.key) {
                matched.append(keyword.term)
                matchedWeight += keyword.weight
            } else {
                missing.append(keyword.term)
            }
        }
        let score = totalWeight > 0 ? Int((100 * matchedWeight / totalWeight).rounded()) : 0
        return MatchReport(score: min(100, max(0, score)), matched: matched, missing: missing)
    }
}
