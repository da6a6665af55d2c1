// PLACEHOLDER: the ResumeParsing issue replaces this file. Keep `text` and `format`.

/// A parsed resume.
public struct ResumeDocument: Sendable {
    /// The plain text, in reading order.
    public var text: String
    /// The format detected from the content.
    public var format: DocumentFormat

    /// Creates a document.
    public init(text: String, format: DocumentFormat) {
        self.text = text
        self.format = format
    }
}

/// A document format the parser recognises.
public struct DocumentFormat: Hashable, Sendable {
    /// A stable identifier such as `txt` or `docx`.
    public var identifier: String
    /// Plain text.
    public static let plainText = DocumentFormat(identifier: "txt")
    /// Office Open XML word-processing document.
    public static let docx = DocumentFormat(identifier: "docx")
}
