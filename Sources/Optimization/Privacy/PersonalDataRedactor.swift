import Foundation
public import ResumeParsing

/// Finds a resume's personal data — the candidate's name, e-mail addresses, phone numbers, street
/// address, postcode and profile links — so that it can be replaced with placeholders before the resume
/// is sent to a remote model.
///
/// The name and the address come from where resumes print them: the contact block (the document's
/// headers and footers, and the first lines of the text before the first section heading). The name is
/// then found everywhere in the text in any case ("JORDAN RIVERA" at the top, "Jordan Rivera" in a
/// reference line), with its parts ("Rivera") and initials ("J. Rivera"). E-mail addresses, phone
/// numbers and links are found by pattern anywhere. Employers, schools, titles and dates stay: the
/// tailoring and the fact check need them.
///
/// ```swift
/// let redaction = PersonalDataRedactor().redaction(of: document)
/// let sent = redaction.redact(document.text)         // "[[NAME]]\n[[EMAIL_1]] · [[PHONE_1]] …"
/// let answer = try await model.rewrite(sent)
/// let restored = redaction.restore(answer)           // the originals back, exactly
/// ```
public struct PersonalDataRedactor: Sendable {
    /// Creates a redactor.
    public init() {}

    /// The personal data of `document`.
    public func redaction(of document: ResumeDocument) -> PersonalDataRedaction {
        var margins: [String] = []
        for margin in document.headers + document.footers {
            for block in margin.blocks { margins.append(block.plainText) }
        }
        return redaction(ofText: document.text, contactLines: Self.lines(of: margins.joined(separator: "\n")))
    }

    /// The personal data of a plain-text resume.
    public func redaction(ofText text: String) -> PersonalDataRedaction {
        redaction(ofText: text, contactLines: [])
    }

    private func redaction(ofText text: String, contactLines marginLines: [String]) -> PersonalDataRedaction {
        var contactLines = marginLines
        contactLines += Self.contactBlock(of: text)
        var entries: [PersonalDataRedaction.Entry] = []
        var seen: Set<String> = []
        func add(_ value: String, _ kind: PersonalDataKind, wholeWord: Bool = false) {
            let value = value.trimmingCharacters(in: " ,;:|•·")
            guard value.count >= 2, seen.insert(value).inserted else { return }
            let number = entries.filter { $0.kind == kind }.count + 1
            let placeholder = PersonalDataRedaction.placeholder(kind: kind, number: number)
            entries.append(
                .init(placeholder: placeholder, value: value, kind: kind, wholeWord: wholeWord, order: entries.count)
            )
        }

        for match in text.matches(of: Self.email) { add(String(match.output), .email) }
        for link in Self.links(in: text, contactLines: contactLines) { add(link, .link) }
        for phone in Self.phones(in: text) { add(phone, .phone) }

        // Addresses, postcodes and the name are read from the contact block without what was found so far.
        let blanked = contactLines.map { line in
            var line = line
            for entry in entries { line = line.replacingAll(entry.value, with: " | ") }
            return line
        }
        for line in blanked {
            for address in Self.addresses(in: line) { add(address, .address) }
        }
        let withoutAddresses = blanked.map { line in
            entries.filter { $0.kind == .address }.reduce(line) { $0.replacingAll($1.value, with: " | ") }
        }
        for line in withoutAddresses {
            for postcode in Self.postcodes(in: line) { add(postcode, .postcode) }
        }
        if let name = Self.name(in: withoutAddresses) {
            for spelling in Self.nameSpellings(of: name, in: text) { add(spelling, .name, wholeWord: true) }
        }
        return PersonalDataRedaction(entries: entries).keepingUsed(in: text)
    }

    // MARK: Contact block

