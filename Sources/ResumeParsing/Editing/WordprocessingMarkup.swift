import Foundation

/// The paragraphs of one WordprocessingML part located by byte range, counted exactly as the reader
/// (``ContentWalker``) counts them, so that a ``ResumeDocument/ParagraphAddress`` finds its `w:p`.
struct WordprocessingMarkup {
    struct ParagraphSpan {
        var index: Int
        /// The bytes of the whole `w:p` element.
        var start: Int
        var end: Int
        /// The local name of the element holding the paragraph (`body`, `tc`, `sdtContent`, `txbxContent`…).
        var parent: String
        var inTextBox = false
        var inAlternateContent = false
        var inBoundContentControl = false
        var holdsParagraphs = false
    }

    let bytes: [UInt8]
    /// The WordprocessingML prefix with its colon (`w:`), or empty when it is the default namespace.
    let prefix: String
    private(set) var paragraphs: [ParagraphSpan] = []
    /// The largest `w:id` value in the part (revision ids of new edits start above it).
    private(set) var largestID = 0

    static let namespaces = [
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    ]
    static let compatibilityNamespace = "http://schemas.openxmlformats.org/markup-compatibility/2006"

    /// Indexes the part; `nil` when its root does not declare the WordprocessingML namespace.
    init?(bytes: [UInt8]) {
        self.bytes = bytes
        var scanner = MarkupScanner(bytes: bytes)
        var root: MarkupScanner.Token?
        while let token = scanner.next() {
            if token.kind == .start || token.kind == .empty {
                root = token
                break
            }
        }
        guard let root else { return nil }
        let declarations = Self.namespaceDeclarations(of: root, in: scanner)
        guard let wordPrefix = declarations.first(where: { Self.namespaces.contains($0.value) })?.key else {
            return nil
        }
        prefix = wordPrefix.isEmpty ? "" : wordPrefix + ":"
        let compatibility = declarations.first(where: { $0.value == Self.compatibilityNamespace })?.key
        index(compatibilityPrefix: compatibility.map { $0.isEmpty ? "" : $0 + ":" })
    }

