/// A term a job description asks for, with how much it counts and where the job asked for it.
public struct Keyword: Sendable, Hashable, Codable {
    /// How strongly the job asks for a term.
    public enum Importance: String, Sendable, Hashable, Codable, CaseIterable {
        /// From a requirements or qualifications section, or a line saying "required" or "must".
        case required
        /// From a "nice to have" or "preferred" section, or a line saying "a plus", "bonus" or "ideally".
        case preferred
        /// Anywhere else in the description (the role, the responsibilities).
        case mentioned
    }

    /// The comparison key: lower-cased, plurals and aliases resolved (`kubernetes` for `k8s`).
    public var key: String
    /// How the term is shown: the canonical name of a known skill (`PostgreSQL`), or the job description's spelling.
    public var term: String
    /// How much the term counts toward the match score. Terms from requirement sections and repeated
    /// terms weigh more; terms from "nice to have" sections weigh less (see ``KeywordExtractor``).
    public var weight: Double
    /// Other keys that count as the same term: an acronym and its expansion given in the job itself
    /// ("Site Reliability Engineering (SRE)").
    public var alternateKeys: [String]
    /// How strongly the job asks for the term (the strongest of its mentions).
    public var importance: Importance
    /// How many times the job mentions the term.
    public var occurrences: Int
    /// The job description's line that first asks for the term, trimmed.
    public var jobLine: String
    /// The term as the job description first writes it (for exact-phrase checks).
    public var jobPhrase: String

    /// Creates a keyword.
    public init(
        key: String,
        term: String,
        weight: Double,
        alternateKeys: [String] = [],
        importance: Importance = .mentioned,
        occurrences: Int = 1,
        jobLine: String = "",
        jobPhrase: String? = nil
    ) {
        self.key = key
        self.term = term
        self.weight = weight
        self.alternateKeys = alternateKeys
        self.importance = importance
        self.occurrences = occurrences
        self.jobLine = jobLine
        self.jobPhrase = jobPhrase ?? term
    }

    /// Every key that counts as this term.
    var keys: [String] { [key] + alternateKeys }
}
