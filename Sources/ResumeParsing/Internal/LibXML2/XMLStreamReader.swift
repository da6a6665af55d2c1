internal import CLibXML2
import Foundation

/// A forward-only reader over one XML part, wrapping libxml2's `xmlTextReader`. Borrows a reader from the
/// document's ``XMLReaderPool`` for as long as it lives and keeps the archive entry it reads from alive.
///
/// Parsing never touches the network, never loads a DTD and never substitutes entities; a part that
/// declares a document type is refused (OPC rule M1.18 forbids DTDs in package parts).
final class XMLStreamReader {
    enum NodeKind {
        case element
        case endElement
        case text
        case other
    }

    private let handle: XMLReaderPool.Handle
    private let pool: XMLReaderPool
    private let reader: OpaquePointer
    private let input: XMLInput
    private let partName: String
    private let maximumDepth: Int
    private var hasPendingNode = false
    private var sawRoot = false
    /// The namespaces declared on the root element: see ``namespace``.
    private var rootNamespaces: [(declaration: UnsafeMutablePointer<xmlNs>, token: XMLNamespace)] = []
    private var lastRootNamespace = 0

    /// Starts reading a part as it is inflated: the part is never held whole in memory. The libxml2 reader
    /// comes from `pool` and goes back to it when this reader is released.
    ///
    /// `droppedElements` names elements (as written, such as `w:latentStyles`) that the caller would skip
    /// unread; their bytes are removed before libxml2 parses them (see ``XMLSubtreeFilter``), and so is
    /// white space between markup when `droppingWhitespace` is set (for a caller that reads no text), and
    /// the elements named in `droppingEmpty` that nothing is left in.
    init(
        stream: ZipEntryStream,
        limits: XMLInput.Limits,
        pool: XMLReaderPool,
        droppedElements: [String] = [],
        droppingWhitespace: Bool = false,
        droppingEmpty: [String] = []
    ) throws(ResumeParsingError) {
        let input = XMLInput(
            stream: stream,
            maximumMarkupLength: limits.maximumMarkupLength,
            droppedElements: droppedElements,
            droppingWhitespace: droppingWhitespace,
            droppingEmpty: droppingEmpty
        )
        self.input = input
        self.partName = stream.partName
        self.maximumDepth = limits.maximumDepth
        self.pool = pool
        xmlResetLastError()
        try input.readHead()
        guard let handle = pool.open(input, reusingReader: input.isUTF8WithoutByteOrderMark) else {
            throw input.error ?? Self.lastError(partName: stream.partName)
        }
        self.handle = handle
        self.reader = handle.reader
        input.reader = handle.reader
    }

    deinit {
        input.reader = nil
        pool.close(handle)
    }

    /// Moves to the next node and returns its kind, or `nil` at the end of the part.
    func read() throws(ResumeParsingError) -> NodeKind? {
        if hasPendingNode {
            hasPendingNode = false
        } else {
            let result = xmlTextReaderRead(reader)
            if result == 0 { return nil }
            if result < 0 { throw input.error ?? input.limitErrorInTheRest() ?? Self.lastError(partName: partName) }
        }
        return try classifyCurrentNode()
    }

    /// Skips the current element with all its content; the next ``read()`` returns the node after it.
    func skipElement() throws(ResumeParsingError) {
        let result = xmlTextReaderNext(reader)
        if result < 0 { throw input.error ?? input.limitErrorInTheRest() ?? Self.lastError(partName: partName) }
        hasPendingNode = result == 1
    }

    private func classifyCurrentNode() throws(ResumeParsingError) -> NodeKind {
        switch xmlTextReaderNodeType(reader) {
        case 1:
            let depth = Int(xmlTextReaderDepth(reader))
            if depth >= maximumDepth {
                throw .limitExceeded(
                    .xmlNestingDepth,
                    "The part \(partName) nests elements deeper than the limit of \(maximumDepth).",
                    partName: partName
                )
            }
            if depth == 0 && !sawRoot {
                sawRoot = true
                collectRootNamespaces()
            }
            return .element
        case 15: return .endElement
        case 3, 4, 14: return .text
        case 10: throw XMLInput.documentTypeError(partName)
        default: return .other
        }
    }

    /// Whether the current element has no content (`<w:tab/>`): no end-element node follows it.
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The depth of the current node (the root element is 0).
    var depth: Int { Int(xmlTextReaderDepth(reader)) }