    private static func namespaceDeclarations(
        of token: MarkupScanner.Token,
        in scanner: MarkupScanner
    ) -> [String: String] {
        var result: [String: String] = [:]
        let bytes = scanner.bytes
        let end = token.end
        let xmlns = Array("xmlns".utf8)
        var index = token.nameEnd
        // Byte by byte: the root tag of a template can declare dozens of namespaces.
        while index + xmlns.count <= end {
            guard bytes[index] == xmlns[0], scanner.hasPrefix(xmlns, at: index) else {
                index += 1
                continue
            }
            index += xmlns.count
            var name = index..<index
            if index < end, bytes[index] == UInt8(ascii: ":") {
                index += 1
                let start = index
                while index < end, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: " ") { index += 1 }
                name = start..<index
            }
            while index < end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "=") { index += 1 }
            guard index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                continue
            }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < end, bytes[index] != quote { index += 1 }
            result[String(decoding: bytes[name], as: UTF8.self)] = String(decoding: bytes[start..<index], as: UTF8.self)
        }
        return result
    }

    func localName(_ token: MarkupScanner.Token, in scanner: MarkupScanner) -> Substring? {
        let name = scanner.name(of: token)
        if prefix.isEmpty { return name.contains(":") ? nil : name }
        guard name.hasPrefix(prefix) else { return nil }
        return name.dropFirst(prefix.count)
    }

    /// The elements the reader never descends into (their paragraphs are not counted).
    private static let skipped: [[UInt8]] = [
        "del", "moveFrom", "instrText", "delInstrText", "delText", "rPrChange", "pPrChange", "sectPrChange",
        "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "sectPr", "tblPr",
        "tblGrid", "tcPr", "sdtEndPr", "smartTagPr", "customXmlPr",
    ].map { Array($0.utf8) }

    /// An element open while the part is indexed. Its name is kept as the indexer names it: `w:` and the
    /// local name for a WordprocessingML element, `mc:AlternateContent`, `mc:Choice` or `mc:Fallback` for
    /// alternate content, the qualified name as written for any other.
    private struct OpenElement {
        enum Role {
            case paragraph, textBox, contentControl, alternateContent, paragraphProperties, other
        }
        var role: Role
        /// For a WordprocessingML element, the bytes of its local name; else the name itself.
        var localName: Range<Int>?
        var name: String?

        /// The name without its first two characters, as a paragraph's `parent`.
        func parentName(in bytes: [UInt8]) -> String {
            if let localName { return String(decoding: bytes[localName], as: UTF8.self) }
            return String((name ?? "").dropFirst(2))
        }

        static func role(ofName name: some Collection<UInt8>) -> Role {
            if name.elementsEqual("w:p".utf8) { return .paragraph }
            if name.elementsEqual("w:txbxContent".utf8) { return .textBox }
            if name.elementsEqual("w:sdt".utf8) { return .contentControl }
            if name.elementsEqual("w:pPr".utf8) { return .paragraphProperties }
            if name.elementsEqual("mc:AlternateContent".utf8) { return .alternateContent }
            return .other
        }
    }

    private mutating func index(compatibilityPrefix: String?) {
        var scanner = MarkupScanner(bytes: bytes)
        let prefixBytes = Array(prefix.utf8)
        let compatibilityBytes = compatibilityPrefix.map { Array($0.utf8) }
        var stack: [OpenElement] = []
        var open: [Int] = []
        var alternateContent: [Bool] = []
        var boundContentControls: [Bool] = []
        var textBoxDepth = 0
        var count = 0
        func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
            guard range.count == literal.utf8CodeUnitCount else { return false }
            return literal.withUTF8Buffer { bytes[range].elementsEqual($0) }
        }
        while let token = scanner.next() {
            switch token.kind {
            case .other:
                continue
            case .end:
                guard let element = stack.popLast() else { continue }
                switch element.role {
                case .paragraph: if let last = open.popLast() { paragraphs[last].end = token.end }
                case .textBox: textBoxDepth -= 1
                case .contentControl: _ = boundContentControls.popLast()
                case .alternateContent: _ = alternateContent.popLast()
                case .paragraphProperties, .other: break
                }
                continue
            case .start, .empty:
                break
            }
            let isEmpty = token.kind == .empty
            let name = token.nameStart..<token.nameEnd
            // The local name of a WordprocessingML element (see `localName(_:in:)`).
            var local: Range<Int>?
            if prefixBytes.isEmpty {
                if !bytes[name].contains(UInt8(ascii: ":")) { local = name }
            } else if bytes[name].starts(with: prefixBytes) {
                local = name.lowerBound + prefixBytes.count..<name.upperBound
            }
            if let local {
                if equals(local, "sdtPr") && !isEmpty {
                    let start = token.end
                    scanner.skipElement()
                    if !boundContentControls.isEmpty,
                        scanner.hasPrefix(in: start..<scanner.position, "\(prefix)dataBinding")
                    {
                        boundContentControls[boundContentControls.count - 1] = true
                    }
                    continue
                }
                if equals(local, "rPr"), stack.last?.role == .paragraphProperties {
                    if !isEmpty { scanner.skipElement() }
                    continue
                }
                if Self.skipped.contains(where: { $0.count == local.count && bytes[local].elementsEqual($0) }) {
                    if !isEmpty { scanner.skipElement() }
                    continue
                }
                if equals(local, "p") {
                    let span = ParagraphSpan(
                        index: count,
                        start: token.start,
                        end: token.end,
                        parent: stack.last?.parentName(in: bytes) ?? "",
                        inTextBox: textBoxDepth > 0,
                        inAlternateContent: !alternateContent.isEmpty,
                        inBoundContentControl: boundContentControls.contains(true)
                    )
                    count += 1
                    for outer in open { paragraphs[outer].holdsParagraphs = true }
                    paragraphs.append(span)
                    if !isEmpty {
                        open.append(paragraphs.count - 1)
                        stack.append(OpenElement(role: .paragraph, localName: local))
                    }
                    continue
                }
                if !isEmpty {
                    var role = OpenElement.Role.other
                    if equals(local, "txbxContent") {
                        textBoxDepth += 1
                        role = .textBox
                    } else if equals(local, "sdt") {
                        boundContentControls.append(false)
                        role = .contentControl
                    } else if equals(local, "pPr") {
                        role = .paragraphProperties
                    }
                    stack.append(OpenElement(role: role, localName: local))
                }
                continue
            }
            if let compatibilityBytes {
                let isCompatibility = bytes[name].starts(with: compatibilityBytes)
                let rest = isCompatibility ? name.lowerBound + compatibilityBytes.count..<name.upperBound : name
                if isCompatibility && equals(rest, "AlternateContent") {
                    if !isEmpty {
                        alternateContent.append(false)
                        stack.append(OpenElement(role: .alternateContent, name: "mc:AlternateContent"))
                    }
                    continue
                }
                if isCompatibility && equals(rest, "Choice") {
                    if let taken = alternateContent.last, !taken {
                        alternateContent[alternateContent.count - 1] = true
                        if !isEmpty { stack.append(OpenElement(role: .other, name: "mc:Choice")) }
                    } else if !isEmpty {
                        scanner.skipElement()
                    }
                    continue
                }
                if isCompatibility && equals(rest, "Fallback") {
                    if alternateContent.last == false {
                        if !isEmpty { stack.append(OpenElement(role: .other, name: "mc:Fallback")) }
                    } else if !isEmpty {
                        scanner.skipElement()
                    }
                    continue
                }
            }
            if !isEmpty {
                stack.append(
                    OpenElement(role: OpenElement.role(ofName: bytes[name]), name: String(scanner.name(of: token)))
                )
            }
        }
        largestID = Self.largestID(in: bytes, prefix: prefix)
    }

    private static func largestID(in bytes: [UInt8], prefix: String) -> Int {
        let needle = Array(" \(prefix)id=\"".utf8)
        var largest = 0
        var index = 0
        let count = bytes.count
        // A space is common, a space and the prefix's first letter much less so.
        let first = needle[0]
        let second = needle[1]
        let scanner = MarkupScanner(bytes: bytes)
        while index + needle.count < count {
            if bytes[index] == first, bytes[index + 1] == second, scanner.hasPrefix(needle, at: index) {
                var value = 0
                var cursor = index + needle.count
                while cursor < count, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39, value < 1_000_000_000 {
                    value = value * 10 + Int(bytes[cursor] - 0x30)
                    cursor += 1
                }
                largest = max(largest, value)
                index = cursor
            } else {
                index += 1
            }
        }
        return largest
    }
}

extension MarkupScanner {
    func hasPrefix(in range: Range<Int>, _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard !needle.isEmpty, range.count >= needle.count else { return false }
        for index in range.lowerBound...(range.upperBound - needle.count)
        where bytes[index] == needle[0] && hasPrefix(needle, at: index) {
            return true
        }
        return false
    }

    /// Which of `localNames` ``hasPrefix(in:_:)`` finds in `range` after `<` and `prefix` (`<w:ins` for
    /// `ins`), as bits (bit `i` for `localNames[i]`), in one pass over the range instead of one a name.
    func prefixedNames(in range: Range<Int>, prefix: [UInt8], among localNames: [[UInt8]]) -> UInt64 {
        var found: UInt64 = 0
        var index = range.lowerBound
        while index < range.upperBound {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "<"), hasPrefix(prefix, at: index + 1) else { continue }
            let name = index + 1 + prefix.count
            for (bit, local) in localNames.enumerated()
            where name + local.count <= range.upperBound && hasPrefix(local, at: name) {
                found |= 1 << UInt64(bit)
            }
        }
        return found
    }
}
