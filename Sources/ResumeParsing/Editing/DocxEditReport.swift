/// What a ``DocxEditor`` changed in a document, and what it refused to change.
public struct DocxEditReport: Sendable, Hashable, Codable {
    /// A change of the new text that was not made: the document keeps the original there.
    public struct Refusal: Sendable, Hashable, Codable {
        /// Why a change was not made.
        public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
            /// The paragraph holds a field (`PAGE`, a hyperlink field, a date…).
            case field
            /// The paragraph holds a picture, a drawing or a text box anchor.
            case pictureOrTextBox
            /// The paragraph is inside a text box (its text exists twice in the package).
            case textBox
            /// The paragraph holds `mc:AlternateContent` or sits inside it.
            case alternateContent
            /// The paragraph is, or holds, a content control bound to data, or an inline content control.
            case contentControl
            /// The paragraph already holds tracked changes.
            case existingTrackedChange
            /// The paragraph holds a comment.
            case comment
            /// The paragraph holds hidden text.
            case hiddenText
            /// The paragraph holds a line break (it shows as several lines).
            case lineBreak
            /// The paragraph holds a footnote or endnote reference.
            case noteReference
            /// The paragraph holds a symbol character (`w:sym`).
            case symbol
            /// The line is in a header, a footer or a note; only the main body is edited.
            case notInBody
            /// A table row read as one line changed its number of cells.
            case tableRowShape
            /// The paragraph's markup does not give exactly the text that was read (hidden styles and the like).
            case textMismatch
            /// No paragraph could be found to hold an added line.
            case noPlaceForLine
            /// Another element the editor does not rewrite.
            case unsupportedContent
        }

        /// Why the change was not made.
        public var reason: Reason
        /// Where the paragraph is, when the change concerned one.
        public var address: ResumeDocument.ParagraphAddress?
        /// The 0-based line of the new text concerned.
        public var line: Int?
        /// An explanation for people; it names elements and positions, never the document's text.
        public var message: String

        /// Creates a refusal.
        public init(reason: Reason, address: ResumeDocument.ParagraphAddress?, line: Int?, message: String) {
            self.reason = reason
            self.address = address
            self.line = line
            self.message = message
        }
    }

    /// Paragraphs whose words were rewritten.
    public var changedParagraphs = 0
    /// Paragraphs added for new lines.
    public var addedParagraphs = 0
    /// Paragraphs removed (or emptied where one must stay, as in a table cell).
    public var removedParagraphs = 0
    /// Changes not made, each with its reason.
    public var refusals: [Refusal] = []

    /// Creates an empty report.
    public init() {}
}
