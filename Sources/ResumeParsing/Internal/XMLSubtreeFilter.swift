import Foundation

/// Removes whole elements, named by their qualified name as written (`w:latentStyles`), from an XML byte
/// stream before libxml2 parses it.
///
/// The style sheet and the numbering definitions are mostly made of elements the reader skips anyway: the
/// latent style table, table style conditions, the run and paragraph properties of list levels. Skipping
/// them in libxml2 still costs a full parse; dropping their bytes here costs one scan. The filter only drops
/// what the part's reader would skip unread, so the result is the same either way.
///
/// The scan knows enough XML to never be fooled: quoted attribute values (which may hold `>`), comments,
/// CDATA sections and processing instructions. It runs only when the root element binds the `w` prefix to
/// the WordprocessingML namespace, and stops filtering (passing every later byte through) if any element
/// binds `w` again or a single piece of markup grows past `maximumPendingBytes`. Input arrives in chunks of
/// any size; bytes are passed on as soon as they are decided.
///
/// Inside a dropped element only its own tags (to count nesting) and comments, CDATA sections and processing
/// instructions (which may hold `<`) are looked at: `<` cannot appear in attribute values or text, so every
/// other `<` starts a tag of no interest and the scan jumps from one `<` to the next.
///
/// With `droppingWhitespace`, white space between two pieces of markup is dropped too (for a reader that
/// reads no text, such as the style sheet's): libxml2 then reports fewer nodes.
///
/// Elements named in `droppingEmpty` (such as the style sheet's `w:pPr`) go too when the filter leaves
/// them empty: a start tag followed by its own end tag, nothing kept between them. Only where no element of
/// those names is open, so a reader that notes being inside one (and forgets it at any end tag of the
/// name) sees the same before and after each pair. The start tag is held back until the next piece of
/// markup or text tells.
struct XMLSubtreeFilter {
    /// The dropped names, by length: a tag's name is compared only with names as long as it.
    private let droppedNamesByLength: [[[UInt8]]]
    private let droppingWhitespace: Bool
    /// Whether the last bytes scanned ended a piece of markup (so text that follows starts after markup).
    private var afterMarkup = false
    private let maximumPendingBytes: Int
    /// The bytes of an incomplete piece of markup, carried to the next chunk.
    private var carry: [UInt8] = []
    /// Whether the root element has been seen and checked.
    private var sawRoot = false
    private var isEnabled = true
    /// Inside a dropped element: which name, and how many elements of that name are open.
    private var droppedName: [UInt8]?
    private var dropDepth = 0
    /// The names of elements dropped when left empty.
    private let emptyDroppedNames: [[UInt8]]
    /// How many elements of those names are open (their start tags passed on).
    private var openEmptyDroppable = 0
    /// Which of those names a start tag held back has, and the tag (its storage kept from one to the next).
    private var heldName: Int?
    private var heldTag: [UInt8] = []