    /// The current node's local name, as a token.
    var localName: XMLLocalName {
        guard let pointer = xmlTextReaderConstLocalName(reader) else { return .unknown }
        let token = handle.localNames.token(for: UnsafeRawPointer(pointer)) {
            XMLLocalName.token(for: String(cString: pointer))
        }
        return XMLLocalName(rawValue: token) ?? .unknown
    }

    /// The current node's namespace, as a token.
    ///
    /// Nearly every element of a part is in a namespace declared on the root element. Those declarations
    /// live as long as the part, so such an element is classified by the address of its declaration;
    /// any other goes through the URI that libxml2 interns in its dictionary.
    var namespace: XMLNamespace {
        guard let node = xmlTextReaderCurrentNode(reader), let declaration = node.pointee.ns else { return .unknown }
        if lastRootNamespace < rootNamespaces.count, rootNamespaces[lastRootNamespace].declaration == declaration {
            return rootNamespaces[lastRootNamespace].token
        }
        for index in rootNamespaces.indices where rootNamespaces[index].declaration == declaration {
            lastRootNamespace = index
            return rootNamespaces[index].token
        }
        guard let pointer = xmlTextReaderConstNamespaceUri(reader) else { return .unknown }
        let token = handle.namespaces.token(for: UnsafeRawPointer(pointer)) {
            XMLNamespace.token(for: String(cString: pointer))
        }
        return XMLNamespace(rawValue: token) ?? .unknown
    }

    /// Records the namespace declarations of the root element (the current node).
    private func collectRootNamespaces() {
        guard let root = xmlTextReaderCurrentNode(reader) else { return }
        var next = root.pointee.nsDef
        while let declaration = next, rootNamespaces.count < 64 {
            if let href = declaration.pointee.href {
                let token = XMLNamespace(rawValue: XMLNamespace.token(for: String(cString: href))) ?? .unknown
                rootNamespaces.append((declaration, token))
            }
            next = declaration.pointee.next
        }
    }

    /// The namespace URI of the current element, straight from its declaration.
    private var namespaceURI: UnsafePointer<xmlChar>? {
        guard let node = xmlTextReaderCurrentNode(reader), let declaration = node.pointee.ns else { return nil }
        return declaration.pointee.href
    }

    /// An attribute of the current element in the element's own namespace (`w:val` on a `w:` element),
    /// falling back to the unprefixed attribute.
    func attribute(_ localName: StaticString) -> String? {
        localName.withUTF8Buffer { name -> String? in
            guard let base = name.baseAddress else { return nil }
            var value: UnsafeMutablePointer<xmlChar>?
            if let namespace = namespaceURI {
                value = xmlTextReaderGetAttributeNs(reader, base, namespace)
            }
            if value == nil {
                value = xmlTextReaderGetAttribute(reader, base)
            }
            guard let value else { return nil }
            defer { clibxml2_free(value) }
            return String(cString: value)
        }
    }

    /// An attribute without a namespace (as in relationships and content types).
    func unqualifiedAttribute(_ localName: StaticString) -> String? {
        localName.withUTF8Buffer { name -> String? in
            guard let base = name.baseAddress, let value = xmlTextReaderGetAttribute(reader, base) else {
                return nil
            }
            defer { clibxml2_free(value) }
            return String(cString: value)
        }
    }

    /// Appends the current text node's UTF-8 bytes; returns how many were appended.
    @discardableResult
    func appendText(to buffer: inout [UInt8]) -> Int {
        guard let value = xmlTextReaderConstValue(reader) else { return 0 }
        let length = strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))
        buffer.append(contentsOf: UnsafeBufferPointer(start: value, count: length))
        return length
    }

    /// The length in UTF-8 bytes of the current text node.
    var textLength: Int {
        guard let value = xmlTextReaderConstValue(reader) else { return 0 }
        return strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))
    }

    /// The current text node's value as a string.
    var text: String {
        guard let value = xmlTextReaderConstValue(reader) else { return "" }
        return String(cString: value)
    }

    /// Reads libxml2's thread-local last error right away and maps it, in one place. The message names
    /// the error code and line only, never document content.
    private static func lastError(partName: String) -> ResumeParsingError {
        guard let error = xmlGetLastError() else {
            return ResumeParsingError(
                code: .malformedXML,
                message: "The part \(partName) is not well-formed XML; save the document again and re-upload.",
                partName: partName
            )
        }
        let code = error.pointee.code
        let line = error.pointee.line
        let isDepthError = error.pointee.message.map { strstr($0, "depth") != nil } ?? false
        xmlResetLastError()
        if isDepthError {
            return .limitExceeded(
                .xmlNestingDepth,
                "The part \(partName) nests elements deeper than libxml2 accepts.",
                partName: partName
            )
        }
        return ResumeParsingError(
            code: .malformedXML,
            message: "The part \(partName) is not well-formed XML (libxml2 error \(code) at line \(line)); "
                + "save the document again and re-upload.",
            partName: partName
        )
    }
}

