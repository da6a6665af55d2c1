/// Reads the content of one WordprocessingML part (the body, a header or footer, the notes) into blocks,
/// in reading order, streaming its XML once.
///
/// What it keeps: runs joined exactly; tabs, breaks and hyphens; symbols; tables (nested too); list markers;
/// text boxes (from `mc:Choice` only, or VML alone); hyperlinks, content controls, smart tags, custom XML;
/// insertions and moves-to; field results and simple fields. What it drops: deletions and moves-from, field
/// instructions, hidden text (counted in the diagnostics), `mc:Fallback` copies and property-change history.
struct ContentWalker {
    private struct Frame {
        var namespace: XMLNamespace
        var name: XMLLocalName
    }

    private struct ParagraphBuilder {
        var bytes: [UInt8] = []
        var styleID: String?
        var numberingID: Int?
        var numberingLevel: Int?
        var outlineLevel: Int?
        /// The paragraph style hides its runs' text (unless a run says otherwise).
        var styleIsHidden = false
        var floatingBlocks: [ResumeDocument.Block] = []
        var floatingSources: [BlockSource] = []
        /// The paragraph's position among the part's `w:p` elements, in document order.
        var index = 0
        var container: ResumeDocument.ParagraphAddress.Container = .body
    }

    private enum ContainerKind {
        case part
        case cell
        case textBox
        case note(id: String)
    }

    private struct Container {
        var kind: ContainerKind
        var blocks: [ResumeDocument.Block] = []
        var sources: [BlockSource] = []
    }

    private struct TableBuilder {
        var rows: [ResumeDocument.Table.Row] = []
        var cells: [ResumeDocument.Table.Cell] = []
        var sourceRows: [[[BlockSource]]] = []
        var sourceCells: [[BlockSource]] = []
        var rowIsDeleted = false
        var inRow = false
    }

    private let session: DocxSession
    private let partName: String
    private var frames: [Frame] = []
    private var paragraphs: [ParagraphBuilder] = []
    private var containers: [Container] = [Container(kind: .part)]
    private var tables: [TableBuilder] = []
    private var hiddenRuns: [Bool] = []
    /// One entry per open `mc:AlternateContent`: whether a `mc:Choice` was taken.
    private var alternateContent: [Bool] = []
    private var pendingCustomMark = false
    private var paragraphCount = 0
    private let partContainer: ResumeDocument.ParagraphAddress.Container

    /// The notes read from a footnotes or endnotes part, by id.
    private(set) var notes: [String: [ResumeDocument.Block]] = [:]
    /// Where the blocks of each note came from, by note id.
    private(set) var noteSources: [String: [BlockSource]] = [:]

    /// Where the top-level blocks returned by ``walk(_:expectingRoot:)`` came from, one per block.
    var sources: [BlockSource] { containers.first?.sources ?? [] }

    init(session: DocxSession, partName: String, container: ResumeDocument.ParagraphAddress.Container = .body) {
        self.session = session
        self.partName = partName
        self.partContainer = container
        frames.reserveCapacity(32)
    }

    /// Walks the part and returns its top-level blocks.
    mutating func walk(_ reader: XMLStreamReader, expectingRoot root: XMLLocalName) throws(ResumeParsingError)
        -> [ResumeDocument
        .Block]
    {
        var sawRoot = false
        while let kind = try reader.read() {
            switch kind {
            case .element:
                let namespace = reader.namespace
                let name = reader.localName
                if !sawRoot {
                    guard namespace == .wordprocessingML, name == root else {
                        throw ResumeParsingError(
                            code: .missingMainDocument,
                            message: "The part \(partName) is not a WordprocessingML \(root.string) part.",
                            partName: partName
                        )
                    }
                    sawRoot = true
                }
                let isEmpty = reader.isEmptyElement
                let descend = try startElement(namespace, name, isEmpty: isEmpty, reader: reader)
                if !descend {
                    if !isEmpty { try reader.skipElement() }
                } else if isEmpty {
                    // No end-element node follows an empty element: close it now.
                    frames.append(Frame(namespace: namespace, name: name))
                    try endElement()
                } else {
                    frames.append(Frame(namespace: namespace, name: name))
                }
            case .endElement:
                try endElement()
            case .text:
                guard let top = frames.last, top.name == .t else { continue }
                if top.namespace == .wordprocessingML {
                    guard frames.count >= 2, frames[frames.count - 2].name == .r else { continue }
                } else if top.namespace != .math {
                    continue
                }
                if hiddenRuns.last == true {
                    session.diagnostics.hiddenCharacterCount += reader.text.count
                    continue
                }
                guard !paragraphs.isEmpty else { continue }
                if pendingCustomMark {
                    pendingCustomMark = false
                }
                let count = reader.appendText(to: &paragraphs[paragraphs.count - 1].bytes)
                try session.consumeText(count, partName: partName)
            case .other:
                continue
            }
        }
        guard sawRoot else {
            throw ResumeParsingError(
                code: .missingMainDocument,
                message: "The part \(partName) holds no content.",
                partName: partName
            )
        }
        // Close anything a truncated part left open.
        while let paragraph = paragraphs.popLast() {
            try finish(paragraph)
        }
        return containers.first?.blocks ?? []
    }

