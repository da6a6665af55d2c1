/// Tailors a resume without any AI model, deterministically, using only the resume's own facts.
///
/// It puts the resume's skills that the job asks for first in each skills line, moves the bullets
/// that mention the job's keywords to the top of each list (within each role), and adds one summary
/// line naming the matched keywords, heaviest first, in the resume's own spelling. It adds nothing
/// else, so its output never makes a claim the resume does not, and
/// ``tailoring(_:keywords:format:)`` says what it changed.
///
/// It moves and names what the resume already holds, so it does not change the match score, which
/// counts which of the job's keywords a resume contains, not where (``MatchAnalyzer``).
public struct OfflineTailor: Sendable {
    /// The name used in status messages: `offline tailor`.
    public static let name = "offline tailor"

    /// The most skills named in the summary line. Default 8.
    public var maximumSummaryTerms: Int

    /// Creates a tailor.
    public init(maximumSummaryTerms: Int = 8) {
        self.maximumSummaryTerms = maximumSummaryTerms
    }

    /// Tailors `resume` to the job whose keywords are given.
    ///
    /// - Parameters:
    ///   - resume: The resume's text.
    ///   - keywords: The job description's keywords, from ``KeywordExtractor``.
    ///   - format: The output format.
    /// - Returns: The tailored text.
    public func tailor(_ resume: String, keywords: [Keyword], format: OutputFormat) -> String {
        tailoring(resume, keywords: keywords, format: format).text
    }