    static func lines(of text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { Substring($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// The first lines of the text, up to the first section heading (at most ten lines).
    static func contactBlock(of text: String) -> [String] {
        var block: [String] = []
        for line in lines(of: String(text.prefix(3000))) {
            if block.count >= 10 || isSectionHeading(line) { break }
            block.append(line)
        }
        return block
    }

    private static let sectionHeadings: Set<String> = [
        "summary", "profile", "professional summary", "about", "about me", "objective", "experience",
        "work experience", "professional experience", "employment", "employment history", "work history",
        "education", "skills", "technical skills", "projects", "certifications", "career summary",
        "core competencies", "qualifications", "career history", "publications", "languages",
    ]

    static func isSectionHeading(_ line: String) -> Bool {
        let text = line.lowercased().trimmingCharacters(in: ":#*-")
        return sectionHeadings.contains(text)
    }

    // MARK: Patterns

    static var email: Regex<Substring> { #/[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}/# }

    private static var schemeLink: Regex<Substring> { #/(?i)(?:https?://|www\.)[^\s<>()|,;"]+/# }
    private static var profileLink: Regex<Substring> {
        #/(?i)(?:[a-z0-9\-]+\.)*(?:linkedin|github|gitlab|bitbucket|behance|dribbble|medium|twitter|x|stackoverflow|kaggle|orcid|scholar\.google)\.(?:com|io|org)/[^\s<>()|,;"]*/#
    }
    private static var bareSite: Regex<Substring> {
        #/(?i)(?:[a-z0-9\-]+\.)+(?:com|io|dev|org|net|me|co|ai|app|page|site|tech|xyz|design|de|fr|uk|nl|es|it|ca|eu|ch|at|se|in|au)(?:/[^\s<>()|,;"]*)?/#
    }

    /// URLs anywhere; profile links anywhere; bare domains (`janedoe.dev`) in the contact block only.
    static func links(in text: String, contactLines: [String]) -> [String] {
        var links: [String] = []
        func take(_ candidate: Substring, in source: String) {
            var link = String(candidate)
            while let last = link.last, ".:)]'".contains(last) { link.removeLast() }
            // Part of an e-mail address, or of a longer word.
            if let range = source.firstRange(of: link), range.lowerBound > source.startIndex {
                let before = source[source.index(before: range.lowerBound)]
                if before == "@" || before.isLetter || before.isNumber || before == "." || before == "/" { return }
            }
            if link.count >= 4, !links.contains(link) { links.append(link) }
        }
        for match in text.matches(of: schemeLink) { take(match.output, in: text) }
        var remaining = text
        for link in links { remaining = remaining.replacingAll(link, with: " ") }
        for match in remaining.matches(of: profileLink) { take(match.output, in: remaining) }
        for line in contactLines {
            var line = line
            for link in links { line = line.replacingAll(link, with: " ") }
            for match in line.matches(of: email) { line = line.replacingAll(String(match.output), with: " ") }
            for match in line.matches(of: bareSite) { take(match.output, in: line) }
        }
        return links
    }

    private static var phoneCandidate: Regex<Substring> { #/\+?\(?\d[\d \t().\-–/]{5,24}\d/# }

    /// Phone numbers: 7 to 15 digits with the separators phone numbers use, not dates, years or amounts.
    static func phones(in text: String) -> [String] {
        var phones: [String] = []
        for match in text.matches(of: phoneCandidate) {
            var candidate = String(match.output)
            // A closing parenthesis at the end belongs to the text around the number.
            if candidate.hasSuffix(")"), !candidate.contains("(") { candidate.removeLast() }
            let start = match.range.lowerBound
            if start > text.startIndex {
                let before = text[text.index(before: start)]
                if before.isLetter || before.isNumber || before == "." || before == "," || before == "$"
                    || before == "€" || before == "£"
                {
                    continue
                }
            }
            if match.range.upperBound < text.endIndex {
                let after = text[match.range.upperBound]
                if after.isLetter || after == "%" || after == "," && candidate.filter(\.isNumber).count < 9 {
                    continue
                }
            }
            guard isPhoneNumber(candidate) else { continue }
            let trimmed = candidate.trimmingWhitespace()
            if !phones.contains(trimmed) { phones.append(trimmed) }
        }
        return phones
    }

    static func isPhoneNumber(_ candidate: String) -> Bool {
        let digits = candidate.filter(\.isNumber)
        guard (7...15).contains(digits.count) else { return false }
        let groups = candidate.split { !$0.isNumber }.map(String.init)
        let international = candidate.hasPrefix("+") || candidate.hasPrefix("00") || candidate.contains("(")
        // Dates and ranges: every group a year or at most two digits ("03/2019 – 06/2021", "2019 - 2021").
        let isYear = { (group: String) in group.count == 4 && (group.hasPrefix("19") || group.hasPrefix("20")) }
        if !international, groups.allSatisfy({ isYear($0) || $0.count <= 2 }) { return false }
        if groups.contains(where: isYear), groups.filter(isYear).count >= 2 { return false }
        // Amounts with thousands separators ("3.000.000", "1 200 000").
        if !international, groups.count >= 2, groups.dropFirst().allSatisfy({ $0.count == 3 }),
            (groups.first?.count ?? 0) <= 3
        {
            return false
        }
        if groups.count == 1 { return digits.count >= 9 }
        return true
    }

    private static var streetAddress: [Regex<Substring>] {
        [
            #/(?i)\b\d{1,5}[a-z]?(?:[\-–/]\d{1,5})?,?\s+(?:[\p{L}'.\-]+\s+){0,4}(?:street|st|avenue|ave|road|rd|lane|ln|boulevard|blvd|drive|dr|way|court|ct|place|pl|terrace|close|crescent|square|sq|parkway|pkwy|highway|hwy|row|gardens|mews)\b\.?(?:,?\s+(?:apt|apartment|suite|ste|unit|flat|floor|fl)\.?\s*#?\s*[\w\-]+)?/#,
            #/(?i)\b[\p{L}\-]+(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|laan|straat|gracht|vej|gatan|gata|gade)\s*\d{1,4}[a-z]?\b/#,
            #/(?i)\b\d{1,4}(?:\s*(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|chemin|allée|place|impasse|quai|cours)\s+[^,|•·\n\d]+/#,
            #/(?i)\b(?:calle|avenida|av\.|via|viale|piazza|rua|carrer|ulica|ul\.)\s+[^,|•·\n\d]+,?\s*\d{1,4}[a-z]?\b/#,
            #/(?i)\b(?:address|adresse|dirección)\s*:\s*[^|•·\n]+/#,
        ]
    }

    /// Street addresses in one contact line.
    static func addresses(in line: String) -> [String] {
        var found: [String] = []
        for pattern in streetAddress {
            for match in line.matches(of: pattern) {
                var text = String(match.output)
                if let colon = text.firstIndex(of: ":"),
                    text.lowercased().hasPrefix("addr") || text.lowercased().hasPrefix("dir")
                {
                    text = String(text[text.index(after: colon)...])
                }
                let trimmed = text.trimmingWhitespace().trimmingCharacters(in: ",")
                if trimmed.count >= 5, !found.contains(where: { $0.contains(trimmed) }) { found.append(trimmed) }
            }
        }
        return found
    }

    private static var postcodePatterns: [Regex<Substring>] {
        [
            #/\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/#,  // UK
            #/\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b/#,  // Canada
            #/\b\d{4}\s?[A-Z]{2}\b/#,  // Netherlands
            #/\b\d{5}-\d{3,4}\b/#,  // US ZIP+4, Brazil
            #/\b\d{2}-\d{3}\b/#,  // Poland
            #/\b\d{3}-\d{4}\b/#,  // Japan
            #/\b\d{5,6}\b/#,  // US, Germany, France, Spain, Italy, India
            #/\b\d{4}(?=\s+\p{Lu}\p{Ll})/#,  // Switzerland, Austria, Belgium, Denmark, Australia: "8001 Zürich"
        ]
    }

    /// Postcodes in one contact line (phones, e-mails and links already removed).
    static func postcodes(in line: String) -> [String] {
        var found: [String] = []
        var remaining = line
        for pattern in postcodePatterns {
            for match in remaining.matches(of: pattern) {
                let code = String(match.output)
                let digits = code.filter(\.isNumber)
                // Years are not postcodes.
                if digits.count == 4, code.count == 4, code.hasPrefix("19") || code.hasPrefix("20") { continue }
                if !found.contains(code) { found.append(code) }
            }
            for code in found { remaining = remaining.replacingAll(code, with: " ") }
        }
        return found
    }

    // MARK: Name

    /// Lower-case words that join the parts of a name ("Ana de la Cruz", "Ludwig van Beethoven").
    static let particles: Set<String> = [
        "de", "la", "le", "del", "della", "der", "den", "van", "von", "da", "di", "du", "dos", "das", "do", "bin",
        "binti", "ibn", "al", "el", "ter", "ten", "y", "e", "zu", "af", "st",
    ]

    private static let notNameWords: Set<String> = [
        "resume", "résumé", "curriculum", "vitae", "cv", "engineer", "developer", "manager", "designer",
        "nurse", "analyst", "teacher", "consultant", "director", "senior", "junior", "lead", "contact",
        "phone", "email", "e-mail", "mobile", "address", "linkedin", "github", "portfolio", "street", "avenue",
        "road", "summary", "profile", "experience", "education", "skills", "registered", "specialist",
        "scientist", "accountant", "representative", "coordinator", "officer", "associate", "intern",
        "software", "data", "product", "sales", "marketing", "operations", "the", "and", "of",
    ]

    /// The candidate's name as printed: the first contact-block segment that reads as a person's name.
    static func name(in contactLines: [String]) -> String? {
        for line in contactLines {
            var text = line
            if let label = text.firstMatch(of: #/(?i)^\s*(?:full\s+)?name\s*[:\-]\s*/#) {
                text = String(text[label.range.upperBound...])
            }
            let segments = text.split { "|•·,\t;/".contains($0) }.flatMap { segment in
                segment.components(separatedBy: " – ").flatMap { $0.components(separatedBy: " — ") }
                    .flatMap { $0.components(separatedBy: " - ") }
            }
            for segment in segments {
                let candidate = Substring(segment).trimmingWhitespace()
                if isName(candidate) { return candidate }
            }
        }
        return nil
    }

    static func isName(_ text: String) -> Bool {
        let words = text.split(separator: " ").map(String.init)
        guard (2...6).contains(words.count), text.count <= 60 else { return false }
        var mainWords = 0
        for word in words {
            let letters = word.filter(\.isLetter)
            guard !letters.isEmpty, word.allSatisfy({ $0.isLetter || "'’-.".contains($0) }) else { return false }
            if notNameWords.contains(word.lowercased()) { return false }
            if particles.contains(word.lowercased()) { continue }
            guard let first = word.first(where: \.isLetter), first.isUppercase else { return false }
            mainWords += 1
        }
        return mainWords >= 2
    }

    /// Every way `name` is written in `text`: the name itself in any case, each part that is capitalized
    /// or in capitals, and initials with the last name ("J. Rivera", "J.R.").
    static func nameSpellings(of name: String, in text: String) -> [String] {
        var spellings: [String] = [name]
        let lowered = Array(text.lowercased())
        let characters = Array(text)
        func addOccurrences(of form: String, requireCapital: Bool) {
            let target = Array(form.lowercased())
            guard target.count == form.count else { return }
            for start in PersonalDataRedaction.occurrences(of: target, in: lowered, wholeWord: true) {
                let surface = String(characters[start..<(start + target.count)])
                if requireCapital, !(surface.first?.isUppercase ?? false) { continue }
                if !spellings.contains(surface) { spellings.append(surface) }
            }
        }
        addOccurrences(of: name, requireCapital: false)
        let parts = name.split(separator: " ").map(String.init)
        let mainParts = parts.filter { !particles.contains($0.lowercased()) }
        // The name without its middle parts ("Maria Lopez" for "Maria Elena Lopez").
        if mainParts.count >= 3, let first = mainParts.first, let last = mainParts.last {
            addOccurrences(of: "\(first) \(last)", requireCapital: false)
        }
        // The family name with its particles ("de la Cruz").
        if let firstMain = parts.firstIndex(where: { !particles.contains($0.lowercased()) }),
            parts.count - firstMain > 2
        {
            addOccurrences(of: parts[(firstMain + 1)...].joined(separator: " "), requireCapital: false)
        }
        for part in mainParts where part.filter(\.isLetter).count >= 2 {
            addOccurrences(of: part, requireCapital: true)
        }
        if let first = mainParts.first?.first, let printedLast = mainParts.last, mainParts.count >= 2 {
            let lastInitial = printedLast.first.map(String.init) ?? ""
            // The family name as printed and as a capitalized word ("RIVERA" and "Rivera").
            let capitalized = printedLast.prefix(1).uppercased() + printedLast.dropFirst().lowercased()
            var forms = ["\(first).\(lastInitial).", "\(first). \(lastInitial)."]
            for last in Set([printedLast, capitalized]) {
                forms += ["\(first). \(last)", "\(first).\(last)", "\(first) \(last)"]
            }
            for form in forms {
                for start in PersonalDataRedaction.occurrences(of: Array(form), in: characters, wholeWord: false) {
                    // Whole word at the start; a trailing dot may end the form.
                    let before = start > 0 ? characters[start - 1] : " "
                    guard !(before.isLetter || before.isNumber) else { continue }
                    if !spellings.contains(form) { spellings.append(form) }
                }
            }
        }
        return spellings
    }
}
