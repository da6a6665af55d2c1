/// Turns one fuzzer input into the XML parts of a word-processing package.
///
/// The input is split at `PartsInput.separator` into at most five parts, in this order: the main
/// document, numbering, footnotes, a header and the core properties. Parts that are absent or empty
/// are left out of the package, together with their relationships.
public struct PartsInput: Sendable {
    /// The line between two parts of an input.
    public static let separator: [UInt8] = Array("\n<!--next-part-->\n".utf8)

    /// The package paths of the parts, in input order, with the relationship that points at each
    /// (`nil` for the main document, which the package relationships point at).
    static let layout: [(path: String, relationshipType: String?)] = [
        ("word/document.xml", nil),
        ("word/numbering.xml", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"),
        ("word/footnotes.xml", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"),
        ("word/header1.xml", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"),
        ("docProps/core.xml", nil),
    ]

    /// The parts found in the input, in layout order (missing ones are empty).
    public let parts: [[UInt8]]

    /// Splits `bytes` into parts.
    public init(_ bytes: UnsafeRawBufferPointer) {
        var parts: [[UInt8]] = []
        var start = 0
        var index = 0
        let separator = Self.separator
        while index + separator.count <= bytes.count, parts.count < Self.layout.count - 1 {
            if bytes[index] == separator[0], bytes[index..<index + separator.count].elementsEqual(separator) {
                parts.append(Array(bytes[start..<index]))
                index += separator.count
                start = index
            } else {
                index += 1
            }
        }
        parts.append(Array(bytes[start..<bytes.count]))
        while parts.count < Self.layout.count { parts.append([]) }
        self.parts = parts
    }

    /// A zip package holding the parts with their content types and relationships.
    public func package() -> [UInt8] {
        var documentRelationships = ""
        for (offset, part) in Self.layout.enumerated() {
            guard let type = part.relationshipType, !parts[offset].isEmpty else { continue }
            let target = part.path.split(separator: "/").last.map(String.init) ?? part.path
            documentRelationships += #"<Relationship Id="rId\#(offset)" Type="\#(type)" Target="\#(target)"/>"#
        }
        var packageRelationships =
            #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#
        if !parts[4].isEmpty {
            packageRelationships +=
                #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
        }
        let contentTypes = """
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/word/document.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
            """
        let relationshipsOpen =
            #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        var entries = [
            StoredZip.Entry(name: "[Content_Types].xml", bytes: Array(contentTypes.utf8)),
            StoredZip.Entry(
                name: "_rels/.rels",
                bytes: Array((relationshipsOpen + packageRelationships + "</Relationships>").utf8)
            ),
        ]
        if !documentRelationships.isEmpty {
            entries.append(
                StoredZip.Entry(
                    name: "word/_rels/document.xml.rels",
                    bytes: Array((relationshipsOpen + documentRelationships + "</Relationships>").utf8)
                )
            )
        }
        for (offset, part) in Self.layout.enumerated() where offset == 0 || !parts[offset].isEmpty {
            entries.append(StoredZip.Entry(name: part.path, bytes: parts[offset]))
        }
        return StoredZip.archive(entries)
    }
}