    /// Tailors `resume` to the job whose keywords are given, and says what it changed.
    ///
    /// - Parameters:
    ///   - resume: The resume's text.
    ///   - keywords: The job description's keywords, from ``KeywordExtractor``, heaviest first.
    ///   - format: The output format.
    /// - Returns: The tailored text and one sentence per change, in the order of the text.
    public func tailoring(_ resume: String, keywords: [Keyword], format: OutputFormat) -> OfflineTailoring {
        let index = TermIndex(resume)
        let matched = keywords.filter { index.contains($0) }
        let weights = Dictionary(matched.map { ($0.key, $0.weight) }, uniquingKeysWith: max)
        var changes: [String] = []

        var lines = PromptBuilder.sanitize(resume).split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.reversed().drop(while: \.isWhitespace).reversed()) }
        let headings = lines.indices.filter { ResumeLayout.isHeading(lines[$0]) }

        // Skills lines: matching skills first.
        for (number, heading) in headings.enumerated() where ResumeLayout.isSkillsHeading(lines[heading]) {
            let end = number + 1 < headings.count ? headings[number + 1] : lines.count
            for line in (heading + 1)..<end where !lines[line].trimmingWhitespace().isEmpty {
                let reordered = reorderSkills(in: lines[line], weights: weights)
                if reordered.line != lines[line] {
                    changes.append(
                        "\(Self.quoted(lines[heading])): put the skills this job asks for first "
                            + "(\(Self.list(reordered.movedFirst)))."
                    )
                    lines[line] = reordered.line
                }
            }
        }

        // Bullets: those that mention the job's keywords first, within each list (each role's list).
        var start = 0
        while start < lines.count {
            guard ResumeLayout.isBullet(lines[start]) else {
                start += 1
                continue
            }
            var end = start
            while end < lines.count, ResumeLayout.isBullet(lines[end]) { end += 1 }
            let bullets = lines[start..<end].enumerated().map { offset, line in
                (line: line, offset: offset, score: score(line, weights: weights))
            }
            let sorted = bullets.sorted { $0.score != $1.score ? $0.score > $1.score : $0.offset < $1.offset }
            if sorted.map(\.offset) != bullets.map(\.offset) {
                let raised = sorted.enumerated().filter { position, bullet in bullet.offset > position }
                let terms = raised.flatMap { matchedTerms(in: $0.element.line, matched: matched) }
                let role = ResumeLayout.label(before: start, in: lines).map { "under \(Self.quoted($0)) " } ?? ""
                let which =
                    raised.count == 1
                    ? "1 bullet \(role)up, the one that names"
                    : "\(raised.count) bullets \(role)up, the ones that name"
                changes.append("Moved \(which) \(Self.list(Self.unique(terms))).")
            }
            lines.replaceSubrange(start..<end, with: sorted.map(\.line))
            start = end
        }

        // One summary line naming the matched skills, in the resume's spelling, spaced like the resume.
        let usesBlankLines = lines.contains { $0.trimmingWhitespace().isEmpty }
        if let summary = summaryLine(matched: matched, index: index) {
            if let heading = headings.first(where: { ResumeLayout.isSummaryHeading(lines[$0]) }) {
                var insertAt = heading + 1
                while insertAt < lines.count, lines[insertAt].trimmingWhitespace().isEmpty { insertAt += 1 }
                lines.insert(contentsOf: usesBlankLines ? [summary.line, ""] : [summary.line], at: insertAt)
                changes.insert(
                    "Added a line to \(Self.quoted(lines[heading])) naming \(summary.terms.count) of the job's "
                        + "keywords the resume already shows: \(Self.list(summary.terms)).",
                    at: 0
                )
            } else {
                let firstHeading = headings.first ?? lines.count
                let block = usesBlankLines ? ["Summary", "", summary.line, ""] : ["Summary", summary.line]
                lines.insert(contentsOf: block, at: firstHeading)
                changes.insert(
                    "Added a Summary section naming \(summary.terms.count) of the job's keywords the resume "
                        + "already shows: \(Self.list(summary.terms)).",
                    at: 0
                )
            }
        }

        let text = lines.joined(separator: "\n").trimmingWhitespace()
        return OfflineTailoring(text: format == .markdown ? ResumeLayout.markdown(text) : text, changes: changes)
    }

    /// The matched keywords a line names, in the resume's spelling.
    private func matchedTerms(in line: String, matched: [Keyword]) -> [String] {
        let index = TermIndex(line)
        return matched.filter { index.contains($0.key) }.map { keyword in
            let unit = index.units.first { $0.key == keyword.key }
            return unit.map { $0.term?.category == .general ? keyword.term : $0.surface } ?? keyword.term
        }
    }

    private static func unique(_ terms: [String]) -> [String] {
        var seen: Set<String> = []
        return terms.filter { seen.insert($0.lowercased()).inserted }
    }

    private static func list(_ terms: [String]) -> String {
        guard let last = terms.last else { return "" }
        return terms.count == 1 ? last : terms.dropLast().joined(separator: ", ") + " and " + last
    }

    private static func quoted(_ line: String) -> String {
        let text = line.trimmingWhitespace()
        let bare = text.hasSuffix(":") ? String(text.dropLast()) : text
        return bare.count > 60 ? "“" + bare.prefix(57) + "…”" : "“" + bare + "”"
    }

    private func score(_ line: String, weights: [String: Double]) -> Double {
        guard !weights.isEmpty else { return 0 }
        let index = TermIndex(line)
        return weights.reduce(0) { total, entry in index.contains(entry.key) ? total + entry.value : total }
    }

    /// Reorders the items of a skills line ("Label: a, b, c") so items with heavier keywords come first.
    private func reorderSkills(in line: String, weights: [String: Double]) -> (line: String, movedFirst: [String]) {
        var prefix = ""
        var body = Substring(line)
        let leading = line.prefix { $0.isWhitespace || ResumeLayout.bulletMarks.contains($0) }
        body = body.dropFirst(leading.count)
        prefix = String(leading)
        if let colon = body.firstIndex(of: ":"), body[..<colon].split(separator: " ").count <= 4 {
            prefix += body[...colon] + " "
            body = body[body.index(after: colon)...].drop(while: \.isWhitespace)
        }
        let separator: String
        if body.contains(",") {
            separator = ","
        } else if body.contains(";") {
            separator = ";"
        } else if body.contains("|") {
            separator = "|"
        } else if body.contains("·") {
            separator = "·"
        } else {
            return (line, [])
        }
        let items = ResumeLayout.splitTopLevel(body, on: Character(separator))
        guard items.count > 1 else { return (line, []) }
        let ranked = items.enumerated().map { offset, item in
            (item: item, offset: offset, score: score(item, weights: weights))
        }
        let sorted = ranked.sorted { $0.score != $1.score ? $0.score > $1.score : $0.offset < $1.offset }
        let joiner = separator == "," || separator == ";" ? separator + " " : " " + separator + " "
        let reordered = prefix + sorted.map(\.item).joined(separator: joiner)
        return (reordered, sorted.filter { $0.score > 0 }.map(\.item))
    }

    private func summaryLine(matched: [Keyword], index: TermIndex) -> (line: String, terms: [String])? {
        var terms: [String] = []
        for keyword in matched where terms.count < maximumSummaryTerms {
            // The resume's own spelling of a skill ("Postgres" stays "Postgres"); general terms in lower case.
            let unit = index.units.first { $0.key == keyword.key }
            let surface =
                unit.map { $0.term?.category == .general ? keyword.term : $0.surface } ?? index.surface(of: keyword)
                ?? keyword.term
            if !terms.contains(where: { $0.lowercased() == surface.lowercased() }) { terms.append(surface) }
        }
        guard !terms.isEmpty else { return nil }
        let list = terms.count == 1 ? terms[0] : terms.dropLast().joined(separator: ", ") + " and " + terms.last!
        return ("Relevant to this role: \(list).", terms)
    }
}

