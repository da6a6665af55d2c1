/// How well a resume covers a job description's keywords, computed without any AI model.
public struct MatchReport: Sendable, Hashable, Codable {
    /// A term of the job the resume lacks, with where the job asked for it and what the resume has instead.
    public struct Gap: Sendable, Hashable, Codable {
        /// The missing term.
        public var term: String
        /// How strongly the job asks for it.
        public var importance: Keyword.Importance
        /// The job description's line that asks for it.
        public var jobLine: String
        /// A related but different phrase of the resume (sharing a word with the term), when there is one,
        /// such as "Kafka Streams" for "stream processing".
        public var related: String?

        /// Creates a gap.
        public init(term: String, importance: Keyword.Importance, jobLine: String, related: String? = nil) {
            self.term = term
            self.importance = importance
            self.jobLine = jobLine
            self.related = related
        }

        /// A sentence for people, such as `missing "stream processing" (required; the job says: "…");
        /// related: "Kafka Streams", but the exact phrase is missing`.
        public var explanation: String {
            var text = "missing \"\(term)\" (\(importance.rawValue); the job says: \"\(jobLine)\")"
            if let related {
                text +=
                    "; related: the resume says \"\(related)\", but the exact phrase is missing, and applicant-tracking systems often look for it"
            }
            return text
        }
    }

    /// A term counted as matched although the resume does not write it as the job does (an alias, another
    /// spelling or form): applicant-tracking systems that match exact phrases may not credit it.
    public struct InexactMatch: Sendable, Hashable, Codable {
        /// The term.
        public var term: String
        /// How the job writes it.
        public var jobPhrase: String
        /// How the resume writes it.
        public var resumePhrase: String

        /// Creates an inexact match.
        public init(term: String, jobPhrase: String, resumePhrase: String) {
            self.term = term
            self.jobPhrase = jobPhrase
            self.resumePhrase = resumePhrase
        }
    }

    /// The weighted share of the job description's keywords found in the resume, from 0 to 100.
    public var score: Int
    /// The keywords found in the resume, most important first.
    public var matched: [String]
    /// The keywords missing from the resume, most important first.
    public var missing: [String]
    /// Why each missing keyword is missing, in the order of ``missing``.
    public var gaps: [Gap]
    /// Matched keywords the resume writes differently from the job.
    public var inexact: [InexactMatch]

    /// What the score does and does not credit, for people.
    public static let exactPhraseNote =
        "Terms are matched by their normalised forms and known aliases (k8s = Kubernetes, CI-CD = CI/CD, plurals, case). Many applicant-tracking systems match the job's exact phrases only: where the resume writes a term differently, use the job's phrase too."

    /// Creates a report.
    public init(
        score: Int,
        matched: [String],
        missing: [String],
        gaps: [Gap] = [],
        inexact: [InexactMatch] = []
    ) {
        self.score = score
        self.matched = matched
        self.missing = missing
        self.gaps = gaps
        self.inexact = inexact
    }
}
