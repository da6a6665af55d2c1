/// How well a resume covers a job description's keywords, computed without any AI model.
public struct MatchReport: Sendable, Hashable, Codable {
    /// The weighted share of the job description's keywords found in the resume, from 0 to 100.
    public var score: Int
    /// The keywords found in the resume, most important first.
    public var matched: [String]
    /// The keywords missing from the resume, most important first.
    public var missing: [String]

    /// Creates a report.
    public init(score: Int, matched: [String], missing: [String]) {
        self.score = score
        self.matched = matched
        self.missing = missing
    }
}
