/// The personal data found in one resume, with the placeholder that stands for each value.
///
/// Made by ``PersonalDataRedactor/redaction(of:)``. ``redact(_:)`` replaces every value with its
/// placeholder (`[[NAME]]`, `[[EMAIL_1]]`, `[[PHONE_1]]`, …) before text leaves the process, and
/// ``restore(_:)`` puts the originals back into the model's answer. Its `description` never shows the
/// values, so it is safe to log.
public struct PersonalDataRedaction: Sendable, Hashable, CustomStringConvertible {
    /// One value and its placeholder.
    struct Entry: Sendable, Hashable {
        var placeholder: String
        var value: String
        var kind: PersonalDataKind
        /// Whether the value matches only as a whole word (names), not inside a longer word.
        var wholeWord: Bool
        /// The order in which the value was found, for numbering.
        var order: Int = 0
    }

    /// The values, longest first (so a full name is replaced before its parts).
    let entries: [Entry]

    init(entries: [Entry]) {
        self.entries = entries.sorted {
            $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.placeholder < $1.placeholder
        }
    }

    /// A redaction that replaces nothing.
    public static let none = PersonalDataRedaction(entries: [])

    /// Whether nothing was found.
    public var isEmpty: Bool { entries.isEmpty }

    /// The placeholders, in order of their names.
    public var placeholders: [String] { entries.map(\.placeholder).sorted() }

    /// How many distinct values of each kind are replaced. Several spellings of the name count once.
    public var counts: [PersonalDataKind: Int] {
        var counts: [PersonalDataKind: Int] = [:]
        for entry in entries where entry.kind != .name { counts[entry.kind, default: 0] += 1 }
        if entries.contains(where: { $0.kind == .name }) { counts[.name] = 1 }
        return counts
    }

    public var description: String {
        "PersonalDataRedaction(\(entries.count) values: "
            + counts.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + ")"
    }

    /// `text` with every value replaced by its placeholder.
    public func redact(_ text: String) -> String {
        redacting(text).text
    }

    /// Only the entries whose placeholder `redact(text)` uses, numbered again from 1 within each kind
    /// (a name part found only inside the full name needs no placeholder of its own).
    func keepingUsed(in text: String) -> PersonalDataRedaction {
        let used = redacting(text).used
        var numbers: [PersonalDataKind: Int] = [:]
        var kept: [Entry] = []
        for entry in entries.sorted(by: { $0.order < $1.order }) where used.contains(entry.placeholder) {
            let number = numbers[entry.kind, default: 0] + 1
            numbers[entry.kind] = number
            var renumbered = entry
            renumbered.placeholder = Self.placeholder(kind: entry.kind, number: number)
            kept.append(renumbered)
        }
        return PersonalDataRedaction(entries: kept)
    }

    /// The placeholder of the `number`th value of `kind`: `[[NAME]]`, `[[NAME_2]]`, `[[EMAIL_1]]`.
    static func placeholder(kind: PersonalDataKind, number: Int) -> String {
        kind == .name
            ? (number == 1 ? "[[NAME]]" : "[[NAME_\(number)]]") : "[[\(kind.placeholderStem)_\(number)]]"
    }

    private func redacting(_ text: String) -> (text: String, used: Set<String>) {
        guard !entries.isEmpty else { return (text, []) }
        let characters = Array(text)
        var claimed = [Bool](repeating: false, count: characters.count)
        var replacements: [(range: Range<Int>, placeholder: String)] = []
        for entry in entries {
            let value = Array(entry.value)
            for start in Self.occurrences(of: value, in: characters, wholeWord: entry.wholeWord) {
                let range = start..<(start + value.count)
                guard !claimed[range].contains(true) else { continue }
                for offset in range { claimed[offset] = true }
                replacements.append((range, entry.placeholder))
            }
        }
        guard !replacements.isEmpty else { return (text, []) }
        replacements.sort { $0.range.lowerBound < $1.range.lowerBound }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var position = 0
        for replacement in replacements {
            result.append(contentsOf: characters[position..<replacement.range.lowerBound])
            result += replacement.placeholder
            position = replacement.range.upperBound
        }
        result.append(contentsOf: characters[position...])
        return (result, Set(replacements.map(\.placeholder)))
    }

