import Foundation

/// Decodes a plain-text resume: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark,
/// and Windows-1252 when the bytes are not valid UTF-8. Line endings become `\n`.
struct PlainTextReader {
    let configuration: ResumeParser.Configuration

    func read(_ data: Data) throws(ResumeParsingError) -> ResumeDocument {
        let (decoded, encoding) = try Self.decode(data)
        let text = Self.normalizingLineEndings(decoded)
        guard text.utf8.count <= configuration.maximumTextLength else {
            throw .limitExceeded(
                .textLength,
                "The text is \(text.utf8.count) bytes long, over the limit of \(configuration.maximumTextLength)."
            )
        }
        try Self.refuseMarkupFormats(text)
        guard TextStatistics.hasRealText(text) else {
            throw ResumeParsingError(code: .noText, message: "The document holds no readable text.")
        }
        var blocks: [ResumeDocument.Block] = []
        var paragraphs = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            paragraphs += 1
            if let item = Self.listItem(line) {
                blocks.append(item)
            } else {
                blocks.append(.paragraph(text: String(line)))
            }
        }
        var diagnostics = ParsingDiagnostics(textEncoding: encoding, paragraphCount: paragraphs)
        TextStatistics.addWarnings(for: text, imageCount: 0, to: &diagnostics)
        return ResumeDocument(text: text, format: .plainText, blocks: blocks, diagnostics: diagnostics)
    }

    /// A line such as `- Led the team` or `• Led the team` becomes a list item (indentation gives the level).
    private static func listItem(_ line: Substring) -> ResumeDocument.Block? {
        let indentation = line.prefix { $0 == " " || $0 == "\t" }
        let rest = line.dropFirst(indentation.count)
        guard let first = rest.first, ["-", "*", "•", "–", "◦", "▪"].contains(first) else { return nil }
        let afterMarker = rest.dropFirst()
        guard afterMarker.first == " " || afterMarker.first == "\t" else { return nil }
        let body = afterMarker.drop { $0 == " " || $0 == "\t" }
        guard !body.isEmpty else { return nil }
        let width = indentation.reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
        return .listItem(text: String(body), level: width / 2, marker: String(first))
    }

    static func decode(_ data: Data) throws(ResumeParsingError) -> (String, String) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw FormatSniffer.binaryRefusal()  // UTF-32 is not a text format anyone sends
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return (try decodeUTF16(bytes.dropFirst(2), bigEndian: false), "utf-16le")
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return (try decodeUTF16(bytes.dropFirst(2), bigEndian: true), "utf-16be")
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        guard !looksBinary(body) else { throw FormatSniffer.binaryRefusal() }
        if let text = String(validating: body, as: UTF8.self) {
            return (text, "utf-8")
        }
        return (decodeWindows1252(body), "windows-1252")
    }

    /// NUL bytes, or many control characters other than tab, line feed, form feed and carriage return.
    private static func looksBinary(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.contains(0) { return true }
        let sample = bytes.prefix(8192)
        let controls = sample.reduce(0) { count, byte in
            (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0C && byte != 0x0D && byte != 0x1B)
                || byte == 0x7F ? count + 1 : count
        }
        return controls * 50 > sample.count  // more than 2 %
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) throws(ResumeParsingError) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let first = UInt16(bytes[index])
            let second = UInt16(bytes[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        if units.contains(0) { throw FormatSniffer.binaryRefusal() }
        let controls = units.prefix(4096).filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0C && $0 != 0x0D }
        if controls.count * 50 > min(units.count, 4096) { throw FormatSniffer.binaryRefusal() }
        return String(decoding: units, as: UTF16.self)
    }

    /// Windows-1252: Latin-1 except for 0x80–0x9F, which hold typographic characters.
    private static func decodeWindows1252(_ bytes: ArraySlice<UInt8>) -> String {
        let high: [Unicode.Scalar] = [
            "\u{20AC}", "\u{81}", "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
            "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", "\u{8D}", "\u{017D}", "\u{8F}",
            "\u{90}", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
            "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", "\u{9D}", "\u{017E}", "\u{0178}",
        ]
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte >= 0x80 && byte < 0xA0 {
                scalars.append(high[Int(byte - 0x80)])
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    static func normalizingLineEndings(_ text: String) -> String {
        guard text.containsByte(0x0D) else { return text }
        var output = String()
        output.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                output.unicodeScalars.append("\n")
                previousWasCR = true
            } else {
                if !(scalar == "\n" && previousWasCR) {
                    output.unicodeScalars.append(scalar)
                }
                previousWasCR = false
            }
        }
        return output
    }

    /// Word 2003 XML and Flat OPC look like text but are Word documents in a format not supported.
    private static func refuseMarkupFormats(_ text: String) throws(ResumeParsingError) {
        let head = text.utf8.prefix(4096)
        guard
            head.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF })
                == UInt8(ascii: "<")
        else { return }
        let prefix = String(decoding: head, as: UTF8.self)
        if prefix.contains("<w:wordDocument") || prefix.contains("<pkg:package")
            || prefix.contains("schemas.microsoft.com/office/word/2003/wordml")
        {
            throw .unsupported(
                .wordXML,
                "Word XML documents (Word 2003 XML, Flat OPC) are not supported; save the resume as .docx."
            )
        }
        if prefix.contains("<office:document") {
            throw .unsupported(.odt, "OpenDocument files are not supported yet; save the resume as .docx.")
        }
    }
}