    // MARK: Elements

    private var parent: Frame? { frames.last }

    private func parentIs(_ name: XMLLocalName) -> Bool {
        guard let parent = frames.last else { return false }
        return parent.namespace == .wordprocessingML && parent.name == name
    }

    private func grandparentIs(_ name: XMLLocalName) -> Bool {
        guard frames.count >= 2 else { return false }
        let frame = frames[frames.count - 2]
        return frame.namespace == .wordprocessingML && frame.name == name
    }

    /// Handles a start tag; returns `false` when the element and its content are to be skipped.
    private mutating func startElement(
        _ namespace: XMLNamespace,
        _ name: XMLLocalName,
        isEmpty: Bool,
        reader: XMLStreamReader
    ) throws(ResumeParsingError) -> Bool {
        switch namespace {
        case .wordprocessingML:
            return try startWordElement(name, isEmpty: isEmpty, reader: reader)
        case .markupCompatibility:
            switch name {
            case .alternateContent:
                if !isEmpty { alternateContent.append(false) }
                return true
            case .choice:
                // Take the first choice only; a second choice or the fallback repeats the same content.
                guard let taken = alternateContent.last, !taken else { return false }
                alternateContent[alternateContent.count - 1] = true
                return true
            case .fallback:
                return alternateContent.last == false
            default:
                return true
            }
        case .vml:
            if name == .imagedata { session.diagnostics.imageCount += 1 }
            return true
        case .drawingML:
            if name == .blip { session.diagnostics.imageCount += 1 }
            return true
        default:
            return true
        }
    }

    private mutating func startWordElement(
        _ name: XMLLocalName,
        isEmpty: Bool,
        reader: XMLStreamReader
    ) throws(ResumeParsingError) -> Bool {
        switch name {
        case .p:
            var paragraph = ParagraphBuilder()
            paragraph.index = paragraphCount
            paragraphCount += 1
            switch containers.last?.kind {
            case .textBox?: paragraph.container = .textBox
            case .cell?: paragraph.container = .tableCell
            default: paragraph.container = partContainer
            }
            paragraphs.append(paragraph)
        case .r:
            hiddenRuns.append(paragraphs.last?.styleIsHidden ?? false)
        case .t:
            return true
        case .tab, .ptab:
            if parentIs(.r) { try appendLiteral(0x09) }
        case .br, .cr:
            if parentIs(.r) { try appendLiteral(0x0A) }
        case .noBreakHyphen:
            if parentIs(.r) { try appendLiteral(0x2D) }
        case .softHyphen:
            break
        case .sym:
            if parentIs(.r), let character = Self.symbol(char: reader.attribute("char"), font: reader.attribute("font"))
            {
                try appendText(String(character))
            }
        case .del, .moveFrom:
            if parentIs(.trPr) {
                if !tables.isEmpty { tables[tables.count - 1].rowIsDeleted = true }
                return true
            }
            if parentIs(.rPr) { return true }
            session.diagnostics.trackedChangesAccepted += 1
            return false
        case .ins, .moveTo:
            if !parentIs(.rPr) && !parentIs(.trPr) { session.diagnostics.trackedChangesAccepted += 1 }
        case .instrText, .delInstrText, .delText:
            return false
        case .rPrChange, .pPrChange, .sectPrChange, .tblPrChange, .trPrChange, .tcPrChange, .tblGridChange,
            .numberingChange:
            return false
        case .sectPr, .tblPr, .tblGrid, .tcPr, .sdtPr, .sdtEndPr, .smartTagPr, .customXmlPr:
            return false
        case .rPr:
            // The paragraph mark's run properties do not apply to any text.
            if parentIs(.pPr) { return false }
        case .vanish:
            if parentIs(.rPr) && grandparentIs(.r) && !hiddenRuns.isEmpty {
                hiddenRuns[hiddenRuns.count - 1] = OnOff.isOn(reader.attribute("val"))
            }
        case .rStyle:
            if parentIs(.rPr) && grandparentIs(.r) && !hiddenRuns.isEmpty,
                let style = reader.attribute("val"), try session.isHiddenCharacterStyle(style)
            {
                hiddenRuns[hiddenRuns.count - 1] = true
            }
        case .pStyle:
            if parentIs(.pPr) && !paragraphs.isEmpty, let styleID = reader.attribute("val") {
                paragraphs[paragraphs.count - 1].styleID = styleID
                paragraphs[paragraphs.count - 1].styleIsHidden = try session.paragraphStyle(styleID).isHidden
            }
        case .numId:
            if parentIs(.numPr) && !paragraphs.isEmpty {
                paragraphs[paragraphs.count - 1].numberingID = reader.attribute("val").flatMap { Int($0) }
            }
        case .ilvl:
            if parentIs(.numPr) && !paragraphs.isEmpty {
                paragraphs[paragraphs.count - 1].numberingLevel = reader.attribute("val").flatMap { Int($0) }
            }
        case .outlineLvl:
            if parentIs(.pPr) && !paragraphs.isEmpty {
                paragraphs[paragraphs.count - 1].outlineLevel = reader.attribute("val").flatMap { Int($0) }
            }
        case .footnoteReference, .endnoteReference:
            if parentIs(.r), let id = reader.attribute("id") {
                let mark = session.noteMark(id: id, isEndnote: name == .endnoteReference)
                if OnOff.isOn(reader.attribute("customMarkFollows")) && reader.attribute("customMarkFollows") != nil {
                    pendingCustomMark = true
                } else if hiddenRuns.last != true {
                    try appendText("[\(mark)]")
                }
            }
        case .tbl:
            tables.append(TableBuilder())
            session.diagnostics.tableCount += 1
        case .tr:
            if !tables.isEmpty {
                tables[tables.count - 1].inRow = true
                tables[tables.count - 1].rowIsDeleted = false
                tables[tables.count - 1].cells = []
                tables[tables.count - 1].sourceCells = []
            }
        case .tc:
            containers.append(Container(kind: .cell))
        case .txbxContent:
            session.diagnostics.textBoxCount += 1
            containers.append(Container(kind: .textBox))
        case .footnote, .endnote:
            let type = reader.attribute("type")
            if type == "separator" || type == "continuationSeparator" || type == "continuationNotice" {
                return false
            }
            containers.append(Container(kind: .note(id: reader.attribute("id") ?? "")))
        default:
            break
        }
        return true
    }

