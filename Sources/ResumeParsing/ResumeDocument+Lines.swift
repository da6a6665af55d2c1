extension ResumeDocument {
    /// Where one paragraph of a Word document is: the package part and the paragraph's position in it.
    ///
    /// The position counts the part's `w:p` elements in document order from 0, the paragraphs inside tables
    /// and text boxes included, those in an unused `mc:Fallback` copy not. Together with the part name it
    /// names the paragraph that a document editor rewrites.
    public struct ParagraphAddress: Sendable, Hashable, Codable {
        /// What holds the paragraph.
        public enum Container: String, Sendable, Hashable, Codable {
            /// The body of the main document.
            case body
            /// A table cell (of the body or of a header, footer or note).
            case tableCell
            /// A text box.
            case textBox
            /// A page header.
            case header
            /// A page footer.
            case footer
            /// A footnote.
            case footnote
            /// An endnote.
            case endnote
        }

        /// The archive part, such as `word/document.xml` or `word/header1.xml`.
        public var partName: String
        /// The paragraph's position among the part's `w:p` elements, from 0, in document order.
        public var index: Int
        /// What holds the paragraph.
        public var container: Container

        /// Creates an address.
        public init(partName: String, index: Int, container: Container) {
            self.partName = partName
            self.index = index
            self.container = container
        }
    }

    /// One line of ``ResumeDocument/text`` and the paragraphs it was read from.
    public struct Line: Sendable, Hashable, Codable {
        /// One paragraph shown on the line.
        public struct Source: Sendable, Hashable, Codable {
            /// Where the paragraph is.
            public var address: ParagraphAddress
            /// The paragraph's own text, without list marker or indentation (several lines when it holds breaks).
            public var text: String

            /// Creates a source.
            public init(address: ParagraphAddress, text: String) {
                self.address = address
                self.text = text
            }
        }

        /// The line's text, without its newline.
        public var text: String
        /// The paragraphs on the line: one for a paragraph, one per cell for a table row read as one line,
        /// none for the blank line between sections or for a plain-text resume.
        public var sources: [Source]

        /// Creates a line.
        public init(text: String, sources: [Source] = []) {
            self.text = text
            self.sources = sources
        }
    }
}

/// Where a block came from: the internal twin of ``ResumeDocument/Block`` that the line map is built from.
enum BlockSource: Sendable, Hashable {
    case paragraph(ResumeDocument.ParagraphAddress)
    /// Rows of cells of the sources of each cell's blocks.
    case table([[[BlockSource]]])
}

/// Builds ``ResumeDocument/lines`` with exactly the rules of ``PlainTextRenderer``, keeping track of which
/// paragraphs each line shows. Its one primitive keeps `lines` equal to `text` split at newlines.
struct LineMapper {
    private(set) var lines: [ResumeDocument.Line] = []
    /// The text built, which equals the document's text.
    private(set) var text = ""

    /// Appends text whose non-empty lines show `sources`.
    private mutating func append(_ piece: String, sources: [ResumeDocument.Line.Source] = []) {
        guard !piece.isEmpty else { return }
        let wasEmpty = text.isEmpty
        text.append(piece)
        // Most pieces hold no line break: one part, the piece itself.
        for (offset, part) in piece.split(atASCII: "\n").enumerated() {
            let partSources = part.isEmpty ? [] : sources
            if offset == 0 && !wasEmpty {
                lines[lines.count - 1].text.append(contentsOf: part)
                for source in partSources where !lines[lines.count - 1].sources.contains(source) {
                    lines[lines.count - 1].sources.append(source)
                }
            } else {
                lines.append(ResumeDocument.Line(text: String(part), sources: partSources))
            }
        }
    }

    /// Appends another mapper's output.
    private mutating func append(_ other: LineMapper) {
        guard !other.text.isEmpty else { return }
        if text.isEmpty {
            self = other
            return
        }
        let first = other.lines[0]
        append(first.text, sources: first.sources)
        for line in other.lines.dropFirst() {
            text.append("\n")
            text.append(line.text)
            lines.append(line)
        }
    }

