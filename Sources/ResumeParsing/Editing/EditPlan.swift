import Foundation

/// The edits of one document: which paragraphs of the main part are rewritten, removed or added, decided
/// from the alignment of the document's lines with the new text; then the new part's bytes.
struct EditPlan {
    private enum Replacement {
        case rewrite(String)
        case remove
    }

    private struct Insertion {
        var template: Int?
        var text: String
        var isMove: Bool
    }

    private let document: ResumeDocument
    private let markup: WordprocessingMarkup
    private let mainPart: String
    /// The tags rewritten paragraphs are written with, for the document's prefix.
    private let tags: WrittenTags
    private let spans: [Int: WordprocessingMarkup.ParagraphSpan]
    private var analysed: [Int: Result<EditableParagraph, EditableParagraph.Problem>] = [:]
    /// For each paragraph of the main part shown in the text: its line and its source.
    private var lineOfParagraph: [Int: (line: Int, source: ResumeDocument.Line.Source)] = [:]
    private var replacements: [Int: Replacement] = [:]
    private var insertionsAfter: [Int: [Insertion]] = [:]
    private var insertionsBefore: [Int: [Insertion]] = [:]
    private(set) var report = DocxEditReport()

    var hasEdits: Bool { !replacements.isEmpty || !insertionsAfter.isEmpty || !insertionsBefore.isEmpty }

    init(document: ResumeDocument, markup: WordprocessingMarkup, mainPart: String) {
        self.document = document
        self.markup = markup
        self.mainPart = mainPart
        tags = WrittenTags(prefix: markup.prefix)
        var spans: [Int: WordprocessingMarkup.ParagraphSpan] = [:]
        for span in markup.paragraphs { spans[span.index] = span }
        self.spans = spans
        for (lineIndex, line) in document.lines.enumerated() {
            for source in line.sources where source.address.partName == mainPart {
                if lineOfParagraph[source.address.index] == nil {
                    lineOfParagraph[source.address.index] = (lineIndex, source)
                }
            }
        }
    }

    // MARK: Deciding

    mutating func align(newText: String) {
        // Lines end at LF or CR LF (a lone CR stays in its line).
        let newLines = newText.linesDroppingCarriageReturns()
        let originalLines = document.lines.map(\.text)
        let steps = LineAlignment.align(original: originalLines, new: newLines)
        // A moved line's paragraph goes first, wherever the line went: the copy then clones it, and a line
        // whose paragraph cannot go (a field, a text box…) stays where it was and is not added again.
        var removedFirst = Set<Int>()
        var unmovable = Set<Int>()
        for step in steps {
            guard case .add(_, let movedFrom?) = step, removedFirst.insert(movedFrom).inserted else { continue }
            if !remove(line: movedFrom) { unmovable.insert(movedFrom) }
        }
        var anchor: Int?
        var pending: [(line: Int, movedFrom: Int?)] = []
        for step in steps {
            switch step {
            case .keep(let original, _):
                anchor = anchorParagraph(ofLine: original) ?? anchor
            case .change(let original, let new):
                if document.lines[original].sources.isEmpty
                    && document.lines[original].text.allSatisfy(\.isWhitespace)
                {
                    if let anchor {
                        add(newLines[new], line: new, movedFrom: nil, after: anchor)
                    } else {
                        pending.append((new, nil))
                    }
                } else {
                    change(line: original, to: newLines[new], newLine: new)
                }
                anchor = anchorParagraph(ofLine: original) ?? anchor
            case .remove(let original):
                if !removedFirst.contains(original) { remove(line: original) }
                anchor = anchorParagraph(ofLine: original) ?? anchor
            case .add(let new, let movedFrom):
                if let movedFrom, unmovable.contains(movedFrom) { continue }
                if let anchor {
                    add(newLines[new], line: new, movedFrom: movedFrom, after: anchor)
                } else {
                    pending.append((new, movedFrom))
                }
            }
        }
        if !pending.isEmpty {
            var first: Int?
            for line in document.lines.indices {
                if let paragraph = anchorParagraph(ofLine: line) {
                    first = paragraph
                    break
                }
            }
            for (line, movedFrom) in pending where !newLines[line].allSatisfy(\.isWhitespace) {
                guard let first else {
                    refuse(.noPlaceForLine, nil, line: line, "No body paragraph is near the added line \(line + 1).")
                    continue
                }
                if let insertion = insertion(newLines[line], line: line, movedFrom: movedFrom, template: first) {
                    insertionsBefore[first, default: []].append(insertion)
                }
            }
        }
    }