    private mutating func endElement() throws(ResumeParsingError) {
        guard let frame = frames.popLast() else { return }
        guard frame.namespace == .wordprocessingML else {
            if frame.namespace == .markupCompatibility && frame.name == .alternateContent {
                _ = alternateContent.popLast()
            }
            return
        }
        switch frame.name {
        case .p:
            if let paragraph = paragraphs.popLast() { try finish(paragraph) }
        case .r:
            _ = hiddenRuns.popLast()
        case .tr:
            guard !tables.isEmpty else { return }
            let table = tables[tables.count - 1]
            if !table.rowIsDeleted {
                tables[tables.count - 1].rows.append(ResumeDocument.Table.Row(cells: table.cells))
                tables[tables.count - 1].sourceRows.append(table.sourceCells)
            }
            tables[tables.count - 1].cells = []
            tables[tables.count - 1].sourceCells = []
            tables[tables.count - 1].inRow = false
        case .tc:
            guard containers.count > 1, let cell = containers.popLast() else { return }
            if !tables.isEmpty {
                tables[tables.count - 1].cells.append(ResumeDocument.Table.Cell(blocks: cell.blocks))
                tables[tables.count - 1].sourceCells.append(cell.sources)
            } else {
                containers[containers.count - 1].blocks.append(contentsOf: cell.blocks)
                containers[containers.count - 1].sources.append(contentsOf: cell.sources)
            }
        case .tbl:
            guard let table = tables.popLast() else { return }
            var rows = table.rows
            var sourceRows = table.sourceRows
            if table.inRow && !table.cells.isEmpty {
                rows.append(ResumeDocument.Table.Row(cells: table.cells))
                sourceRows.append(table.sourceCells)
            }
            if rows.contains(where: { $0.cells.contains { !$0.blocks.isEmpty } }) {
                emit(.table(ResumeDocument.Table(rows: rows)), source: .table(sourceRows))
            }
        case .txbxContent:
            guard containers.count > 1, let box = containers.popLast() else { return }
            if paragraphs.isEmpty {
                containers[containers.count - 1].blocks.append(contentsOf: box.blocks)
                containers[containers.count - 1].sources.append(contentsOf: box.sources)
            } else {
                paragraphs[paragraphs.count - 1].floatingBlocks.append(contentsOf: box.blocks)
                paragraphs[paragraphs.count - 1].floatingSources.append(contentsOf: box.sources)
            }
        case .footnote, .endnote:
            guard containers.count > 1, let note = containers.popLast() else { return }
            if case .note(let id) = note.kind {
                notes[id] = note.blocks
                noteSources[id] = note.sources
            }
        default:
            return
        }
    }

