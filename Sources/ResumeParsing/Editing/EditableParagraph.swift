/// One paragraph's markup understood well enough to rewrite its words: its properties, its runs with their
/// formatting and text, the containers (hyperlinks, smart tags, custom XML) around runs, and the range
/// marks (bookmarks, permissions) between them. Built only for paragraphs whose every element is one of
/// those; anything else is a ``DocxEditReport/Refusal``.
struct EditableParagraph {
    struct Run {
        /// The run's start tag (`<w:r …>`), as written.
        var startTag: Range<Int>
        /// The run properties (`<w:rPr>…</w:rPr>`), as written.
        var properties: Range<Int>?
        /// The container the run sits in, an index into ``EditableParagraph/containers``.
        var container: Int?
    }

    struct Container {
        var startTag: Range<Int>
        var endTag: Range<Int>
    }

    struct Mark {
        /// The number of characters of the paragraph's text before the mark.
        var offset: Int
        var bytes: Range<Int>
    }

    let span: WordprocessingMarkup.ParagraphSpan
    var startTag: Range<Int>
    var properties: Range<Int>?
    var runs: [Run] = []
    var containers: [Container] = []
    var marks: [Mark] = []
    /// The text, character by character, with the run each character belongs to.
    var characters: [Character] = []
    var characterRuns: [Int] = []
    /// The text as one string: the characters joined.
    private(set) var text = ""

    enum Problem: Error {
        case refused(DocxEditReport.Refusal.Reason, element: String)
    }

    /// Analyses the paragraph at `span`.
    init(span: WordprocessingMarkup.ParagraphSpan, markup: WordprocessingMarkup) throws(Problem) {
        self.span = span
        let w = markup.prefix
        var scanner = MarkupScanner(bytes: markup.bytes, from: span.start)
        guard let start = scanner.next(), start.kind == .start else {
            throw .refused(.unsupportedContent, element: "p")
        }
        startTag = start.start..<start.end
        var container: Int?
        while let token = scanner.next(), scanner.position <= span.end {
            if token.kind == .other { continue }
            let name = scanner.name(of: token)
            let local = markup.localName(token, in: scanner).map(String.init)
            if token.kind == .end {
                if local == "p" && container == nil { return }
                if let open = container, local == "hyperlink" || local == "smartTag" || local == "customXml" {
                    containers[open].endTag = token.start..<token.end
                    container = nil
                    continue
                }
                throw .refused(.unsupportedContent, element: String(name))
            }
            guard let local else {
                throw .refused(Self.reason(forForeign: name), element: String(name))
            }
            switch local {
            case "pPr" where container == nil && runs.isEmpty && properties == nil:
                if token.kind == .start { scanner.skipElement() }
                let range = token.start..<scanner.position
                for change in ["ins", "del", "moveFrom", "moveTo", "pPrChange", "rPrChange"]
                where scanner.hasPrefix(in: range, "<\(w)\(change)") && change != "pPrChange" {
                    throw .refused(.existingTrackedChange, element: change)
                }
                properties = range
            case "r":
                guard token.kind == .start else { continue }
                try readRun(token, container: container, scanner: &scanner, markup: markup)
            case "hyperlink", "smartTag", "customXml":
                guard container == nil else { throw .refused(.unsupportedContent, element: local) }
                if token.kind == .empty { continue }
                containers.append(Container(startTag: token.start..<token.end, endTag: token.end..<token.end))
                container = containers.count - 1
            case "smartTagPr", "customXmlPr":
                if token.kind == .start { scanner.skipElement() }
                guard let open = container else { throw .refused(.unsupportedContent, element: local) }
                // The container's properties belong with its start tag.
                containers[open].startTag = containers[open].startTag.lowerBound..<scanner.position
            case "proofErr":
                if token.kind == .start { scanner.skipElement() }
            case "bookmarkStart", "bookmarkEnd", "permStart", "permEnd":
                if token.kind == .start { scanner.skipElement() }
                marks.append(Mark(offset: characters.count, bytes: token.start..<scanner.position))
            case "ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
                "moveToRangeEnd":
                throw .refused(.existingTrackedChange, element: local)
            case "fldSimple":
                throw .refused(.field, element: local)
            case "sdt":
                throw .refused(.contentControl, element: local)
            case "commentRangeStart", "commentRangeEnd":
                throw .refused(.comment, element: local)
            default:
                throw .refused(.unsupportedContent, element: local)
            }
        }
        throw .refused(.unsupportedContent, element: "p")
    }

