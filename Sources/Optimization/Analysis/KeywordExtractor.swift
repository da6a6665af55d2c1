/// Finds the terms a job description asks for, and weighs them.
///
/// It reads the job's own text, not only a word list:
///
/// - **Requirement phrases.** Requirement and responsibility lines — bullets, lines under headings such
///   as Requirements, Qualifications, Responsibilities or Nice to have, and lines that open with
///   "Experience with …", "Hands-on with …", "Proficiency in …", "Knowledge of …" — are cut into noun
///   phrases of one to four words at punctuation, conjunctions and function words, so that
///   "Kubernetes, Docker, Helm and a major cloud (GCP or AWS)" yields each of them and "experience with
///   vector databases and embedding retrieval" yields "vector databases" and "embedding retrieval".
///   Leading verbs ("Develop care plans") and generic words ("experience", "ability", "team",
///   "environment", "strong", "years") are cut off; a phrase made only of them is dropped. In an
///   ordinary sentence ("Halcyon Commerce processes card payments for 4,000 merchants") the verb and its
///   subject are no term either.
/// - **Known skills.** The built-in vocabulary still recognises skills in their usual spellings and
///   aliases (`k8s` and `Kubernetes`, `JS` and `JavaScript`, `Postgres` and `PostgreSQL`) and shows them
///   by their canonical names, anywhere in the description. Unknown names written like technical terms
///   or proper nouns ("Cloud Spanner", `gRPC`) count outside requirement lines too.
/// - **Normalisation.** Terms are compared lower-cased, without plural and possessive endings, and with
///   hyphens, slashes and spaces ignored for phrases ("micro-services" = "microservices", "CI-CD" =
///   "CI/CD"); a version after a name is ignored ("Python 3", "Python3" = Python); an acronym defined in
///   the job itself ("Site Reliability Engineering (SRE)") matches either spelling.
///
/// **Weights.** Each line has the weight of its section: ``Configuration-swift.struct/requirementWeight``
/// (default 2) under requirement headings or on a line saying "required" / "must",
/// ``Configuration-swift.struct/preferredWeight`` (default 0.5) under "nice to have" / "preferred"
/// headings or on a line saying "a plus", "bonus", "nice to have", "ideally" or "preferred", and
/// ``Configuration-swift.struct/defaultWeight`` (default 1) elsewhere; benefits, "about us" and similar
/// sections weigh 0 and the title line contributes only known skills. A term's weight is
///
///     weight = max(line weight over its mentions) × (1 + repetitionBonus × (min(mentions, maximumCountedOccurrences) − 1))
///
/// (defaults 0.5 and 3: a must-have term mentioned three times weighs 2 × 2 = 4, a nice-to-have term
/// mentioned once 0.5). ``MatchAnalyzer`` scores a resume as the matched terms' weight over all terms'
/// weight. Everything is deterministic; no model is involved.
public struct KeywordExtractor: Sendable {
    /// How keywords are weighed.
    public struct Configuration: Sendable, Hashable {
        /// The weight of a term from a requirements or qualifications section, or a line saying it is required. Default 2.
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
        let lines = TextSearch.lines(of: jobDescription)
        let lineInfo = self.lineInfo(lines)
        let titleLine = lines.firstIndex { !$0.trimmingWhitespace().isEmpty }
        let tokens = TextTokenizer.tokens(in: jobDescription)
        let titleWords = Set(tokens.filter { $0.line == titleLine }.map(\.normalized))
        let units = TermIndex.units(from: tokens)
        let acronyms = Self.acronymDefinitions(in: units)