    private static let wordNamespaces: [[UInt8]] = [
        Array("xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"".utf8),
        Array("xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'".utf8),
        Array("xmlns:w=\"http://purl.oclc.org/ooxml/wordprocessingml/main\"".utf8),
        Array("xmlns:w='http://purl.oclc.org/ooxml/wordprocessingml/main'".utf8),
    ]
    private static let wordPrefixBinding = Array("xmlns:w=".utf8)
    private static let commentStart = Array("<!--".utf8)
    private static let commentEnd = Array("-->".utf8)
    private static let cdataStart = Array("<![CDATA[".utf8)
    private static let cdataEnd = Array("]]>".utf8)
    private static let instructionEnd = Array("?>".utf8)

    /// - Parameters:
    ///   - droppedElements: qualified names, such as `w:latentStyles`; each must use the `w` prefix.
    ///   - maximumPendingBytes: the longest piece of markup held while waiting for its end.
    ///   - droppingWhitespace: Whether white space between markup goes too.
    ///   - droppingEmpty: qualified names of elements that go when nothing is left inside them.
    init(
        droppedElements: [String],
        droppingWhitespace: Bool = false,
        droppingEmpty: [String] = [],
        maximumPendingBytes: Int
    ) {
        let names = droppedElements.map { Array($0.utf8) }
        var byLength = [[[UInt8]]](repeating: [], count: (names.map(\.count).max() ?? 0) + 1)
        for name in names { byLength[name.count].append(name) }
        self.droppedNamesByLength = byLength
        self.droppingWhitespace = droppingWhitespace
        self.emptyDroppedNames = droppingEmpty.map { Array($0.utf8) }
        self.maximumPendingBytes = maximumPendingBytes
    }

    /// Filters the next chunk, appending the bytes to keep to `output`.
    mutating func filter(_ chunk: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        guard isEnabled else {
            output.append(contentsOf: chunk)
            return
        }
        if carry.isEmpty {
            scan(chunk, into: &output)
        } else {
            var data = carry
            carry = []
            data.append(contentsOf: chunk)
            data.withUnsafeBytes { scan($0, into: &output) }
        }
    }

    /// Ends the stream: whatever is still held is passed on as it is (libxml2 reports it if it is broken).
    mutating func finish(into output: inout [UInt8]) {
        passHeld(into: &output)
        if droppedName == nil { output.append(contentsOf: carry) }
        carry = []
    }

    private mutating func scan(_ data: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        var index = 0
        let count = data.count
        while index < count {
            // Text up to the next markup; inside a dropped element, up to the next markup that can matter.
            let textEnd =
                droppedName.map { Self.candidate(in: data, from: index, inside: $0) }
                ?? Self.firstIndex(of: UInt8(ascii: "<"), in: data, from: index) ?? count
            if droppedName == nil && textEnd > index {
                let text = UnsafeRawBufferPointer(rebasing: data[index..<textEnd])
                if !(droppingWhitespace && afterMarkup && textEnd < count && Self.isWhitespace(text)) {
                    passHeld(into: &output)
                    output.append(contentsOf: text)
                }
            }
            afterMarkup = false
            index = textEnd
            guard index < count else { return }
            if let dropped = droppedName {
                // Only this element's own tags, comments, CDATA sections and processing instructions matter.
                switch Self.classify(data, at: index, inside: dropped) {
                case .undecided:
                    if count - index > maximumPendingBytes {
                        isEnabled = false
                        return
                    }
                    carry = Array(UnsafeRawBufferPointer(rebasing: data[index...]))
                    return
                case .otherTag:
                    index += 1
                    continue
                case .relevant:
                    break
                }
            }
            guard let end = Self.markupEnd(in: data, from: index) else {
                // Incomplete: keep it for the next chunk, unless it has grown too long to be worth holding.
                if count - index > maximumPendingBytes {
                    isEnabled = false
                    if droppedName == nil {
                        passHeld(into: &output)
                        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[index...]))
                    }
                    return
                }
                carry = Array(UnsafeRawBufferPointer(rebasing: data[index...]))
                return
            }
            let markup = UnsafeRawBufferPointer(rebasing: data[index..<end])
            afterMarkup = true
            if !keep(markup) {
                index = end
                continue
            }
            passHeld(into: &output)
            output.append(contentsOf: markup)
            index = end
            if !isEnabled {
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[index...]))
                return
            }
        }
    }

    /// Decides about one complete piece of markup (`<…>`), updating the drop state.
    private mutating func keep(_ markup: UnsafeRawBufferPointer) -> Bool {
        guard markup.count > 2 else { return droppedName == nil }
        let second = markup[1]
        if second == UInt8(ascii: "!") || second == UInt8(ascii: "?") { return droppedName == nil }
        let isEndTag = second == UInt8(ascii: "/")
        let nameStart = isEndTag ? 2 : 1
        var nameEnd = nameStart
        while nameEnd < markup.count, !Self.endsName(markup[nameEnd]) { nameEnd += 1 }
        let name = UnsafeRawBufferPointer(rebasing: markup[nameStart..<nameEnd])
        let isEmptyElement = !isEndTag && markup[markup.count - 2] == UInt8(ascii: "/")

        if !isEndTag {
            if !sawRoot {
                sawRoot = true
                if !Self.wordNamespaces.contains(where: { Self.contains($0, in: markup) }) { isEnabled = false }
                return true
            }
            if droppedName == nil, Self.contains(Self.wordPrefixBinding, in: markup) {
                // The prefix is bound again: names no longer say which namespace they are in.
                isEnabled = false
                return true
            }
        }
        if let dropped = droppedName {
            if Self.equals(name, dropped) {
                if isEndTag {
                    dropDepth -= 1
                    if dropDepth == 0 { droppedName = nil }
                } else if !isEmptyElement {
                    dropDepth += 1
                }
            }
            return false
        }
        guard !isEndTag, name.count < droppedNamesByLength.count,
            let dropped = droppedNamesByLength[name.count].first(where: { Self.equals(name, $0) })
        else { return keepUnlessEmpty(markup, name: name, isEndTag: isEndTag, isEmptyElement: isEmptyElement) }
        if !isEmptyElement {
            droppedName = dropped
            dropDepth = 1
        }
        return false
    }

    /// Decides about a piece of markup that no drop rule removes, for the elements dropped when empty:
    /// holds back such an element's start tag, and drops it with its end tag when that comes next.
    private mutating func keepUnlessEmpty(
        _ markup: UnsafeRawBufferPointer,
        name: UnsafeRawBufferPointer,
        isEndTag: Bool,
        isEmptyElement: Bool
    ) -> Bool {
        guard !emptyDroppedNames.isEmpty else { return true }
        if let heldName, isEndTag, Self.equals(name, emptyDroppedNames[heldName]) {
            self.heldName = nil
            return false
        }
        guard !isEmptyElement, let named = emptyDroppedNames.firstIndex(where: { Self.equals(name, $0) }) else {
            return true
        }
        if isEndTag {
            openEmptyDroppable = max(0, openEmptyDroppable - 1)
            return true
        }
        // A held start tag is passed on before this one (see passHeld(into:)), and is open then.
        if openEmptyDroppable > 0 || heldName != nil {
            openEmptyDroppable += 1
            return true
        }
        heldName = named
        heldTag.removeAll(keepingCapacity: true)
        heldTag.append(contentsOf: markup)
        return false
    }

    /// Passes on the held start tag, if any, before what follows it: its element is not empty.
    private mutating func passHeld(into output: inout [UInt8]) {
        guard heldName != nil else { return }
        output.append(contentsOf: heldTag)
        openEmptyDroppable += 1
        heldName = nil
    }

    // MARK: Scanning

    private enum Inside {
        /// Too few bytes to tell.
        case undecided
        /// A tag of another element: nothing to do but move on.
        case otherTag
        /// A tag of the dropped element's name, a comment, a CDATA section or a processing instruction.
        case relevant
    }

    /// What the `<` at `start` opens, inside an element named `dropped`.
    private static func classify(_ data: UnsafeRawBufferPointer, at start: Int, inside dropped: [UInt8]) -> Inside {
        let count = data.count
        guard start + 1 < count else { return .undecided }
        let second = data[start + 1]
        if second == UInt8(ascii: "!") || second == UInt8(ascii: "?") { return .relevant }
        let nameStart = second == UInt8(ascii: "/") ? start + 2 : start + 1
        for offset in 0..<dropped.count {
            guard nameStart + offset < count else { return .undecided }
            if data[nameStart + offset] != dropped[offset] { return .otherTag }
        }
        guard nameStart + dropped.count < count else { return .undecided }
        return endsName(data[nameStart + dropped.count]) ? .relevant : .otherTag
    }

    /// Inside an element named `dropped`: the first `<` at or after `start` that ``classify(_:at:inside:)``
    /// may not call another element's tag, or `data.count` when there is none. Sixteen positions are
    /// tested at a time for a `<` followed by `!`, `?`, the name's first three bytes, or `/` and those
    /// bytes; the last few bytes, one `<` at a time. The elements of a dropped element (most of the
    /// bytes the filter sees) are so skipped without a look at each of their tags.
    private static func candidate(in data: UnsafeRawBufferPointer, from start: Int, inside dropped: [UInt8]) -> Int {
        let count = data.count
        var position = start
        if dropped.count >= 3, let base = data.baseAddress {
            let open = SIMD16<UInt8>(repeating: UInt8(ascii: "<"))
            let slash = SIMD16<UInt8>(repeating: UInt8(ascii: "/"))
            let bang = SIMD16<UInt8>(repeating: UInt8(ascii: "!"))
            let question = SIMD16<UInt8>(repeating: UInt8(ascii: "?"))
            let first = SIMD16<UInt8>(repeating: dropped[0])
            let second = SIMD16<UInt8>(repeating: dropped[1])
            let third = SIMD16<UInt8>(repeating: dropped[2])
            // Each test reads the sixteen bytes at an offset of 0 to 4 from `position`.
            while position + 20 <= count {
                let bytes0 = base.loadUnaligned(fromByteOffset: position, as: SIMD16<UInt8>.self)
                let opens = bytes0 .== open
                if firstLane(of: opens) != nil {
                    let bytes1 = base.loadUnaligned(fromByteOffset: position + 1, as: SIMD16<UInt8>.self)
                    let bytes2 = base.loadUnaligned(fromByteOffset: position + 2, as: SIMD16<UInt8>.self)
                    let bytes3 = base.loadUnaligned(fromByteOffset: position + 3, as: SIMD16<UInt8>.self)
                    let bytes4 = base.loadUnaligned(fromByteOffset: position + 4, as: SIMD16<UInt8>.self)
                    let startTag = (bytes1 .== first) .& (bytes2 .== second) .& (bytes3 .== third)
                    let endTag = (bytes1 .== slash) .& (bytes2 .== first) .& (bytes3 .== second) .& (bytes4 .== third)
                    let special = (bytes1 .== bang) .| (bytes1 .== question)
                    let hits = opens .& (startTag .| endTag .| special)
                    if let lane = firstLane(of: hits) { return position + lane }
                }
                position += 16
            }
        }
        return firstIndex(of: UInt8(ascii: "<"), in: data, from: position) ?? count
    }

    /// The first lane set in `mask`, or `nil` when none is. The lanes are read as the bytes of two words:
    /// two tests of a word instead of a reduction over sixteen lanes.
    private static func firstLane(of mask: SIMDMask<SIMD16<Int8>>) -> Int? {
        // A mask of sixteen byte lanes is stored as those lanes, each all ones or all zeros.
        let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        // Read little-endian, the first lane is the lowest byte of the first word.
        let low = words[0].littleEndian
        if low != 0 { return low.trailingZeroBitCount / 8 }
        let high = words[1].littleEndian
        return high != 0 ? 8 + high.trailingZeroBitCount / 8 : nil
    }

    /// Whether `name` holds the bytes of `other`.
    private static func equals(_ name: UnsafeRawBufferPointer, _ other: [UInt8]) -> Bool {
        guard name.count == other.count else { return false }
        guard let base = name.baseAddress else { return true }
        return other.withUnsafeBytes { memcmp(base, $0.baseAddress!, other.count) == 0 }
    }

    private static func isWhitespace(_ text: UnsafeRawBufferPointer) -> Bool {
        text.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// The index just past the markup that starts at `start` (a `<`), or `nil` when it does not end in
    /// `data`. Comments, CDATA sections and processing instructions end at their own terminators; tags at
    /// the first `>` outside a quoted attribute value.
    private static func markupEnd(in data: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let count = data.count
        guard start + 1 < count else { return nil }
        switch data[start + 1] {
        case UInt8(ascii: "?"):
            return terminator(instructionEnd, in: data, from: start + 2)
        case UInt8(ascii: "!"):
            if hasPrefix(commentStart, in: data, at: start) {
                return terminator(commentEnd, in: data, from: start + commentStart.count)
            }
            if hasPrefix(cdataStart, in: data, at: start) {
                return terminator(cdataEnd, in: data, from: start + cdataStart.count)
            }
            // Not enough bytes yet to tell a comment or CDATA from another declaration.
            if count - start < cdataStart.count { return nil }
            return firstIndex(of: UInt8(ascii: ">"), in: data, from: start + 2).map { $0 + 1 }
        default:
            // The first `>` that no quote before it opens a value around: the next `>` or quote, found
            // sixteen bytes at a time; a quote's value is then skipped to its closing quote.
            var index = start + 1
            while let found = firstTagDelimiter(in: data, from: index) {
                let byte = data[found]
                if byte == UInt8(ascii: ">") { return found + 1 }
                guard let valueEnd = firstIndex(of: byte, in: data, from: found + 1) else { return nil }
                index = valueEnd + 1
            }
            return nil
        }
    }

    /// The first `>`, `"` or `'` at or after `start`.
    private static func firstTagDelimiter(in data: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let count = data.count
        var position = start
        if let base = data.baseAddress {
            let close = SIMD16<UInt8>(repeating: UInt8(ascii: ">"))
            let double = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
            let single = SIMD16<UInt8>(repeating: UInt8(ascii: "'"))
            while position + 16 <= count {
                let bytes = base.loadUnaligned(fromByteOffset: position, as: SIMD16<UInt8>.self)
                if let lane = firstLane(of: (bytes .== close) .| (bytes .== double) .| (bytes .== single)) {
                    return position + lane
                }
                position += 16
            }
        }
        while position < count {
            let byte = data[position]
            if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") { return position }
            position += 1
        }
        return nil
    }

    private static func endsName(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "/")
    }

    private static func firstIndex(of byte: UInt8, in data: UnsafeRawBufferPointer, from start: Int) -> Int? {
        firstIndex(of: byte, in: data, from: start, before: data.count)
    }

    /// The first `byte` in `data[start..<end]`.
    private static func firstIndex(
        of byte: UInt8,
        in data: UnsafeRawBufferPointer,
        from start: Int,
        before end: Int
    ) -> Int? {
        guard start < end, end <= data.count, let base = data.baseAddress else { return nil }
        // Markup often follows markup: no call for a byte that is already there.
        if data[start] == byte { return start }
        guard let found = memchr(base + start, Int32(byte), end - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    private static func terminator(_ end: [UInt8], in data: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while let candidate = firstIndex(of: end[0], in: data, from: index) {
            if hasPrefix(end, in: data, at: candidate) { return candidate + end.count }
            if candidate + end.count > data.count { return nil }
            index = candidate + 1
        }
        return nil
    }

    private static func hasPrefix(_ prefix: [UInt8], in data: UnsafeRawBufferPointer, at start: Int) -> Bool {
        guard start + prefix.count <= data.count else { return false }
        for offset in 0..<prefix.count where data[start + offset] != prefix[offset] { return false }
        return true
    }

    private static func contains(_ needle: [UInt8], in data: UnsafeRawBufferPointer) -> Bool {
        guard needle.count <= data.count else { return false }
        var index = 0
        while let candidate = firstIndex(of: needle[0], in: data, from: index) {
            if hasPrefix(needle, in: data, at: candidate) { return true }
            index = candidate + 1
        }
        return false
    }
}