    /// The paragraph after which a line added after this one goes.
    private func anchorParagraph(ofLine line: Int) -> Int? {
        document.lines[line].sources.last(where: { source in
            guard source.address.partName == mainPart, source.address.container != .textBox,
                let span = spans[source.address.index]
            else { return false }
            return !span.inTextBox && !span.inAlternateContent
        })?.address.index
    }

    private mutating func refuse(
        _ reason: DocxEditReport.Refusal.Reason,
        _ address: ResumeDocument.ParagraphAddress?,
        line: Int?,
        _ message: String
    ) {
        report.refusals.append(.init(reason: reason, address: address, line: line, message: message))
    }

    private static func describe(_ reason: DocxEditReport.Refusal.Reason, element: String) -> String {
        switch reason {
        case .field: "holds a field (\(element))"
        case .pictureOrTextBox: "holds a picture or text box (\(element))"
        case .textBox: "is inside a text box"
        case .alternateContent: "holds alternate content (\(element))"
        case .contentControl: "is or holds a content control"
        case .existingTrackedChange: "already holds tracked changes (\(element))"
        case .comment: "holds a comment"
        case .hiddenText: "holds hidden text"
        case .lineBreak: "holds a line break"
        case .noteReference: "holds a note reference"
        case .symbol: "holds a symbol character"
        default: "holds markup the editor does not rewrite (\(element))"
        }
    }

    /// The paragraph analysed, or the refusal recorded and `nil`.
    private mutating func editable(
        _ source: ResumeDocument.Line.Source,
        line: Int?
    ) -> EditableParagraph? {
        let address = source.address
        // Only a refusal needs it: most paragraphs are edited without one.
        func position() -> String { "Paragraph \(address.index + 1) of \(address.partName)" }
        guard address.partName == mainPart else {
            refuse(
                .notInBody,
                address,
                line: line,
                "\(position()) is in a header, footer or note; it was left as it was."
            )
            return nil
        }
        guard !source.text.containsByte(0x0A) else {
            refuse(.lineBreak, address, line: line, "\(position()) holds a line break; it was left as it was.")
            return nil
        }
        guard let span = spans[address.index] else {
            refuse(
                .textMismatch,
                address,
                line: line,
                "\(position()) could not be found in the markup; it was left as it was."
            )
            return nil
        }
        if span.inTextBox || address.container == .textBox {
            refuse(.textBox, address, line: line, "\(position()) is inside a text box; it was left as it was.")
            return nil
        }
        if span.inAlternateContent {
            refuse(
                .alternateContent,
                address,
                line: line,
                "\(position()) is inside alternate content; it was left as it was."
            )
            return nil
        }
        if span.inBoundContentControl {
            refuse(
                .contentControl,
                address,
                line: line,
                "\(position()) is inside a content control bound to data; it was left as it was."
            )
            return nil
        }
        if span.holdsParagraphs {
            refuse(.pictureOrTextBox, address, line: line, "\(position()) holds a text box; it was left as it was.")
            return nil
        }
        let result =
            analysed[address.index]
            ?? Result { () throws(EditableParagraph.Problem) in
                try EditableParagraph(span: span, markup: markup)
            }
        analysed[address.index] = result
        switch result {
        case .success(let paragraph):
            guard paragraph.text == source.text else {
                refuse(
                    .textMismatch,
                    address,
                    line: line,
                    "\(position()) does not read as its markup says (hidden or styled text); it was left as it was."
                )
                return nil
            }
            return paragraph
        case .failure(.refused(let reason, let element)):
            refuse(
                reason,
                address,
                line: line,
                "\(position()) \(Self.describe(reason, element: element)); it was left as it was."
            )
            return nil
        }
    }

