/// State shared by the parts of one Word document while it is read: styles, list counters, note marks,
/// counts and the text budget.
final class DocxSession {
    let configuration: ResumeParser.Configuration
    /// Reads the style sheet the first time a paragraph or run names a style, so documents that use none
    /// never parse `styles.xml`.
    var stylesLoader: (() throws(ResumeParsingError) -> StyleSheet)?
    private var loadedStyles: StyleSheet?
    /// Reads the numbering definitions the first time a list paragraph needs them, so documents without
    /// lists never parse `numbering.xml`.
    var numberingLoader: (() throws(ResumeParsingError) -> Numbering)?
    private var numbering: Numbering?
    var diagnostics = ParsingDiagnostics()
    private(set) var textBytes = 0

    /// Footnote and endnote ids in order of first reference, with the mark shown for each.
    private(set) var footnoteMarks: [(id: String, mark: String)] = []
    private(set) var endnoteMarks: [(id: String, mark: String)] = []

    init(configuration: ResumeParser.Configuration) {
        self.configuration = configuration
    }

    /// Counts text produced against ``ResumeParser/Configuration/maximumTextLength``.
    func consumeText(_ count: Int, partName: String) throws(ResumeParsingError) {
        textBytes += count
        if textBytes > configuration.maximumTextLength {
            throw .limitExceeded(
                .textLength,
                "The document's text is longer than the limit of \(configuration.maximumTextLength) bytes.",
                partName: partName
            )
        }
    }

    /// Counts a list paragraph and returns its marker (see ``Numbering/nextMarker(numberingID:level:styles:)``).
    func nextListMarker(numberingID: Int, level: Int) throws(ResumeParsingError) -> String? {
        guard numberingID != 0 else { return nil }
        if numbering == nil {
            numbering = try numberingLoader?() ?? Numbering()
            numberingLoader = nil
        }
        let styles = try styleSheet()
        return numbering?.nextMarker(numberingID: numberingID, level: level, styles: styles)
    }

    private func styleSheet() throws(ResumeParsingError) -> StyleSheet {
        if let loadedStyles { return loadedStyles }
        let styles = try stylesLoader?() ?? StyleSheet()
        stylesLoader = nil
        loadedStyles = styles
        return styles
    }

    /// The heading level, inherited numbering and hiddenness of a paragraph style.
    func paragraphStyle(_ id: String) throws(ResumeParsingError) -> StyleSheet.ResolvedParagraphStyle {
        _ = try styleSheet()
        return loadedStyles?.paragraphStyle(id) ?? StyleSheet.ResolvedParagraphStyle()
    }

    /// Whether a character style hides its text.
    func isHiddenCharacterStyle(_ id: String) throws(ResumeParsingError) -> Bool {
        try styleSheet().isHiddenCharacterStyle(id)
    }

    /// The mark of a footnote (`1`, `2`…) or an endnote (`i`, `ii`…), given on first reference.
    func noteMark(id: String, isEndnote: Bool) -> String {
        if isEndnote {
            if let existing = endnoteMarks.first(where: { $0.id == id }) { return existing.mark }
            let mark = Numbering.format(endnoteMarks.count + 1, as: .lowerRoman)
            endnoteMarks.append((id, mark))
            return mark
        }
        if let existing = footnoteMarks.first(where: { $0.id == id }) { return existing.mark }
        let mark = String(footnoteMarks.count + 1)
        footnoteMarks.append((id, mark))
        return mark
    }
}
