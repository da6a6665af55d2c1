internal import CLibXML2
import Foundation

/// A forward-only reader over one XML part, wrapping libxml2's `xmlTextReader`. Owns its reader handle and
/// keeps the part's bytes alive.
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

    private let reader: OpaquePointer
    private let part: InflatedPart
    private let partName: String
    private let maximumDepth: Int
    private var hasPendingNode = false
    private var localNames = PointerTokenCache()
    private var namespaces = PointerTokenCache()

    /// The kind of the current node.
    private(set) var kind = NodeKind.other

    private static let parserInitialised: Void = { xmlInitParser() }()

    private static let options = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_COMPACT.rawValue
    )

    init(part: InflatedPart, partName: String, maximumDepth: Int) throws(ResumeParsingError) {
        _ = Self.parserInitialised
        self.part = part
        self.partName = partName
        self.maximumDepth = maximumDepth
        if part.declaresDocumentType {
            throw Self.documentTypeError(partName)
        }
        let bytes = part.bytes
        guard let base = bytes.baseAddress, bytes.count > 0, bytes.count < Int(Int32.max) else {
            throw ResumeParsingError(
                code: .malformedXML,
                message: "The part \(partName) is empty or too large to be XML.",
                partName: partName
            )
        }
        xmlResetLastError()
        guard
            let reader = xmlReaderForMemory(
                base.assumingMemoryBound(to: CChar.self),
                Int32(bytes.count),
                nil,
                nil,
                Self.options
            )
        else {
            throw Self.lastError(partName: partName)
        }
        self.reader = reader
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// Moves to the next node. Returns `false` at the end of the part.
    func read() throws(ResumeParsingError) -> Bool {
        if hasPendingNode {
            hasPendingNode = false
        } else {
            let result = xmlTextReaderRead(reader)
            if result == 0 { return false }
            if result < 0 { throw Self.lastError(partName: partName) }
        }
        try classifyCurrentNode()
        return true
    }

    /// Skips the current element with all its content; the next ``read()`` returns the node after it.
    func skipElement() throws(ResumeParsingError) {
        let result = xmlTextReaderNext(reader)
        if result < 0 { throw Self.lastError(partName: partName) }
        hasPendingNode = result == 1
        if result == 0 { kind = .other }
    }

    private func classifyCurrentNode() throws(ResumeParsingError) {
        switch xmlTextReaderNodeType(reader) {
        case 1:
            kind = .element
            if Int(xmlTextReaderDepth(reader)) >= maximumDepth {
                throw .limitExceeded(
                    .xmlNestingDepth,
                    "The part \(partName) nests elements deeper than the limit of \(maximumDepth).",
                    partName: partName
                )
            }
        case 15: kind = .endElement
        case 3, 4, 14: kind = .text
        case 10: throw Self.documentTypeError(partName)
        default: kind = .other
        }
    }

    /// Whether the current element has no content (`<w:tab/>`): no end-element node follows it.
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The depth of the current node (the root element is 0).
    var depth: Int { Int(xmlTextReaderDepth(reader)) }

    /// The current node's local name, as a token.
    var localName: XMLLocalName {
        guard let pointer = xmlTextReaderConstLocalName(reader) else { return .unknown }
        let token = localNames.token(for: UnsafeRawPointer(pointer)) {
            XMLLocalName.token(for: String(cString: pointer))
        }
        return XMLLocalName(rawValue: token) ?? .unknown
    }

    /// The current node's namespace, as a token.
    var namespace: XMLNamespace {
        guard let pointer = xmlTextReaderConstNamespaceUri(reader) else { return .unknown }
        let token = namespaces.token(for: UnsafeRawPointer(pointer)) {
            XMLNamespace.token(for: String(cString: pointer))
        }
        return XMLNamespace(rawValue: token) ?? .unknown
    }

    /// An attribute of the current element in the element's own namespace (`w:val` on a `w:` element),
    /// falling back to the unprefixed attribute.
    func attribute(_ localName: StaticString) -> String? {
        localName.withUTF8Buffer { name -> String? in
            guard let base = name.baseAddress else { return nil }
            var value: UnsafeMutablePointer<xmlChar>?
            if let namespace = xmlTextReaderConstNamespaceUri(reader) {
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

    private static func documentTypeError(_ partName: String) -> ResumeParsingError {
        ResumeParsingError(
            code: .forbiddenDocumentType,
            message: "The part \(partName) declares a DTD, which Office documents never do (OPC M1.18); "
                + "the file was refused as unsafe.",
            partName: partName
        )
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

/// A small open-addressing map from interned name pointers to tokens. libxml2 interns element names and
/// namespace URIs in the reader's dictionary, so one pointer stands for one name for the reader's life.
struct PointerTokenCache {
    private static let capacity = 256
    private var keys = [UInt](repeating: 0, count: PointerTokenCache.capacity)
    private var values = [UInt8](repeating: 0, count: PointerTokenCache.capacity)
    private var used = 0

    mutating func token(for pointer: UnsafeRawPointer, resolve: () -> UInt8) -> UInt8 {
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
        if used < Self.capacity * 3 / 4 && keys[slot] == 0 {
            keys[slot] = key
            values[slot] = token
            used += 1
        }
        return token
    }
}