    private mutating func change(line: Int, to newLine: String, newLine newIndex: Int) {
        let original = document.lines[line]
        guard !original.sources.isEmpty else {
            refuse(
                .textMismatch,
                nil,
                line: newIndex,
                "Line \(line + 1) of the document is not tied to a paragraph; it was left as it was."
            )
            return
        }
        var targets: [(ResumeDocument.Line.Source, String)] = []
        if original.sources.count == 1 {
            targets = [
                (original.sources[0], Self.paragraphText(of: newLine, line: original, source: original.sources[0]))
            ]
        } else {
            let cells = newLine.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == original.sources.count else {
                refuse(
                    .tableRowShape,
                    original.sources[0].address,
                    line: newIndex,
                    "A table row changed its number of cells; it was left as it was."
                )
                return
            }
            targets = Array(zip(original.sources, cells))
        }
        for (source, text) in targets where text != source.text {
            guard editable(source, line: newIndex) != nil else { continue }
            if text.allSatisfy(\.isWhitespace) {
                replacements[source.address.index] = .remove
                report.removedParagraphs += 1
            } else {
                replacements[source.address.index] = .rewrite(text)
                report.changedParagraphs += 1
            }
        }
    }

    /// Removes the paragraphs of a line; returns whether the whole line went.
    @discardableResult
    private mutating func remove(line: Int) -> Bool {
        let original = document.lines[line]
        if original.sources.isEmpty {
            if !original.text.allSatisfy(\.isWhitespace) {
                refuse(
                    .textMismatch,
                    nil,
                    line: nil,
                    "Line \(line + 1) of the document is not tied to a paragraph; it was kept."
                )
                return false
            }
            return true
        }
        var removedAll = true
        for source in original.sources where replacements[source.address.index] == nil {
            guard editable(source, line: nil) != nil else {
                removedAll = false
                continue
            }
            replacements[source.address.index] = .remove
            report.removedParagraphs += 1
        }
        return removedAll
    }

    private mutating func add(_ text: String, line: Int, movedFrom: Int?, after anchor: Int) {
        guard !text.allSatisfy(\.isWhitespace) else { return }
        if let insertion = insertion(text, line: line, movedFrom: movedFrom, template: anchor) {
            insertionsAfter[anchor, default: []].append(insertion)
        }
    }

    private mutating func insertion(_ text: String, line: Int, movedFrom: Int?, template anchor: Int) -> Insertion? {
        var template = self.template(for: text, near: anchor)
        var isMove = false
        if let movedFrom, document.lines[movedFrom].sources.count == 1,
            let source = document.lines[movedFrom].sources.first, source.address.partName == mainPart,
            case .success? = analysed[source.address.index]
        {
            template = source.address.index
            isMove = true
        }
        var paragraphText = text
        if let (lineIndex, source) = lineOfParagraph[template] {
            paragraphText = Self.paragraphText(of: text, line: document.lines[lineIndex], source: source)
        }
        if analysed[template] == nil, let span = spans[template] {
            analysed[template] = Result { () throws(EditableParagraph.Problem) in
                try EditableParagraph(span: span, markup: markup)
            }
        }
        report.addedParagraphs += 1
        return Insertion(template: template, text: paragraphText, isMove: isMove)
    }