/// What ``OfflineTailor/tailoring(_:keywords:format:)`` produced: the text and what changed.
public struct OfflineTailoring: Sendable, Hashable {
    /// The tailored text.
    public var text: String
    /// One sentence per change, such as `Moved 2 bullets under “Senior Engineer — Acme” up, the ones
    /// that name Kafka and PostgreSQL.`; empty when nothing in the resume matched the job.
    public var changes: [String]

    /// Creates a tailoring.
    public init(text: String, changes: [String]) {
        self.text = text
        self.changes = changes
    }
}

/// How resume text is laid out: headings, bullets, lists.
enum ResumeLayout {
    /// The line that names the list starting at `start`: the closest line above it that is not
    /// blank, not a bullet and not only a date range (`March 2021 – Present`).
    static func label(before start: Int, in lines: [String]) -> String? {
        var line = start - 1
        while line >= 0 {
            let text = lines[line].trimmingWhitespace()
            if !text.isEmpty, !isBullet(text), !isDateLine(text) { return text }
            line -= 1
        }
        return nil
    }

    /// Whether a line holds only dates, such as `March 2021 – Present` or `2018 - 2021`.
    static func isDateLine(_ line: String) -> Bool {
        let words = line.split { $0.isWhitespace || $0 == "–" || $0 == "-" || $0 == "—" || $0 == "," }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let hasYear = words.contains { $0.count == 4 && $0.allSatisfy(\.isNumber) }
        return hasYear
            && words.allSatisfy { word in
                let lower = word.lowercased()
                return word.allSatisfy(\.isNumber) || ["present", "now", "today", "current"].contains(lower)
                    || months.contains { lower.hasPrefix($0) }
            }
    }

    static let bulletMarks: Set<Character> = ["•", "·", "▪", "‣", "◦", "●", "○", "■", "➢", "►", "-", "*", "–"]

    private static let headingWords: Set<String> = [
        "summary", "profile", "professional summary", "objective", "about", "about me", "experience",
        "work experience", "professional experience", "employment", "employment history", "work history",
        "education", "skills", "technical skills", "core skills", "key skills", "core competencies", "competencies",
        "projects", "certifications", "certificates", "awards", "publications", "languages", "interests",
        "volunteering", "volunteer experience", "training", "achievements", "honors", "tools", "technologies",
    ]

    /// Whether a line is a section heading such as `Experience` or `TECHNICAL SKILLS`.
    static func isHeading(_ line: String) -> Bool {
        let text = line.trimmingWhitespace()
        guard !text.isEmpty, text.count <= 40, !isBullet(text) else { return false }
        let bare = text.hasSuffix(":") ? String(text.dropLast()) : text
        if headingWords.contains(bare.lowercased()) { return true }
        let letters = bare.filter(\.isLetter)
        return letters.count >= 4 && letters.allSatisfy(\.isUppercase) && bare.split(separator: " ").count <= 4
    }

    static func isSkillsHeading(_ line: String) -> Bool {
        let text = line.trimmingWhitespace().lowercased()
        return ["skill", "competenc", "technologies", "tools"].contains { text.contains($0) }
    }

    static func isSummaryHeading(_ line: String) -> Bool {
        let text = line.trimmingWhitespace().lowercased()
        return ["summary", "profile", "objective", "about"].contains { text.contains($0) }
    }

    static func isBullet(_ line: String) -> Bool {
        let text = line.drop(while: \.isWhitespace)
        guard let first = text.first, bulletMarks.contains(first) else { return false }
        return text.dropFirst().first?.isWhitespace ?? false
    }

    /// Splits on `separator` outside parentheses: `AWS (EC2, S3), Go` gives `AWS (EC2, S3)` and `Go`.
    static func splitTopLevel(_ text: Substring, on separator: Character) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" || character == "[" { depth += 1 }
            if character == ")" || character == "]" { depth = max(0, depth - 1) }
            if character == separator && depth == 0 {
                items.append(current.trimmingWhitespace())
                current = ""
            } else {
                current.append(character)
            }
        }
        items.append(current.trimmingWhitespace())
        return items.filter { !$0.isEmpty }
    }

    /// Renders plain resume text as Markdown: the name as a title, headings as sections, bullets as list items.
    static func markdown(_ text: String) -> String {
        var seenTitle = false
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let string = String(line)
            let trimmed = string.trimmingWhitespace()
            if trimmed.isEmpty { return "" }
            if !seenTitle {
                seenTitle = true
                return "# " + trimmed
            }
            if isHeading(string) { return "## " + (trimmed.hasSuffix(":") ? String(trimmed.dropLast()) : trimmed) }
            if isBullet(string) { return "- " + trimmed.dropFirst().trimmingWhitespace() }
            return string
        }.joined(separator: "\n")
    }
}