    /// The model's answer with the originals put back.
    public struct Restoration: Sendable, Hashable {
        /// The answer with every placeholder that matched a value replaced by that value, exactly.
        public var text: String
        /// Placeholders that were sent but are not in the answer (the answer lost that value).
        public var missing: [String]
        /// Placeholder-like text in the answer that matches no value safely, as written.
        public var unmatched: [String]
    }

    /// Puts the originals back into `answer`.
    ///
    /// A placeholder matches when it has the same letters and number as one that was sent, whatever the
    /// case, spaces, hyphens or underscores (`[[ email 1 ]]` and `[[Email-1]]` restore `[[EMAIL_1]]`).
    /// Anything else between double brackets is left as written and reported as unmatched.
    public func restore(_ answer: String) -> Restoration {
        guard !entries.isEmpty else { return Restoration(text: answer, missing: [], unmatched: []) }
        var byKey: [String: Entry] = [:]
        for entry in entries { byKey[Self.key(entry.placeholder)] = entry }
        var found: Set<String> = []
        var unmatched: [String] = []
        var result = ""
        var remaining = Substring(answer)
        while let open = remaining.firstRange(of: "[[") {
            guard let close = remaining[open.upperBound...].firstRange(of: "]]"),
                remaining.distance(from: open.upperBound, to: close.lowerBound) <= 40
            else {
                result += remaining[..<open.upperBound]
                remaining = remaining[open.upperBound...]
                continue
            }
            result += remaining[..<open.lowerBound]
            let inner = remaining[open.upperBound..<close.lowerBound]
            if let entry = byKey[Self.key("[[" + inner + "]]")] {
                result += entry.value
                found.insert(entry.placeholder)
            } else {
                let written = String(remaining[open.lowerBound..<close.upperBound])
                result += written
                unmatched.append(written)
            }
            remaining = remaining[close.upperBound...]
        }
        result += remaining
        let missing = entries.map(\.placeholder).filter { !found.contains($0) }.sorted()
        return Restoration(text: result, missing: missing, unmatched: unmatched)
    }

    /// The kinds of the redacted values that appear as such in `answer`, which was written from redacted
    /// text only: the model (or something between) had them from elsewhere.
    func unsentValues(in answer: String) -> [Entry] {
        let characters = Array(answer.lowercased())
        return entries.filter { entry in
            // Single name parts are too common as words to be evidence.
            guard entry.kind != .name || entry.value.contains(" ") else { return false }
            let value = Array(entry.value.lowercased())
            return !Self.occurrences(of: value, in: characters, wholeWord: true).isEmpty
        }
    }

    /// The comparison key of a placeholder: its letters upper-cased and its digits, nothing else.
    /// `[[NAME]]` and `[[NAME_1]]` are the same placeholder.
    static func key(_ placeholder: some StringProtocol) -> String {
        var key = placeholder.uppercased().filter { $0.isLetter || $0.isNumber }
        if key.hasSuffix("1"), !key.dropLast().contains(where: \.isNumber), !key.dropLast().hasSuffix("1") {
            // `[[NAME_1]]` for `[[NAME]]`: a lone 1 is the first of its kind.
            if !key.dropLast().isEmpty, key.dropLast().last?.isLetter == true { key.removeLast() }
        }
        return key
    }

    /// The start offsets of `value` in `text`, not overlapping; with `wholeWord`, only where no letter or
    /// digit touches either end.
    static func occurrences(of value: [Character], in text: [Character], wholeWord: Bool) -> [Int] {
        guard let first = value.first, value.count <= text.count else { return [] }
        var starts: [Int] = []
        var index = 0
        let last = text.count - value.count
        while index <= last {
            if text[index] == first, text[index..<(index + value.count)].elementsEqual(value) {
                let before = index > 0 ? text[index - 1] : " "
                let after = index + value.count < text.count ? text[index + value.count] : " "
                if !wholeWord || (!(before.isLetter || before.isNumber) && !(after.isLetter || after.isNumber)) {
                    starts.append(index)
                    index += value.count
                    continue
                }
            }
            index += 1
        }
        return starts
    }
}