        struct Tally {
            var display: String
            var phrase: String
            var count: Int
            var weight: Double
            var firstPosition: Int
            var line: Int
            var importance: Keyword.Importance
        }
        var tallies: [String: Tally] = [:]
        var order: [String] = []
        func record(key: String, display: String, phrase: String, line: Int, position: Int) {
            let info = line < lineInfo.count ? lineInfo[line] : (configuration.defaultWeight, .mentioned, false)
            guard info.weight > 0, !key.isEmpty else { return }
            let key = acronyms[key]?.key ?? key
            if var tally = tallies[key] {
                tally.count += 1
                if info.weight > tally.weight {
                    tally.weight = info.weight
                    tally.importance = info.importance
                }
                tallies[key] = tally
            } else {
                tallies[key] = Tally(
                    display: display,
                    phrase: phrase,
                    count: 1,
                    weight: info.weight,
                    firstPosition: position,
                    line: line,
                    importance: info.importance
                )
                order.append(key)
            }
        }

        // Group the units by line.
        var unitsByLine: [Int: [Int]] = [:]
        for (index, unit) in units.enumerated() { unitsByLine[unit.first.line, default: []].append(index) }

        for line in unitsByLine.keys.sorted() {
            let indices = unitsByLine[line] ?? []
            let isTitle = line == titleLine
            let isRequirementLine = !isTitle && line < lineInfo.count && lineInfo[line].isRequirementLine
            var position = 0
            while position < indices.count {
                let index = indices[position]
                let unit = units[index]
                if let term = unit.term {
                    record(key: term.id, display: term.display, phrase: unit.surface, line: line, position: index)
                    position += 1
                    // A known name with a product name after it: "SAP EWM", "Kafka Streams".
                    if !isTitle, position < indices.count {
                        let next = units[indices[position]]
                        if next.term == nil, !next.first.breakBefore, !next.first.isNumeric,
                            next.first.isAcronym || next.first.looksTechnical || next.first.isCapitalized,
                            !Self.isBoundary(next.first)
                        {
                            let display = term.display + " " + next.surface
                            record(
                                key: unit.key + " " + next.key,
                                display: display,
                                phrase: unit.surface + " " + next.surface,
                                line: line,
                                position: index
                            )
                            position += 1
                        }
                    }
                    continue
                }
                if isTitle {
                    position += 1
                    continue
                }
                if isRequirementLine {
                    // A noun phrase: the run of content words up to the next boundary.
                    var end = position
                    while end < indices.count, end - position < 8 {
                        let candidate = units[indices[end]]
                        if end > position && candidate.first.breakBefore { break }
                        if candidate.term != nil || Self.isFiniteVerb(at: indices[end], in: units) { break }
                        if Self.isBoundary(candidate.first) {
                            // A number right after an acronym belongs to it ("ISO 9001", "OSHA 30").
                            if candidate.first.isNumeric, end > position, units[indices[end - 1]].first.isAcronym {
                                end += 1
                                continue
                            }
                            break
                        }
                        end += 1
                    }
                    // An ordinary sentence's verb ("Halcyon Commerce processes card payments"): the words
                    // before it are the sentence's subject, not a term, and the verb is none either.
                    if end < indices.count, Self.isFiniteVerb(at: indices[end], in: units) {
                        position = end + 1
                        continue
                    }
                    if end == position {
                        position += 1
                        continue
                    }
                    let run = Self.trimmed(Array(indices[position..<end]).map { units[$0] })
                    for phrase in Self.phrases(from: run) {
                        record(
                            key: phrase.key,
                            display: phrase.display,
                            phrase: phrase.display,
                            line: line,
                            position: run[0].position
                        )
                    }
                    position = end
                    continue
                }
                // Outside requirement lines: unknown names written like technical terms or proper nouns.
                guard isCandidate(unit, titleWords: titleWords, allowSentenceStart: true) else {
                    position += 1
                    continue
                }
                var end = position + 1
                while end < indices.count, end - position < 3, !units[indices[end]].first.breakBefore,
                    units[indices[end]].first.isCapitalized || units[indices[end]].first.looksTechnical,
                    isCandidate(units[indices[end]], titleWords: titleWords, allowSentenceStart: false)
                {
                    end += 1
                }
                let run = indices[position..<end].map { units[$0] }
                if run.count > 1 || !unit.first.startsSentence || unit.first.looksTechnical || unit.first.isAcronym {
                    let display = run.map(\.surface).joined(separator: " ")
                    record(
                        key: run.map(\.key).joined(separator: " "),
                        display: display,
                        phrase: display,
                        line: line,
                        position: index
                    )
                }
                position = end
            }
        }