/// Feeds libxml2 from an archive entry. The first bytes are held back until the prolog has been checked
/// for a document type declaration, so a DTD is refused before libxml2 parses any of it.
///
/// It also watches libxml2's backlog: the bytes handed over that the parser has not consumed yet. The
/// parser only holds bytes back while one piece of markup (a tag, a comment, a processing instruction) is
/// incomplete, and libxml2 2.9 rescans that whole piece each time more bytes arrive; an unterminated one
/// would make the cost grow with the square of the part's length. Past
/// ``ResumeParser/Configuration/maximumXMLMarkupLength`` the part is refused.
final class XMLInput {
    /// The limits that apply to every XML part.
    struct Limits {
        var maximumDepth: Int
        var maximumMarkupLength: Int
    }

    private let stream: ZipEntryStream
    private let maximumMarkupLength: Int
    private var head: [UInt8] = []
    private var headOffset = 0
    private var checkedProlog = false
    /// The bytes handed to libxml2 so far.
    private var delivered = 0
    /// The reader this input feeds, once it exists; used to measure the parser's backlog.
    var reader: OpaquePointer?
    /// The error that stopped reading (a limit, a damaged entry, a DTD); reported instead of libxml2's.
    private(set) var error: ResumeParsingError?

    private static let headSize = 16 * 1024

    /// Removes the elements a part's reader skips unread; `nil` when there are none.
    private var filter: XMLSubtreeFilter?
    private var filtered: [UInt8] = []
    private var filteredOffset = 0
    private var rawInputEnded = false
    private var scratch: UnsafeMutableRawBufferPointer?

    init(
        stream: ZipEntryStream,
        maximumMarkupLength: Int,
        droppedElements: [String] = [],
        droppingWhitespace: Bool = false,
        droppingEmpty: [String] = []
    ) {
        self.stream = stream
        self.maximumMarkupLength = maximumMarkupLength
        if !droppedElements.isEmpty {
            filter = XMLSubtreeFilter(
                droppedElements: droppedElements,
                droppingWhitespace: droppingWhitespace,
                droppingEmpty: droppingEmpty,
                maximumPendingBytes: maximumMarkupLength
            )
        }
    }