    /// Appends a section, separated from the previous one by a blank line.
    mutating func appendSection(_ body: (inout LineMapper) -> Void) {
        var section = LineMapper()
        body(&section)
        guard !section.text.isEmpty else { return }
        if !text.isEmpty { append("\n\n") }
        append(section)
    }

    mutating func render(_ blocks: [ResumeDocument.Block], sources: [BlockSource]) {
        for (index, block) in blocks.enumerated() {
            if !text.isEmpty && !text.endsWithLineFeed { append("\n") }
            render(block, source: index < sources.count ? sources[index] : nil)
        }
    }

    private mutating func render(_ block: ResumeDocument.Block, source: BlockSource?) {
        func paragraphSource(_ text: String) -> [ResumeDocument.Line.Source] {
            guard case .paragraph(let address)? = source else { return [] }
            return [.init(address: address, text: text)]
        }
        switch block {
        case .heading(let text, _), .paragraph(let text):
            append(text, sources: paragraphSource(text))
        case .listItem(let text, let level, let marker):
            var line = ""
            if level > 0 { line.append(String(repeating: "  ", count: min(level, 8))) }
            if !marker.isEmpty {
                line.append(marker)
                line.append(" ")
            }
            line.append(text)
            append(line, sources: paragraphSource(text))
        case .table(let table):
            guard case .table(let rows)? = source else {
                var rendered = ""
                PlainTextRenderer.render(block, into: &rendered)
                append(rendered)
                return
            }
            render(table, sourceRows: rows)
        }
    }

    private mutating func render(_ table: ResumeDocument.Table, sourceRows: [[[BlockSource]]]) {
        var firstLine = true
        for (rowIndex, row) in table.rows.enumerated() {
            let rowSources = rowIndex < sourceRows.count ? sourceRows[rowIndex] : []
            func newLine(_ mapper: inout LineMapper) {
                if !firstLine || (!mapper.text.isEmpty && !mapper.text.endsWithLineFeed) { mapper.append("\n") }
                firstLine = false
            }
            let simpleCells = row.cells.map { cell -> String? in
                guard cell.blocks.count <= 1 else { return nil }
                switch cell.blocks.first {
                case nil: return ""
                case .paragraph(let text)?, .heading(let text, _)?:
                    return text.contains("\n") ? nil : text
                default: return nil
                }
            }
            if simpleCells.allSatisfy({ $0 != nil }) {
                let cells = simpleCells.compactMap { $0 }
                guard cells.contains(where: { !$0.isEmpty }) else { continue }
                newLine(&self)
                var first = true
                for (cellIndex, cellText) in cells.enumerated() where !cellText.isEmpty {
                    if !first { append("\t") }
                    first = false
                    var sources: [ResumeDocument.Line.Source] = []
                    if cellIndex < rowSources.count, case .paragraph(let address)? = rowSources[cellIndex].first {
                        sources.append(.init(address: address, text: cellText))
                    }
                    append(cellText, sources: sources)
                }
            } else {
                for (cellIndex, cell) in row.cells.enumerated() where !cell.blocks.isEmpty {
                    newLine(&self)
                    var cellMapper = LineMapper()
                    cellMapper.render(cell.blocks, sources: cellIndex < rowSources.count ? rowSources[cellIndex] : [])
                    append(cellMapper)
                }
            }
        }
    }

    /// Renders notes as `[mark] text`.
    mutating func render(_ notes: [ResumeDocument.Note], sources: [[BlockSource]]) {
        for (index, note) in notes.enumerated() {
            if !text.isEmpty && !text.endsWithLineFeed { append("\n") }
            var body = LineMapper()
            body.render(note.blocks, sources: index < sources.count ? sources[index] : [])
            append("[\(note.mark)] ")
            // Word puts a space after the note's own mark; the rendered mark already has one.
            if var first = body.lines.first {
                first.text = String(first.text.drop { $0 == " " || $0 == "\t" })
                body.lines[0] = first
                body.text = body.lines.map(\.text).joined(separator: "\n")
                append(body)
            }
        }
    }
}