        var alternates: [String: [String]] = [:]
        for (alias, definition) in acronyms { alternates[definition.key, default: []].append(alias) }
        // A term the job defined with an acronym shows both: "finite element analysis (FEA)".
        for (alias, definition) in acronyms.sorted(by: { $0.key < $1.key })
        where KeywordVocabulary.terms[definition.key] == nil {
            guard var tally = tallies[definition.key], !tally.display.hasSuffix(")") else { continue }
            tally.display =
                definition.surface.lowercased() == definition.surface || tally.display.lowercased() != alias
                ? tally.display : definition.surface
            if tally.display.lowercased() == alias { tally.display = definition.surface }
            tally.display += " (\(alias.uppercased()))"
            tallies[definition.key] = tally
        }
        let keywords = order.compactMap { key -> (Keyword, Int)? in
            guard let tally = tallies[key] else { return nil }
            let counted = Double(min(tally.count, max(1, configuration.maximumCountedOccurrences)) - 1)
            let weight = tally.weight * (1 + configuration.repetitionBonus * counted)
            let keyword = Keyword(
                key: key,
                term: tally.display,
                weight: weight,
                alternateKeys: (alternates[key] ?? []).sorted(),
                importance: tally.importance,
                occurrences: tally.count,
                jobLine: tally.line < lines.count ? String(lines[tally.line].trimmingWhitespace().prefix(200)) : "",
                jobPhrase: tally.phrase
            )
            return (keyword, tally.firstPosition)
        }
        return keywords.sorted { lhs, rhs in
            lhs.0.weight != rhs.0.weight ? lhs.0.weight > rhs.0.weight : lhs.1 < rhs.1
        }
        .prefix(max(0, configuration.maximumKeywords))
        .map(\.0)
    }

    // MARK: Phrases

    /// Whether a token ends a noun phrase: function words, conjunctions, cue words, generic words, numbers.
    private static func isBoundary(_ token: TextToken) -> Bool {
        let word = token.normalized
        return token.isNumeric || KeywordVocabulary.stopwords.contains(word) || phraseBreakWords.contains(word)
            || generic.contains(word)
            // "-ing" and "-ed" forms of action verbs ("a portfolio showing interaction design").
            || ((word.hasSuffix("ing") || word.hasSuffix("ed")) && !verbs.contains(word)
                && isVerb(word, ingForms: true))
    }

    /// Whether the unit at `index` is the verb of an ordinary sentence, such as "processes" in "Halcyon
    /// Commerce processes card payments" or "maintains" in "Our team maintains the ledger": the
    /// third-person form of a listed verb, in lower case (or opening the sentence), with an object after
    /// it in the same phrase (a word of a phrase, an article or a number). A plural noun ending a phrase
    /// ("care plans and code reviews", "plans for patients") is not one.
    private static func isFiniteVerb(at index: Int, in units: [TermUnit]) -> Bool {
        let token = units[index].first
        guard units[index].term == nil, !token.isCapitalized || token.startsSentence,
            verbs.contains(token.normalized)
        else { return false }
        let lowercased = token.surface.lowercased()
        guard lowercased.hasSuffix("s"), lowercased != token.normalized, index + 1 < units.count else { return false }
        let next = units[index + 1]
        guard next.first.line == token.line, !next.first.breakBefore else { return false }
        return next.term != nil || next.first.isNumeric || objectOpeners.contains(next.first.normalized)
            || !isBoundary(next.first)
    }

    /// Words that open the object of a verb: articles, possessives and quantities.
    private static let objectOpeners: Set<String> = [
        "the", "a", "an", "our", "their", "its", "his", "her", "your", "every", "each", "all", "this", "these",
        "those", "more", "over", "million", "thousand",
    ]