    // MARK: Text

    private mutating func appendLiteral(_ byte: UInt8) throws(ResumeParsingError) {
        guard !paragraphs.isEmpty else { return }
        if hiddenRuns.last == true {
            session.diagnostics.hiddenCharacterCount += 1
            return
        }
        paragraphs[paragraphs.count - 1].bytes.append(byte)
        try session.consumeText(1, partName: partName)
    }

    private mutating func appendText(_ text: String) throws(ResumeParsingError) {
        guard !paragraphs.isEmpty else { return }
        if hiddenRuns.last == true {
            session.diagnostics.hiddenCharacterCount += text.count
            return
        }
        paragraphs[paragraphs.count - 1].bytes.append(contentsOf: text.utf8)
        try session.consumeText(text.utf8.count, partName: partName)
    }

    private mutating func emit(_ block: ResumeDocument.Block, source: BlockSource) {
        containers[containers.count - 1].blocks.append(block)
        containers[containers.count - 1].sources.append(source)
    }

    private mutating func finish(_ paragraph: ParagraphBuilder) throws(ResumeParsingError) {
        let text = String(decoding: paragraph.bytes, as: UTF8.self)
        var headingLevel: Int?
        if let level = paragraph.outlineLevel, level >= 0, level < 9 { headingLevel = level + 1 }
        var numberingID = paragraph.numberingID
        var numberingLevel = paragraph.numberingLevel
        if let styleID = paragraph.styleID {
            let style = try session.paragraphStyle(styleID)
            if headingLevel == nil { headingLevel = style.headingLevel }
            if numberingID == nil {
                numberingID = style.numberingID
                if numberingLevel == nil { numberingLevel = style.numberingLevel }
            }
        }
        let hasText = paragraph.bytes.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A }
        var marker: String?
        if let numberingID {
            marker = try session.nextListMarker(numberingID: numberingID, level: numberingLevel ?? 0)
        }
        if hasText {
            session.diagnostics.paragraphCount += 1
            let source = BlockSource.paragraph(
                ResumeDocument.ParagraphAddress(
                    partName: partName,
                    index: paragraph.index,
                    container: paragraph.container
                )
            )
            if let marker {
                emit(.listItem(text: text, level: min(max(numberingLevel ?? 0, 0), 8), marker: marker), source: source)
            } else if let headingLevel {
                emit(.heading(text: text, level: headingLevel), source: source)
            } else {
                emit(.paragraph(text: text), source: source)
            }
        }
        for (block, source) in zip(paragraph.floatingBlocks, paragraph.floatingSources) {
            emit(block, source: source)
        }
    }

    // MARK: Symbols

    /// Maps `w:sym` to a character: real Unicode code points as they are; the private-use range of the
    /// Symbol and Wingdings fonts through their common characters.
    static func symbol(char: String?, font: String?) -> Character? {
        guard let char, let value = UInt32(char, radix: 16) else { return nil }
        var code = value
        if value >= 0xF000 && value <= 0xF0FF {
            code = value - 0xF000
        } else if value < 0xE000 || value > 0xF8FF {
            return Unicode.Scalar(value).map(Character.init)
        }
        let font = font?.lowercased() ?? ""
        if font.hasPrefix("wingdings") {
            switch code {
            case 0x28: return "☎"
            case 0x2A: return "✉"
            case 0x6C: return "●"
            case 0x6E, 0xA7: return "▪"
            case 0x71: return "❑"
            case 0x76: return "❖"
            case 0x9F, 0x9E: return "•"
            case 0xA8: return "◻"
            case 0xD8: return "➢"
            case 0xE0: return "→"
            case 0xE8: return "➔"
            case 0xFB: return "✗"
            case 0xFC: return "✓"
            case 0xFE: return "☑"
            default: return "•"
            }
        }
        if font == "symbol" {
            switch code {
            case 0xB7: return "•"
            case 0xA7: return "♣"
            case 0xA8: return "♦"
            case 0xA9: return "♥"
            case 0xAA: return "♠"
            case 0xAE: return "→"
            case 0xB0: return "°"
            case 0xB1: return "±"
            case 0xB4: return "×"
            case 0xD7: return "·"
            case 0x20..<0x7F:
                let greek = Array("ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ")
                let lower = Array("αβχδεφγηιϕκλμνοπθρστυϖωξψζ")
                if code >= 0x41 && code <= 0x5A { return greek[Int(code - 0x41)] }
                if code >= 0x61 && code <= 0x7A { return lower[Int(code - 0x61)] }
                return Unicode.Scalar(code).map(Character.init)
            default: return nil
            }
        }
        if code >= 0x20 && code < 0x7F { return Unicode.Scalar(code).map(Character.init) }
        return nil
    }
}
