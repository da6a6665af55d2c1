public import Foundation

/// A resume read from a document: its plain text, its structure, its metadata and how it was read.
///
/// Everything in it is `Codable`, so it can be stored or sent as JSON as is.
public struct ResumeDocument: Sendable, Hashable, Codable {
    /// The plain text in reading order: headers, body, footnotes and endnotes, footers.
    ///
    /// Blocks are separated by a newline and the sections by a blank line. A list item reads as its marker,
    /// a space and its text (`1. Shipped the billing service`, `• Mentored interns`), indented by two spaces
    /// per nesting level. A table reads row by row; a row whose cells each hold one line reads as one line
    /// with the cells separated by tabs.
    public var text: String
    /// The format detected from the content.
    public var format: DocumentFormat
    /// The blocks of the body, in reading order.
    public var blocks: [Block]
    /// The distinct page headers, each part once.
    public var headers: [PageMargin]
    /// The distinct page footers, each part once.
    public var footers: [PageMargin]
    /// The footnotes, in order of reference (separator notes left out).
    public var footnotes: [Note]
    /// The endnotes, in order of reference (separator notes left out).
    public var endnotes: [Note]
    /// The document properties (title, author, dates).
    public var metadata: DocumentMetadata
    /// How the document was read: parts, counts and warnings.
    public var diagnostics: ParsingDiagnostics
    /// ``text`` line by line, each line with the paragraphs it shows and where they are in the package
    /// (for plain text, the lines without sources). A document editor maps changed lines back onto the
    /// document through it.
    public var lines: [Line]

    /// Creates a document.
    public init(
        text: String,
        format: DocumentFormat,
        blocks: [Block] = [],
        headers: [PageMargin] = [],
        footers: [PageMargin] = [],
        footnotes: [Note] = [],
        endnotes: [Note] = [],
        metadata: DocumentMetadata = DocumentMetadata(),
        diagnostics: ParsingDiagnostics = ParsingDiagnostics(),
        lines: [Line]? = nil
    ) {
        self.lines =
            lines ?? text.split(separator: "\n", omittingEmptySubsequences: false).map { Line(text: String($0)) }
        self.text = text
        self.format = format
        self.blocks = blocks
        self.headers = headers
        self.footers = footers
        self.footnotes = footnotes
        self.endnotes = endnotes
        self.metadata = metadata
        self.diagnostics = diagnostics
    }

    private enum CodingKeys: String, CodingKey {
        case text, format, blocks, headers, footers, footnotes, endnotes, metadata, diagnostics, lines
    }

    /// Decodes a document; one stored before ``lines`` existed gets the lines of its text, without sources.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            text: try container.decode(String.self, forKey: .text),
            format: try container.decode(DocumentFormat.self, forKey: .format),
            blocks: try container.decode([Block].self, forKey: .blocks),
            headers: try container.decode([PageMargin].self, forKey: .headers),
            footers: try container.decode([PageMargin].self, forKey: .footers),
            footnotes: try container.decode([Note].self, forKey: .footnotes),
            endnotes: try container.decode([Note].self, forKey: .endnotes),
            metadata: try container.decode(DocumentMetadata.self, forKey: .metadata),
            diagnostics: try container.decode(ParsingDiagnostics.self, forKey: .diagnostics),
            lines: try container.decodeIfPresent([Line].self, forKey: .lines)
        )
    }
}

extension ResumeDocument {
    /// One block of a document: a heading, a paragraph, a list item or a table.
    public enum Block: Sendable, Hashable, Codable {
        /// A heading with its level (1 is the highest, from the `Title` and `Heading N` styles or an
        /// outline level).
        case heading(text: String, level: Int)
        /// An ordinary paragraph.
        case paragraph(text: String)
        /// A list item: `level` counts from 0; `marker` is the computed marker such as `1.`, `a)`, `iv.` or `•`
        /// (empty when the list shows none).
        case listItem(text: String, level: Int, marker: String)
        /// A table.
        case table(Table)

        /// The block as plain text, as it appears in ``ResumeDocument/text``.
        public var plainText: String {
            var output = ""
            PlainTextRenderer.render(self, into: &output)
            return output
        }
    }

    /// A table: rows of cells, each cell holding blocks (possibly nested tables).
    public struct Table: Sendable, Hashable, Codable {
        /// The rows, top to bottom.
        public var rows: [Row]

        /// Creates a table.
        public init(rows: [Row]) {
            self.rows = rows
        }

        /// A table row.
        public struct Row: Sendable, Hashable, Codable {
            /// The cells, in reading order.
            public var cells: [Cell]

            /// Creates a row.
            public init(cells: [Cell]) {
                self.cells = cells
            }
        }

        /// A table cell.
        public struct Cell: Sendable, Hashable, Codable {
            /// The blocks in the cell.
            public var blocks: [Block]

            /// Creates a cell.
            public init(blocks: [Block]) {
                self.blocks = blocks
            }

            /// The cell's blocks as plain text, one per line.
            public var plainText: String {
                var output = ""
                PlainTextRenderer.render(blocks, into: &output)
                return output
            }
        }
    }

    /// The content of one header or footer part.
    public struct PageMargin: Sendable, Hashable, Codable {
        /// The archive part it was read from, such as `word/header1.xml`.
        public var partName: String
        /// Its blocks.
        public var blocks: [Block]

        /// Creates a header or footer.
        public init(partName: String, blocks: [Block]) {
            self.partName = partName
            self.blocks = blocks
        }
    }

    /// A footnote or an endnote.
    public struct Note: Sendable, Hashable, Codable {
        /// The mark shown in the text where the note is referenced, such as `1` or `i`.
        public var mark: String
        /// The note's blocks.
        public var blocks: [Block]

        /// Creates a note.
        public init(mark: String, blocks: [Block]) {
            self.mark = mark
            self.blocks = blocks
        }
    }
}

/// Document properties, from `docProps/core.xml` for Word documents.
public struct DocumentMetadata: Sendable, Hashable, Codable {
    /// The title.
    public var title: String?
    /// The subject.
    public var subject: String?
    /// The author (`dc:creator`).
    public var author: String?
    /// The keywords, as written.
    public var keywords: String?
    /// The description (comments).
    public var description: String?
    /// Who saved the document last.
    public var lastModifiedBy: String?
    /// When the document was created.
    public var created: Date?
    /// When the document was last modified.
    public var modified: Date?

    /// Creates metadata; every property defaults to `nil`.
    public init(
        title: String? = nil,
        subject: String? = nil,
        author: String? = nil,
        keywords: String? = nil,
        description: String? = nil,
        lastModifiedBy: String? = nil,
        created: Date? = nil,
        modified: Date? = nil
    ) {
        self.title = title
        self.subject = subject
        self.author = author
        self.keywords = keywords
        self.description = description
        self.lastModifiedBy = lastModifiedBy
        self.created = created
        self.modified = modified
    }
}