    /// The run without leading verbs and without generic words at either end.
    private static func trimmed(_ run: [TermUnit]) -> [TermUnit] {
        var run = run[...]
        while let first = run.first {
            // A gerund before a name says what is done with it: "teaching AP Calculus" (but "teaching license").
            let nextIsName = run.dropFirst().first.map { $0.first.isAcronym || $0.first.isCapitalized } ?? false
            let isGerund = first.key.hasSuffix("ing") && verbs.contains(String(first.key.dropLast(3)))
            let isPlural = first.first.surface.lowercased() != first.first.normalized
            guard
                (isVerb(first.key, ingForms: true) && !isPlural) || edgeWords.contains(first.key)
                    || (isGerund && nextIsName)
            else { break }
            run = run.dropFirst()
        }
        while let last = run.last, edgeWords.contains(last.key) { run = run.dropLast() }
        return Array(run)
    }

    /// Whether `word` is a verb of the list, or with `ingForms`, the -ing / -ed form of a common action
    /// verb ("running", "managed"). Gerunds of other verbs stay: they name skills ("forecasting").
    private static func isVerb(_ word: String, ingForms: Bool = false) -> Bool {
        if verbs.contains(word) { return true }
        guard ingForms else { return false }
        for suffix in ["ing", "ed"] where word.hasSuffix(suffix) && word.count > suffix.count + 2 {
            let stem = String(word.dropLast(suffix.count))
            if actionVerbs.contains(stem) || actionVerbs.contains(stem + "e") { return true }
            // Doubled consonants: "running", "planned".
            if let last = stem.last, stem.dropLast().last == last, actionVerbs.contains(String(stem.dropLast())) {
                return true
            }
        }
        return false
    }

    /// Verbs whose -ing and -ed forms open responsibility lines rather than name skills.
    private static let actionVerbs: Set<String> = [
        "run", "work", "use", "build", "make", "take", "help", "lead", "manage", "drive", "own", "write",
        "support", "deliver", "create", "develop", "maintain", "ensure", "partner", "collaborate", "communicate",
        "show", "read", "grow", "scale", "join", "enforce", "escalate", "handle", "provide", "perform", "work",
        "implement", "improve", "define", "coordinate", "supervise", "oversee", "review", "present", "exceed",
        "meet", "achieve",
    ]

    /// The keyword phrases of a trimmed run. A leading name ("HubSpot", "OSHA", "SEM") followed by two or
    /// more ordinary words is its own term, apart from the rest ("HubSpot" and "marketing automation");
    /// followed by one word, it counts alone and with the word ("SEM" and "SEM campaigns").
    private static func phrases(from run: [TermUnit]) -> [(key: String, display: String)] {
        var nameCount = 0
        for unit in run {
            let token = unit.first
            let isNamePart =
                token.isAcronym || token.looksTechnical || (token.isCapitalized && !token.startsSentence)
                || (token.isNumeric && nameCount > 0)
            guard isNamePart else { break }
            nameCount += 1
        }
        let rest = run.count - nameCount
        guard nameCount > 0, rest > 0 else { return phrase(from: run).map { [$0] } ?? [] }
        let name = Array(run.prefix(nameCount))
        if rest >= 2 {
            return [phrase(from: name), phrase(from: trimmed(Array(run.dropFirst(nameCount))))].compactMap { $0 }
        }
        return [phrase(from: run), phrase(from: name)].compactMap { $0 }
    }