    /// The paragraph whose properties an added line takes: the one it follows, unless that one is a list item
    /// and the line is not (or the reverse) and a body paragraph a few lines away matches the line.
    private func template(for text: String, near anchor: Int) -> Int {
        guard let (anchorLine, _) = lineOfParagraph[anchor], spans[anchor]?.parent == "body" else { return anchor }
        func isListItem(_ line: Int) -> Bool {
            let line = document.lines[line]
            return line.sources.count == 1 && line.text.count > line.sources[0].text.count
        }
        let wantsList = LineAlignment.hasListMarker(text)
        guard isListItem(anchorLine) != wantsList else { return anchor }
        for distance in 1...4 {
            for candidate in [anchorLine + distance, anchorLine - distance]
            where document.lines.indices.contains(candidate) && document.lines[candidate].sources.count == 1 {
                guard let paragraph = anchorParagraph(ofLine: candidate), spans[paragraph]?.parent == "body" else {
                    continue
                }
                if isListItem(candidate) == wantsList { return paragraph }
            }
        }
        return anchor
    }

    /// The new text of a paragraph shown on `line`: the line without the list indentation and marker.
    static func paragraphText(of newLine: String, line: ResumeDocument.Line, source: ResumeDocument.Line.Source)
        -> String
    {
        guard line.sources.count == 1, let prefix = Self.prefix(of: line.text, before: source.text) else {
            return newLine
        }
        if newLine.hasPrefix(prefix) { return String(newLine.dropFirst(prefix.count)) }
        var rest = Substring(newLine).drop { $0 == " " || $0 == "\t" }
        if let space = rest.firstIndex(of: " ") {
            let marker = rest[..<space]
            let isSymbol = marker.allSatisfy { !$0.isLetter && !$0.isNumber }
            let isNumbered =
                marker.count <= 5 && (marker.last == "." || marker.last == ")")
                && marker.dropLast().allSatisfy { $0.isLetter || $0.isNumber }
            if isSymbol || isNumbered {
                rest = rest[space...].drop { $0 == " " }
            }
        }
        return String(rest)
    }

    /// `text` without `suffix`, when `text` ends with it and holds more (as `hasSuffix` and `count` tell);
    /// else `nil`. The bytes are compared first: a paragraph's line ends with the very bytes of its text,
    /// and comparing characters from the end costs more than the rest of reading the line.
    static func prefix(of text: String, before suffix: String) -> String? {
        let bytes = text.utf8
        let suffixBytes = suffix.utf8
        if bytes.count > suffixBytes.count {
            let start = bytes.index(bytes.endIndex, offsetBy: -suffixBytes.count)
            if bytes[start...].elementsEqual(suffixBytes), let boundary = start.samePosition(in: text) {
                return String(text[..<boundary])
            }
        }
        guard text.hasSuffix(suffix), text.count > suffix.count else { return nil }
        return String(text.dropLast(suffix.count))
    }

    // MARK: Writing