    deinit {
        scratch?.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int32 {
        guard error == nil else { return -1 }
        do throws(ResumeParsingError) {
            try checkBacklog()
            let count = try fill(buffer)
            delivered += count
            return Int32(count)
        } catch {
            self.error = error
            return -1
        }
    }

    private func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(ResumeParsingError) -> Int {
        guard filter != nil else { return try readRaw(into: buffer) }
        while filteredOffset == filtered.count {
            filtered.removeAll(keepingCapacity: true)
            filteredOffset = 0
            if rawInputEnded { return 0 }
            let chunk = scratch ?? .allocate(byteCount: 16 * 1024, alignment: 1)
            scratch = chunk
            let count = try readRaw(into: chunk)
            if count == 0 {
                rawInputEnded = true
                filter?.finish(into: &filtered)
            } else {
                filter?.filter(UnsafeRawBufferPointer(rebasing: chunk[0..<count]), into: &filtered)
            }
        }
        let count = min(buffer.count, filtered.count - filteredOffset)
        filtered.withUnsafeBytes { bytes in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[filteredOffset..<filteredOffset + count]))
        }
        filteredOffset += count
        return count
    }

    /// The part's bytes as stored: the held-back head first, then the rest of the entry.
    private func readRaw(into buffer: UnsafeMutableRawBufferPointer) throws(ResumeParsingError) -> Int {
        if headOffset < head.count {
            let count = min(buffer.count, head.count - headOffset)
            head.withUnsafeBytes { bytes in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[headOffset..<headOffset + count]))
            }
            headOffset += count
            if headOffset == head.count { head = [] }
            return count
        }
        return try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(Int(Int32.max))))
    }

    private func checkBacklog() throws(ResumeParsingError) {
        guard let reader else { return }
        let consumed = Int(xmlTextReaderByteConsumed(reader))
        guard consumed >= 0, delivered - consumed > maximumMarkupLength else { return }
        throw .limitExceeded(
            .xmlMarkupLength,
            "The part \(stream.partName) holds a tag, comment or processing instruction longer than the limit of "
                + "\(maximumMarkupLength) bytes, or one that never ends.",
            partName: stream.partName
        )
    }

    /// After libxml2 refused the part: inflates what is left of it, discarding it, within the archive's
    /// limits, and returns the limit error that stops it, if one does. A zip bomb whose content is not
    /// XML at all (a run of zeros) is then reported as what it is, a part over a limit, rather than as
    /// malformed XML. The inflating stops at the first limit, so this costs no more than the limits allow.
    func limitErrorInTheRest() -> ResumeParsingError? {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { chunk.deallocate() }
        do throws(ResumeParsingError) {
            while try stream.read(into: chunk) > 0 {}
        } catch {
            return error.code == .limitExceeded ? error : nil
        }
        return nil
    }

    /// Reads the first bytes of the part and checks its prolog; ``XMLStreamReader`` calls it before libxml2
    /// sees any byte. A UTF-8 byte order mark is dropped here: a reader reset for a new part no longer looks
    /// for one.
    func readHead() throws(ResumeParsingError) {
        guard !checkedProlog else { return }
        checkedProlog = true
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.headSize, alignment: 1)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < Self.headSize {
            let count = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        head = Array(buffer[0..<filled])
        if Self.declaresDocumentType(head) {
            throw Self.documentTypeError(stream.partName)
        }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            headOffset = 3
        }
    }

    /// Whether the part, its byte order mark dropped, starts like UTF-8 (or ASCII-compatible) XML: with
    /// `<` or white space, not with a UTF-16 mark or a NUL byte. Only such parts can go to a reused
    /// reader; libxml2 detects any other encoding only when a reader is created.
    var isUTF8WithoutByteOrderMark: Bool {
        guard headOffset + 1 < head.count else { return false }
        let first = head[headOffset]
        let second = head[headOffset + 1]
        let startsLikeXML =
            first == UInt8(ascii: "<") || first == 0x20 || first == 0x09 || first == 0x0A || first == 0x0D
        return startsLikeXML && second != 0
    }

    /// Whether the XML prolog (before the root element) declares a document type.
    static func declaresDocumentType(_ view: [UInt8]) -> Bool {
        var index = 0
        func hasPrefix(_ literal: String) -> Bool {
            let utf8 = literal.utf8
            guard index + utf8.count <= view.count else { return false }
            return view[index..<index + utf8.count].elementsEqual(utf8)
        }
        if hasPrefix("\u{FEFF}") { index += 3 }
        while index < view.count {
            let byte = view[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                index += 1
            } else if hasPrefix("<?") || hasPrefix("<!--") {
                guard let end = view[index...].firstIndex(of: UInt8(ascii: ">")) else { return false }
                index = end + 1
            } else {
                return hasPrefix("<!DOCTYPE")
            }
        }
        return false
    }

    static func documentTypeError(_ partName: String) -> ResumeParsingError {
        ResumeParsingError(
            code: .forbiddenDocumentType,
            message: "The part \(partName) declares a DTD, which Office documents never do (OPC M1.18); "
                + "the file was refused as unsafe.",
            partName: partName
        )
    }
}

/// A small open-addressing map from interned name pointers to tokens. libxml2 interns element names and
/// namespace URIs in the reader's dictionary, so one pointer stands for one name for the reader's life.
/// The table lives in memory this object owns, so a lookup costs no exclusivity check.
final class PointerTokenCache {
    private static let capacity = 256
    private let keys: UnsafeMutablePointer<UInt>
    private let values: UnsafeMutablePointer<UInt8>
    private let used: UnsafeMutablePointer<Int>

    init() {
        keys = .allocate(capacity: Self.capacity)
        keys.initialize(repeating: 0, count: Self.capacity)
        values = .allocate(capacity: Self.capacity)
        values.initialize(repeating: 0, count: Self.capacity)
        used = .allocate(capacity: 1)
        used.initialize(to: 0)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
        used.deallocate()
    }

    func token(for pointer: UnsafeRawPointer, resolve: () -> UInt8) -> UInt8 {
        let key = UInt(bitPattern: pointer)
        let mask = Self.capacity - 1
        var slot = Int(truncatingIfNeeded: (key >> 4) &* 0x9E37_79B9) & mask
        for _ in 0..<Self.capacity {
            let current = keys[slot]
            if current == key { return values[slot] }
            if current == 0 { break }
            slot = (slot + 1) & mask
        }
        let token = resolve()
        // Keep the table at most three-quarters full; past that, names are resolved each time.
        if used.pointee < Self.capacity * 3 / 4 && keys[slot] == 0 {
            keys[slot] = key
            values[slot] = token
            used.pointee += 1
        }
        return token
    }
}