    /// A keyword phrase from a trimmed run, or `nil` when nothing distinctive is left.
    private static func phrase(from run: [TermUnit]) -> (key: String, display: String)? {
        guard !run.isEmpty else { return nil }
        // Long runs keep their last four words: the head of an English noun phrase comes last.
        let kept = run.count > 4 ? Array(run.suffix(4)) : run
        if kept.count == 1 {
            let token = kept[0].first
            guard token.surface.filter(\.isLetter).count >= 3 || token.isAcronym || token.looksTechnical,
                !genericAlone.contains(kept[0].key), !KeywordVocabulary.filler.contains(kept[0].key),
                // A plural is a noun ("prototypes"), whatever the verb list says.
                !isVerb(kept[0].key, ingForms: true) || token.surface.lowercased() != token.normalized
            else { return nil }
        }
        let display = kept.enumerated().map { offset, unit in
            let surface =
                unit.first.isAcronym || unit.first.looksTechnical
                    || unit.first.isCapitalized && !unit.first.startsSentence
                ? unit.surface : unit.surface.lowercased()
            return offset == 0 ? surface : (unit.first.gapBefore.contains("-") ? "-" : " ") + surface
        }.joined()
        return (kept.map(\.key).joined(separator: " "), display)
    }

    /// Acronyms defined in the text, mapped both ways to one key: "Site Reliability Engineering (SRE)" and
    /// "SRE (Site Reliability Engineering)" make `sre` and `site reliability engineering` the same term.
    /// The key kept is the expansion's (or the known term's, when either spelling is a known skill).
    private static func acronymDefinitions(in units: [TermUnit]) -> [String: (key: String, surface: String)] {
        var aliases: [String: (key: String, surface: String)] = [:]
        for (index, unit) in units.enumerated() where unit.first.isAcronym && unit.term == nil {
            let letters = Array(unit.surface.filter(\.isLetter).lowercased())
            guard letters.count >= 2, letters.count <= 6 else { continue }
            // "Expansion (ACRONYM)": the words just before the parenthesis.
            if unit.first.gapBefore.contains("("), index >= letters.count {
                let words = Array(units[(index - letters.count)..<index])
                if words.map({ $0.first.normalized.first ?? " " }) == letters,
                    !words.dropFirst().contains(where: \.first.breakBefore)
                {
                    aliases[unit.key] = (
                        words.map(\.key).joined(separator: " "), words.map(\.surface).joined(separator: " ")
                    )
                    continue
                }
            }
            // "ACRONYM (Expansion)".
            if index + letters.count < units.count, units[index + 1].first.gapBefore.contains("(") {
                let words = Array(units[(index + 1)...(index + letters.count)])
                if words.map({ $0.first.normalized.first ?? " " }) == letters,
                    !words.dropFirst().contains(where: \.first.breakBefore)
                {
                    aliases[unit.key] = (
                        words.map(\.key).joined(separator: " "), words.map(\.surface).joined(separator: " ")
                    )
                }
            }
        }
        // Both directions resolve to the expansion's key.
        return aliases
    }

    /// Words that break a phrase without being stopwords: cue words and list markers.
    private static let phraseBreakWords: Set<String> = Set(
        """
        including include includes like such using via across within etc e.g i.e plus especially particularly \
        according based aligned showing from into onto per \
        preferably ideally required requirement must should will can could would may might able ability \
        experience experienced knowledge understanding familiarity proficiency proficient expertise expert \
        background exposure skill skilled comfort comfortable year minimum least hands on track record \
        proven demonstrated strong excellent solid deep good great working work
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
    )

    /// Words that say nothing about the job on their own, wherever they stand; they end a phrase.
    static let generic: Set<String> = Set(
        """
        ability abilities able environment environments team teams experience experienced knowledge \
        understanding skill skills year years role candidate candidates opportunity opportunities company \
        business attitude willingness desire attention oriented self starter self-starter motivated fast-paced \
        paced dynamic various multiple other others related similar relevant equivalent plus bonus nice \
        ideally preferably required must should etc least minimum existing daily things thing ownership kind \
        range variety wide set lot lots number applicant apply asset benefit candidate compensation \
        comfortable culture day demonstrated desired employer equal excellent expert expertise familiar \
        familiarity friendly good great hire hiring hybrid ideal including join like looking love mission \
        office onsite own passion passionate people position preferred proficiency proficient proven \
        qualification record relevant remote requirement responsibility responsible salary solid strong \
        success successful time usa use using want way well work working world inc llc ltd corp eu uk usd eoe \
        sq ft sqft km mi hour hrs level
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
    )

