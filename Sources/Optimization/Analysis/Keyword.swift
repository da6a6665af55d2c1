/// A term a job description asks for, with how much it counts.
public struct Keyword: Sendable, Hashable, Codable {
    /// The comparison key: lower-cased, plurals and aliases resolved (`kubernetes` for `k8s`).
    public var key: String
    /// How the term is shown: the canonical name of a known skill (`PostgreSQL`), or the job description's spelling.
    public var term: String
    /// How much the term counts toward the match score. Terms from requirement sections and repeated
    /// terms weigh more; terms from "nice to have" sections weigh less.
    public var weight: Double

    /// Creates a keyword.
    public init(key: String, term: String, weight: Double) {
        self.key = key
        self.term = term
        self.weight = weight
    }
}