    /// What a run's properties are searched for, in the order of the bits ``readRun`` tests: a tracked
    /// change of the properties (bit 0), of the run (bits 1 to 4), hidden text (bits 5 to 7).
    private static let runPropertyNames = [
        "rPrChange", "ins", "del", "moveFrom", "moveTo", "vanish", "specVanish", "webHidden",
    ].map { Array($0.utf8) }

    private static func reason(forForeign name: Substring) -> DocxEditReport.Refusal.Reason {
        if name.hasSuffix(":AlternateContent") { return .alternateContent }
        if name.hasSuffix(":oMath") || name.hasSuffix(":oMathPara") { return .unsupportedContent }
        return .unsupportedContent
    }

    private mutating func readRun(
        _ start: MarkupScanner.Token,
        container: Int?,
        scanner: inout MarkupScanner,
        markup: WordprocessingMarkup
    ) throws(Problem) {
        let w = Array(markup.prefix.utf8)
        var run = Run(startTag: start.start..<start.end, properties: nil, container: container)
        let runIndex = runs.count
        var text = ""
        while let token = scanner.next() {
            if token.kind == .other { continue }
            let name = scanner.name(of: token)
            guard let local = markup.localName(token, in: scanner).map(String.init) else {
                throw .refused(Self.reason(forForeign: name), element: String(name))
            }
            if token.kind == .end {
                guard local == "r" else { throw .refused(.unsupportedContent, element: local) }
                break
            }
            switch local {
            case "rPr":
                if token.kind == .start { scanner.skipElement() }
                let range = token.start..<scanner.position
                let found = scanner.prefixedNames(in: range, prefix: w, among: Self.runPropertyNames)
                if found & 1 != 0 {
                    throw .refused(.existingTrackedChange, element: "rPrChange")
                }
                if found & 0b11110 != 0 {
                    throw .refused(.existingTrackedChange, element: "rPr")
                }
                if found & 0b1110_0000 != 0 {
                    throw .refused(.hiddenText, element: "vanish")
                }
                run.properties = range
            case "t":
                guard token.kind == .start else { continue }
                let contentStart = token.end
                var contentEnd = contentStart
                while let inner = scanner.next() {
                    if inner.kind == .end { break }
                    // Only character data: a comment, CDATA section or element inside is not expected.
                    guard inner.kind == .other, markup.bytes[inner.start] != UInt8(ascii: "<") else {
                        throw .refused(.unsupportedContent, element: "t")
                    }
                    contentEnd = inner.end
                }
                let piece = MarkupScanner.decodeEntities(markup.bytes[contentStart..<contentEnd])
                if piece.containsByte(0x0A) || piece.containsByte(0x0D) {
                    throw .refused(.unsupportedContent, element: "t")
                }
                text.append(piece)
            case "tab":
                if token.kind == .start { scanner.skipElement() }
                text.append("\t")
            case "lastRenderedPageBreak", "softHyphen":
                if token.kind == .start { scanner.skipElement() }
            case "br", "cr":
                throw .refused(.lineBreak, element: local)
            case "fldChar", "instrText", "delInstrText":
                throw .refused(.field, element: local)
            case "drawing", "pict", "object":
                throw .refused(.pictureOrTextBox, element: local)
            case "footnoteReference", "endnoteReference", "footnoteRef", "endnoteRef", "separator",
                "continuationSeparator":
                throw .refused(.noteReference, element: local)
            case "commentReference", "annotationRef":
                throw .refused(.comment, element: local)
            case "sym":
                throw .refused(.symbol, element: local)
            default:
                throw .refused(.unsupportedContent, element: local)
            }
        }
        runs.append(run)
        self.text.append(text)
        for character in text {
            characters.append(character)
            characterRuns.append(runIndex)
        }
    }
}