    /// Words dropped from the ends of a phrase ("a strong communicator" → "communicator").
    private static let edgeWords: Set<String> = generic.union(
        """
        advanced basic complex large small modern key core main high-quality effective efficient \
        successful clear accurate timely safe secure reliable robust scalable excellent outstanding exceptional \
        relevant appropriate best daily weekly monthly annual ongoing overall general professional \
        our your their its all any each every own current valid active state written verbal oral senior \
        junior principal staff lead new deep
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
    )

    /// Single words too common to be a requirement alone ("customers", "systems"), though fine in a phrase.
    private static let genericAlone: Set<String> = Set(
        """
        customer client patient student user system service process product project solution tool data \
        quality support task issue problem need goal result outcome standard practice policy procedure area \
        level type way time setting world job application platform feature decision plan report meeting \
        operation people stakeholder partner colleague member staff organization organisation department \
        company industry market sector function group unit program programme detail information content \
        material resource activity initiative effort change improvement growth success value impact priority \
        question request idea insight deadline schedule cost risk requirement responsibility duty \
        communicator player learner thinker individual person someone anyone production pipeline environment \
        role position opportunity closely fellow peer month week hour certification license licence campaign
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
    )

    /// Verbs that open responsibility lines ("Develop care plans", "Own the roadmap").
    private static let verbs: Set<String> = Set(
        """
        build develop maintain support manage create deliver drive own collaborate partner write review \
        lead work provide participate contribute communicate coordinate perform conduct prepare monitor \
        identify improve implement establish define analyze analyse plan track handle assist administer \
        document report translate teach ensure optimize optimise run operate use apply mentor train grow scale \
        ship present respond resolve evaluate assess educate supervise schedule keep make take bring join \
        thrive love enjoy want have be are is will can get set meet exceed achieve maintain produce serve \
        oversee deploy architect automate debug test troubleshoot investigate research explore prioritize \
        prioritise balance champion foster promote engage build influence negotiate close generate source \
        recruit hire administer dispense document record reconcile process handle pick pack load \
        unload ship receive inspect audit forecast model visualize visualise query clean transform ingest \
        author craft sketch prototype iterate facilitate advocate deliver plan adapt apply stay speak \
        escalate enforce read orchestrate supervise
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
    )

    /// Openers of requirement lines outside any requirement section.
    private static let requirementCues: [TextSearch.Needle] = [
        "experience with", "experience in", "experience of", "hands-on", "hands on", "proficiency in",
        "proficiency with", "proficient in", "proficient with", "knowledge of", "familiarity with",
        "familiar with", "expertise in", "background in", "understanding of", "skilled in", "skills in",
        "working knowledge", "comfortable with", "track record", "ability to", "degree in", "certification",
        "certified", "licensed", "license", "licence", "you have", "you bring", "we're looking for",
        "we are looking for", "required", "must", "a plus", "nice to have", "bonus", "preferred",
    ]

    // MARK: Lines

    /// Whether an unknown unit may be (part of) a name outside requirement lines.
    private func isCandidate(_ unit: TermUnit, titleWords: Set<String>, allowSentenceStart: Bool) -> Bool {
        let token = unit.first
        guard unit.term == nil, !token.isNumeric, token.surface.filter(\.isLetter).count >= 2 else { return false }
        guard !KeywordVocabulary.stopwords.contains(token.normalized),
            !Self.generic.contains(token.normalized),
            !titleWords.contains(token.normalized)
        else { return false }
        if token.looksTechnical || token.isAcronym { return true }
        return token.isCapitalized && (allowSentenceStart || !token.startsSentence)
    }

    /// Each line's weight, importance and whether phrases are read from it.
    private func lineInfo(_ lines: [Substring]) -> [(
        weight: Double, importance: Keyword.Importance, isRequirementLine: Bool
    )] {
        var result: [(Double, Keyword.Importance, Bool)] = []
        var current = (configuration.defaultWeight, Keyword.Importance.mentioned)
        var inListSection = false
        for line in lines {
            let text = line.trimmingWhitespace().lowercased()
            if let section = heading(text) {
                current = (section.weight, section.importance)
                inListSection = section.listsRequirements
                result.append((0, .mentioned, false))
                continue
            }
            var (weight, importance) = current
            if weight > 0, Self.preferredCues.contains(where: { TextSearch.contains($0, in: text) }) {
                weight = min(weight, configuration.preferredWeight)
                importance = .preferred
            } else if weight > 0,
                Self.requiredCues.contains(where: { TextSearch.containsWord($0, in: text, lettersOnly: true) })
            {
                weight = max(weight, configuration.requirementWeight)
                importance = .required
            }
            let isBullet =
                text.first.map { "-•*·▪‣◦●○■□➢►–".contains($0) } ?? false
                || text.prefix(3).contains(where: { $0 == "." || $0 == ")" }) && (text.first?.isNumber ?? false)
            let hasCue = Self.requirementCues.contains { TextSearch.contains($0, in: text) }
            let isRequirementLine = weight > 0 && !text.isEmpty && (isBullet || hasCue || inListSection)
            result.append((weight, importance, isRequirementLine))
        }
        return result
    }

    /// The section a heading opens, or `nil` when the line is not a heading.
    private func heading(_ text: String) -> (weight: Double, importance: Keyword.Importance, listsRequirements: Bool)? {
        guard !text.isEmpty, !text.hasSuffix("."), let first = text.first, first.isLetter,
            TextSearch.wordCount(text) <= 6
        else { return nil }
        let heading = text.hasSuffix(":") ? String(text.dropLast()) : text
        if Self.ignoredHeadings.contains(where: { TextSearch.contains($0, in: heading) }) {
            return (0, .mentioned, false)
        }
        if Self.preferredHeadings.contains(where: { TextSearch.contains($0, in: heading) }) {
            return (configuration.preferredWeight, .preferred, true)
        }
        if Self.requirementHeadings.contains(where: { TextSearch.contains($0, in: heading) }) {
            return (configuration.requirementWeight, .required, true)
        }
        if Self.responsibilityHeadings.contains(where: { TextSearch.contains($0, in: heading) }) {
            return (configuration.defaultWeight, .mentioned, true)
        }
        if Self.neutralHeadings.contains(where: { TextSearch.contains($0, in: heading) }) || text.hasSuffix(":") {
            return (configuration.defaultWeight, .mentioned, false)
        }
        return nil
    }

    private static let requirementHeadings: [TextSearch.Needle] = [
        "requirement", "qualification", "must have", "must-have", "what you bring", "what you'll need",
        "what you need", "you have", "you bring", "about you", "who you are", "looking for", "skills", "minimum",
        "required", "what we need", "what we expect", "essential", "competencies",
    ]
    private static let preferredHeadings: [TextSearch.Needle] = [
        "nice to have", "nice-to-have", "preferred", "bonus", "desirable", "desired", "good to have",
        "extra credit", "plus",
    ]
    private static let ignoredHeadings: [TextSearch.Needle] = [
        "benefit", "perks", "about us", "about the company", "compensation", "salary", "equal opportunity",
        "what we offer", "why join", "our values", "how to apply", "location", "pay range", "why you'll love",
    ]
    private static let responsibilityHeadings: [TextSearch.Needle] = [
        "responsibilities", "what you will do", "what you'll do", "what you'll be doing", "duties",
        "day to day", "in this role", "your impact", "the work", "key tasks", "your mission",
    ]
    private static let neutralHeadings: [TextSearch.Needle] = [
        "about the role", "the role", "your role", "overview", "description", "the team", "about",
    ]
    private static let preferredCues: [TextSearch.Needle] = [
        "is a plus", "a plus", "nice to have", "nice-to-have", "is preferred", "bonus", "preferred", "ideally",
        "desirable",
    ]
    private static let requiredCues: [TextSearch.Needle] = ["required", "must", "mandatory", "essential"]
}