    func render(tracked stamp: RevisionStamp?) -> [UInt8] {
        let bytes = markup.bytes
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 4096)
        let affected = Set(replacements.keys).union(insertionsAfter.keys).union(insertionsBefore.keys)
            .compactMap { spans[$0] }.sorted { $0.start < $1.start }
        var cursor = 0
        for span in affected where span.start >= cursor {
            output.append(contentsOf: bytes[cursor..<span.start])
            for insertion in insertionsBefore[span.index] ?? [] {
                renderInsertion(insertion, stamp: stamp, into: &output)
            }
            switch replacements[span.index] {
            case .rewrite(let text)?:
                if case .success(let paragraph)? = analysed[span.index] {
                    let pieces = WordDiff.pieces(from: paragraph, to: text)
                    renderParagraph(
                        paragraph,
                        startTag: Array(bytes[paragraph.startTag]),
                        properties: paragraph.properties.map { Array(bytes[$0]) },
                        pieces: pieces,
                        marks: paragraph.marks,
                        stamp: stamp,
                        into: &output
                    )
                } else {
                    output.append(contentsOf: bytes[span.start..<span.end])
                }
            case .remove?:
                if case .success(let paragraph)? = analysed[span.index] {
                    renderRemoval(paragraph, stamp: stamp, into: &output)
                } else {
                    output.append(contentsOf: bytes[span.start..<span.end])
                }
            case nil:
                output.append(contentsOf: bytes[span.start..<span.end])
            }
            for insertion in insertionsAfter[span.index] ?? [] {
                renderInsertion(insertion, stamp: stamp, into: &output)
            }
            cursor = span.end
        }
        output.append(contentsOf: bytes[cursor...])
        return output
    }

    private var w: String { markup.prefix }

    private func renderRemoval(_ paragraph: EditableParagraph, stamp: RevisionStamp?, into output: inout [UInt8]) {
        let bytes = markup.bytes
        let removable = canRemove(paragraph)
        let properties = paragraph.properties.map { Array(bytes[$0]) }
        if let stamp {
            let pieces = paragraph.characters.indices.map {
                WordDiff.Piece(text: String(paragraph.characters[$0]), run: paragraph.characterRuns[$0], kind: .deleted)
            }
            renderParagraph(
                paragraph,
                startTag: Array(bytes[paragraph.startTag]),
                properties: removable ? marked(properties, as: "del", stamp: stamp) : properties,
                pieces: Self.merged(pieces),
                marks: paragraph.marks,
                stamp: stamp,
                into: &output
            )
        } else if removable {
            // The paragraph goes; its bookmarks stay, so that ranges that span it stay paired.
            for mark in paragraph.marks { output.append(contentsOf: bytes[mark.bytes]) }
        } else {
            output.append(contentsOf: bytes[paragraph.startTag])
            if let properties { output.append(contentsOf: properties) }
            for mark in paragraph.marks { output.append(contentsOf: bytes[mark.bytes]) }
            output.append(contentsOf: "</\(w)p>".utf8)
        }
    }

    private static func merged(_ pieces: [WordDiff.Piece]) -> [WordDiff.Piece] {
        var result: [WordDiff.Piece] = []
        for piece in pieces {
            if let last = result.last, last.run == piece.run, last.kind == piece.kind {
                result[result.count - 1].text.append(piece.text)
            } else {
                result.append(piece)
            }
        }
        return result
    }

    /// Whether the paragraph can go without changing the document's structure: it is directly in the
    /// body, ends no section, is not the last block, and does not separate two tables.
    private func canRemove(_ paragraph: EditableParagraph) -> Bool {
        let bytes = markup.bytes
        guard paragraph.span.parent == "body" else { return false }
        if let properties = paragraph.properties,
            MarkupScanner(bytes: bytes).hasPrefix(in: properties, "<\(w)sectPr")
        {
            return false
        }
        var next = paragraph.span.end
        while next < bytes.count,
            bytes[next] == 0x20 || bytes[next] == 0x0A || bytes[next] == 0x0D || bytes[next] == 0x09
        {
            next += 1
        }
        let scanner = MarkupScanner(bytes: bytes)
        if scanner.hasPrefix("</\(w)body", at: next) || scanner.hasPrefix("<\(w)sectPr", at: next) { return false }
        var previous = paragraph.span.start
        while previous > 0,
            bytes[previous - 1] == 0x20 || bytes[previous - 1] == 0x0A || bytes[previous - 1] == 0x0D
                || bytes[previous - 1] == 0x09
        {
            previous -= 1
        }
        let closingTable = Array("</\(w)tbl>".utf8)
        if previous >= closingTable.count, scanner.hasPrefix(closingTable, at: previous - closingTable.count),
            scanner.hasPrefix("<\(w)tbl", at: next)
        {
            return false
        }
        return true
    }

    private func renderInsertion(_ insertion: Insertion, stamp: RevisionStamp?, into output: inout [UInt8]) {
        let bytes = markup.bytes
        var template: EditableParagraph?
        if let index = insertion.template, case .success(let paragraph)? = analysed[index] { template = paragraph }
        var properties: [UInt8]?
        if let index = insertion.template, let span = spans[index] {
            properties =
                template?.properties.map { Array(bytes[$0]) }
                ?? Self.propertiesRange(of: span, in: markup).map { Array(bytes[$0]) }
        }
        properties = properties.map(cleaned)
        if let stamp { properties = marked(properties, as: "ins", stamp: stamp) }
        var pieces: [WordDiff.Piece]
        if insertion.isMove, let template {
            pieces = WordDiff.pieces(from: template, to: insertion.text).filter { $0.kind != .deleted }.map {
                WordDiff.Piece(text: $0.text, run: $0.run, kind: .inserted)
            }
        } else {
            pieces = [WordDiff.Piece(text: insertion.text, run: template?.characterRuns.first, kind: .inserted)]
        }
        if stamp == nil { pieces = pieces.map { WordDiff.Piece(text: $0.text, run: $0.run, kind: .kept) } }
        renderParagraph(
            template,
            startTag: Array("<\(w)p>".utf8),
            properties: properties,
            pieces: Self.merged(pieces),
            marks: [],
            stamp: stamp,
            into: &output
        )
    }

    static func propertiesRange(of span: WordprocessingMarkup.ParagraphSpan, in markup: WordprocessingMarkup) -> Range<
        Int
    >? {
        var scanner = MarkupScanner(bytes: markup.bytes, from: span.start)
        _ = scanner.next()
        while let token = scanner.next(), token.start < span.end {
            if token.kind == .other { continue }
            guard markup.localName(token, in: scanner) == "pPr" else { return nil }
            if token.kind == .start { scanner.skipElement() }
            return token.start..<scanner.position
        }
        return nil
    }

    /// Paragraph properties for a copy: without the section break, the property-change history and the
    /// paragraph mark's own revision (each would repeat a section or an id).
    private func cleaned(_ properties: [UInt8]) -> [UInt8] {
        let dropped: Set<Substring> = ["sectPr", "pPrChange", "rPrChange", "ins", "del", "moveFrom", "moveTo"]
        var scanner = MarkupScanner(bytes: properties)
        var output: [UInt8] = []
        output.reserveCapacity(properties.count)
        var depth = 0
        while let token = scanner.next() {
            if depth > 0, token.kind != .other, let local = markup.localName(token, in: scanner),
                dropped.contains(local)
            {
                if token.kind == .start { scanner.skipElement() }
                continue
            }
            if token.kind == .start { depth += 1 }
            if token.kind == .end { depth -= 1 }
            output.append(contentsOf: properties[token.start..<token.end])
        }
        return output
    }

    /// Paragraph properties whose paragraph mark is recorded as inserted or deleted.
    private func marked(_ properties: [UInt8]?, as kind: String, stamp: RevisionStamp) -> [UInt8] {
        let mark = "<\(w)\(kind)\(stamp.next())/>"
        guard let properties else { return Array("<\(w)pPr><\(w)rPr>\(mark)</\(w)rPr></\(w)pPr>".utf8) }
        var text = String(decoding: properties, as: UTF8.self)
        if text.hasSuffix("/>"), text.firstIndex(of: ">") == text.index(before: text.endIndex) {
            return Array("<\(w)pPr><\(w)rPr>\(mark)</\(w)rPr></\(w)pPr>".utf8)
        }
        if let empty = text.range(of: "<\(w)rPr/>") {
            text.replaceSubrange(empty, with: "<\(w)rPr>\(mark)</\(w)rPr>")
        } else if let open = text.range(of: "<\(w)rPr>") ?? text.range(of: "<\(w)rPr ") {
            let close = text[open.lowerBound...].firstIndex(of: ">")!
            text.insert(contentsOf: mark, at: text.index(after: close))
        } else {
            let end =
                text.range(of: "<\(w)sectPr")?.lowerBound ?? text.range(of: "<\(w)pPrChange")?.lowerBound
                ?? text.range(of: "</\(w)pPr>")?.lowerBound ?? text.endIndex
            text.insert(contentsOf: "<\(w)rPr>\(mark)</\(w)rPr>", at: end)
        }
        return Array(text.utf8)
    }

    private func renderParagraph(
        _ paragraph: EditableParagraph?,
        startTag: [UInt8],
        properties: [UInt8]?,
        pieces: [WordDiff.Piece],
        marks: [EditableParagraph.Mark],
        stamp: RevisionStamp?,
        into output: inout [UInt8]
    ) {
        let bytes = markup.bytes
        output.append(contentsOf: startTag)
        if let properties { output.append(contentsOf: properties) }
        var openContainer: Int?
        var oldOffset = 0
        var markIndex = 0
        func closeContainer() {
            if let open = openContainer, let paragraph {
                output.append(contentsOf: bytes[paragraph.containers[open].endTag])
            }
            openContainer = nil
        }
        func flushMarks(upTo offset: Int) {
            while markIndex < marks.count && marks[markIndex].offset <= offset {
                closeContainer()
                output.append(contentsOf: bytes[marks[markIndex].bytes])
                markIndex += 1
            }
        }
        for piece in pieces {
            if piece.kind != .inserted { flushMarks(upTo: oldOffset) }
            // Marks are placed by character offsets: counted only when there are marks.
            defer { if piece.kind != .inserted && !marks.isEmpty { oldOffset += piece.text.count } }
            if piece.kind == .deleted && stamp == nil { continue }
            let run = piece.run.flatMap { index in paragraph.map { $0.runs[index] } }
            if run?.container != openContainer {
                closeContainer()
                if let container = run?.container, let paragraph {
                    output.append(contentsOf: bytes[paragraph.containers[container].startTag])
                    openContainer = container
                }
            }
            let wrapper: WrittenTags.Pair? =
                stamp == nil
                ? nil : (piece.kind == .inserted ? tags.insertion : (piece.kind == .deleted ? tags.deletion : nil))
            if let wrapper, let stamp {
                output.append(contentsOf: wrapper.start)
                stamp.appendNext(to: &output)
                output.append(UInt8(ascii: ">"))
            }
            if let run {
                output.append(contentsOf: bytes[run.startTag])
                if let properties = run.properties { output.append(contentsOf: bytes[properties]) }
            } else {
                output.append(contentsOf: tags.run.start)
            }
            let isDeletedText = piece.kind == .deleted && stamp != nil
            for (offset, part) in piece.text.split(atASCII: "\t").enumerated() {
                if offset > 0 { output.append(contentsOf: tags.tab) }
                guard !part.isEmpty else { continue }
                output.append(contentsOf: isDeletedText ? tags.deletedText.start : tags.text.start)
                MarkupScanner.escape(part, into: &output)
                output.append(contentsOf: isDeletedText ? tags.deletedText.end : tags.text.end)
            }
            output.append(contentsOf: tags.run.end)
            if let wrapper { output.append(contentsOf: wrapper.end) }
        }
        flushMarks(upTo: Int.max)
        closeContainer()
        output.append(contentsOf: tags.paragraphEnd)
    }
}

