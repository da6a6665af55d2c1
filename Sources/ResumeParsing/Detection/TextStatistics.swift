/// Checks on extracted text shared by every format.
enum TextStatistics {
    /// Whether the text holds at least one letter or digit.
    static func hasRealText(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    /// Counts characters that are not white space.
    static func visibleCharacterCount(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.properties.isWhitespace ? 0 : 1) }
    }

    /// Adds the "very little text" and "mostly images" warnings.
    static func addWarnings(for text: String, imageCount: Int, to diagnostics: inout ParsingDiagnostics) {
        let visible = visibleCharacterCount(text)
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
