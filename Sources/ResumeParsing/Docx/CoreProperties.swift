import Foundation

/// Reads `docProps/core.xml` (Dublin Core properties) into ``DocumentMetadata``.
enum CoreProperties {
    static func read(_ reader: XMLStreamReader) throws(ResumeParsingError) -> DocumentMetadata {
        var metadata = DocumentMetadata()
        var current: XMLLocalName?
        var value = ""
        while let kind = try reader.read() {
            switch kind {
            case .element:
                guard reader.namespace == .coreProperties, !reader.isEmptyElement else { continue }
                current = reader.localName
                value = ""
            case .text:
                if current != nil, value.utf8.count < 4096 { value += reader.text }
            case .endElement:
                guard let name = current else { continue }
                current = nil
                let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !text.isEmpty else { continue }
                switch name {
                case .title: metadata.title = text
                case .subject: metadata.subject = text
                case .creator: metadata.author = text
                case .keywords: metadata.keywords = text
                case .description: metadata.description = text
                case .lastModifiedBy: metadata.lastModifiedBy = text
                case .created: metadata.created = parseDate(text)
                case .modified: metadata.modified = parseDate(text)
                default: continue
                }
            case .other:
                continue
            }
        }
        return metadata
    }

    /// Parses W3CDTF dates as Word writes them: `2024-03-01T10:00:00Z`, optionally with fractional seconds
    /// or a `+hh:mm` offset, or a date alone. Written by hand: a date formatter costs more than the rest of
    /// a small document.
    static func parseDate(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + digits] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += digits
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = 0.0
        var offset = 0
        if expect("T") {
            guard let hour = number(2), expect(":"), let minute = number(2), hour < 24, minute < 60 else { return nil }
            seconds = Double(hour * 3600 + minute * 60)
            if expect(":") {
                guard let second = number(2), second < 61 else { return nil }
                seconds += Double(second)
                if expect(".") {
                    var scale = 0.1
                    while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
                        seconds += Double(bytes[index] - 0x30) * scale
                        scale /= 10
                        index += 1
                    }
                }
            }
            if expect("Z") {
                offset = 0
            } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let hours = number(2), expect(":"), let minutes = number(2) else { return nil }
                offset = sign * (hours * 3600 + minutes * 60)
            }
        }
        guard index == bytes.count else { return nil }
        // Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: Double(days * 86_400 - offset) + seconds)
    }
}
