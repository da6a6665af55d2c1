/// Finds claims in a tailored resume that the original resume does not support, and facts of the original
/// that the tailored resume lost, without any AI model.
///
/// It reports new organisations and employers, new dates and years, new numbers and metrics
/// (percentages, money, counts), new degrees and certifications, job titles given a rank the resume never
/// claims ("Senior", "Lead", "Head of"), and skills that appear only in the tailored text — in particular
/// job-description skills added to please a keyword filter. Rephrasing
/// and reordering the original's facts raise nothing: numbers are compared by value (`four` and `4`,
/// `4,000` and `4k`), skills through their aliases (`k8s` and `Kubernetes`), names by their words.
///
/// It also reports, as warnings of their own `dropped…` kinds, each employer, date, number or metric,
/// degree and certification of the original that the tailored text no longer has: a rewrite that
/// silently loses a job or a result is as wrong as one that adds them. The same policies apply
/// (``FactCheckPolicy``): warn, reject, or ask the model to repair (put the fact back).
///
/// ```swift
/// let warnings = FabricationGuard().check(original: resumeText, tailored: output, jobDescription: jobText)
/// for warning in warnings { print(warning.kind, warning.text) }
/// ```
public struct FabricationGuard: Sendable {
    /// Which checks run.
    public struct Configuration: Sendable, Hashable {
        /// The kinds of claim to look for. Default: every kind.
        public var kinds: Set<FabricationWarning.Kind> = Set(FabricationWarning.Kind.allCases)

        /// Creates the default configuration.
        public init() {}
    }

    /// Which checks run.
    public var configuration: Configuration
    private let extractor: KeywordExtractor

    /// Creates a guard.
    public init(configuration: Configuration = Configuration(), extractor: KeywordExtractor = KeywordExtractor()) {
        self.configuration = configuration
        self.extractor = extractor
    }

    /// Compares a tailored resume with its original and returns the unsupported claims, in the order
    /// they appear in the tailored text, then the dropped facts in the order of the original, each
    /// reported once.
    ///
    /// - Parameters:
    ///   - original: The resume as the candidate wrote it: the only source of facts.
    ///   - tailored: The rewritten resume.
    ///   - jobDescription: The job the resume was tailored to, used to recognise keyword stuffing.
    public func check(original: String, tailored: String, jobDescription: String) -> [FabricationWarning] {
        let source = FactSheet(original)
        let output = FactSheet(tailored)
        var warnings: [FabricationWarning] = []
        var seen: Set<String> = []
        func report(_ kind: FabricationWarning.Kind, _ text: String) {
            guard configuration.kinds.contains(kind) else { return }
            let text = text.trimmingCharacters(in: " ,.;:")
            guard !text.isEmpty, seen.insert(kind.identifier + "\u{0}" + text.lowercased()).inserted else { return }
            warnings.append(FabricationWarning(kind: kind, text: text))
        }

        var findings: [(position: Int, kind: FabricationWarning.Kind, text: String)] = []
        for organization in output.organizations where !source.supports(words: organization.words) {
            findings.append((organization.position, .newOrganization, organization.text))
        }
        for date in output.dates where !source.supports(date) {
            findings.append((date.position, .newDate, date.text))
        }
        for number in output.numbers where !source.supports(number) {
            findings.append((number.position, .newNumber, number.text))
        }
        for credential in output.credentials where !source.supports(credential) {
            findings.append((credential.position, .newCredential, credential.text))
        }
        for title in output.titles where !source.supports(title) {
            findings.append((title.position, .inflatedTitle, title.text))
        }
        let jobKeywords = extractor.keywords(in: jobDescription)
        let jobKeys = Set(jobKeywords.map(\.key))
        for unit in output.index.units {
            let isKnownSkill = unit.term?.category == .technical
            let isJobKeyword = jobKeys.contains(unit.key)
            guard isKnownSkill || isJobKeyword, !source.index.contains(unit.key) else { continue }
            // A term the resume writes another way the job defined ("FEA" for "finite element analysis").
            if let keyword = jobKeywords.first(where: { $0.key == unit.key }), source.index.contains(keyword) {
                continue
            }
            findings.append((output.characterOffset(ofToken: unit.position), .unsupportedSkill, unit.surface))
        }
        // Multi-word keywords from the job description that are not known terms ("Cloud Spanner").
        for keyword in jobKeywords where keyword.key.contains(" ") && KeywordVocabulary.terms[keyword.key] == nil {
            if output.index.contains(keyword.key), !source.index.contains(keyword) {
                findings.append((Int.max, .unsupportedSkill, keyword.term))
            }
        }

        for finding in findings.sorted(by: { $0.position < $1.position }) {
            report(finding.kind, finding.text)
        }

        // Facts of the original the tailored text lost, in the original's order.
        var dropped: [(position: Int, kind: FabricationWarning.Kind, text: String)] = []
        for organization in source.organizations where !output.supports(words: organization.words) {
            dropped.append((organization.position, .droppedOrganization, organization.text))
        }
        for date in source.dates where !output.supports(date) {
            dropped.append((date.position, .droppedDate, date.text))
        }
        for number in source.numbers where !output.supports(number) {
            dropped.append((number.position, .droppedNumber, number.text))
        }
        for credential in source.credentials where !output.supports(credential) {
            dropped.append((credential.position, .droppedCredential, credential.text))
        }
        for finding in dropped.sorted(by: { $0.position < $1.position }) {
            report(finding.kind, finding.text)
        }
        return warnings
    }
}

extension String {
    /// The text without the given characters at either end.
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) || first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) || last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