/// The tags a rewritten paragraph is written with, as bytes, for the prefix the document gives the
/// WordprocessingML namespace.
private struct WrittenTags {
    /// An element's start and end tags.
    struct Pair {
        let start: [UInt8]
        let end: [UInt8]

        /// `<w:name attributes>` and `</w:name>`; an `open` start tag (`<w:ins`) waits for more attributes
        /// and its `>`.
        init(_ w: String, _ name: String, attributes: String = "", open: Bool = false) {
            start = Array("<\(w)\(name)\(attributes)\(open ? "" : ">")".utf8)
            end = Array("</\(w)\(name)>".utf8)
        }
    }

    let run: Pair
    let text: Pair
    let deletedText: Pair
    let insertion: Pair
    let deletion: Pair
    let tab: [UInt8]
    let paragraphEnd: [UInt8]

    init(prefix w: String) {
        run = Pair(w, "r")
        text = Pair(w, "t", attributes: " xml:space=\"preserve\"")
        deletedText = Pair(w, "delText", attributes: " xml:space=\"preserve\"")
        insertion = Pair(w, "ins", open: true)
        deletion = Pair(w, "del", open: true)
        tab = Array("<\(w)tab/>".utf8)
        paragraphEnd = Array("</\(w)p>".utf8)
    }
}
