/// State shared by the parts of one Word document while it is read: styles, list counters, note marks,
/// counts and the text budget.
final class DocxSession {
    let configuration: ResumeParser.Configuration
    var styles = StyleSheet()
    var numbering = Numbering()
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
