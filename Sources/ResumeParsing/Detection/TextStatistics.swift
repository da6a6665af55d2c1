/// Checks on extracted text shared by every format. ASCII is checked byte by byte; Unicode properties are
/// looked up only for other characters, and counting stops as soon as the answer is known.
enum TextStatistics {
    /// Whether the text holds at least one letter or digit.
    static func hasRealText(_ text: String) -> Bool {
        for byte in text.utf8 where byte < 0x80 {
            if (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) { return true }
        }
        return text.unicodeScalars.contains { scalar in
            scalar.value >= 0x80 && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
        }
    }

    /// Counts characters that are not white space, stopping at `limit`.
    static func visibleCharacterCount(_ text: String, upTo limit: Int) -> Int {
        var count = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isWhitespace =
                value < 0x80
                ? (value == 0x20 || (value >= 0x09 && value <= 0x0D))
                : scalar.properties.isWhitespace
            if !isWhitespace {
                count += 1
                if count >= limit { return count }
            }
        }
        return count
    }

    /// Adds the "very little text" and "mostly images" warnings.
    static func addWarnings(for text: String, imageCount: Int, to diagnostics: inout ParsingDiagnostics) {
        let visible = visibleCharacterCount(text, upTo: 2_000)
        if imageCount > 0 && visible < 400 * imageCount && visible < 2_000 {
            diagnostics.warnings.append(
                .init(
                    code: .mostlyImages,
                    message: "The document is mostly pictures (\(imageCount)) with \(visible) characters of text; "
                        + "text inside pictures is not read."
                )
            )
        }
        if visible < 200 {
            diagnostics.warnings.append(
                .init(code: .littleText, message: "The document holds very little text (\(visible) characters).")
            )
        }
    }
}
