/// Turns blocks into the plain text of ``ResumeDocument/text``.
enum PlainTextRenderer {
    /// Renders blocks one per line.
    static func render(_ blocks: [ResumeDocument.Block], into output: inout String) {
        for block in blocks {
            if !output.isEmpty && !output.endsWithLineFeed { output.append("\n") }
            render(block, into: &output)
        }
    }

    static func render(_ block: ResumeDocument.Block, into output: inout String) {
        switch block {
        case .heading(let text, _), .paragraph(let text):
            output.append(text)
        case .listItem(let text, let level, let marker):
            if level > 0 { output.append(String(repeating: "  ", count: min(level, 8))) }
            if !marker.isEmpty {
                output.append(marker)
                output.append(" ")
            }
            output.append(text)
        case .table(let table):
            render(table, into: &output)
        }
    }

    /// A row whose cells each hold one single-line paragraph reads as one tab-separated line; any other
    /// row reads cell after cell, one block per line.
    private static func render(_ table: ResumeDocument.Table, into output: inout String) {
        var firstLine = true
        func newLine() {
            if !firstLine || (!output.isEmpty && !output.endsWithLineFeed) { output.append("\n") }
            firstLine = false
        }
        for row in table.rows {
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
                newLine()
                output.append(cells.filter { !$0.isEmpty }.joined(separator: "\t"))
            } else {
                for cell in row.cells where !cell.blocks.isEmpty {
                    newLine()
                    var cellText = ""
                    render(cell.blocks, into: &cellText)
                    output.append(cellText)
                }
            }
        }
    }

    /// Renders notes as `[mark] text`.
    static func render(_ notes: [ResumeDocument.Note], into output: inout String) {
        for note in notes {
            if !output.isEmpty && !output.endsWithLineFeed { output.append("\n") }
            var body = ""
            render(note.blocks, into: &body)
            output.append("[\(note.mark)] ")
            // Word puts a space after the note's own mark; the rendered mark already has one.
            output.append(contentsOf: body.drop { $0 == " " || $0 == "\t" })
        }
    }
}
