import Foundation

/// Reads `docProps/core.xml` (Dublin Core properties) into ``DocumentMetadata``.
enum CoreProperties {
    static func read(_ reader: XMLStreamReader) throws(ResumeParsingError) -> DocumentMetadata {
        var metadata = DocumentMetadata()
        var current: XMLLocalName?
        var value = ""
        while try reader.read() {
            switch reader.kind {
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

    /// W3CDTF dates, as Word writes them (`2024-03-01T10:00:00Z`), with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }
}
