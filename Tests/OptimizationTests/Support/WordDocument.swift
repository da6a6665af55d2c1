import Foundation

/// Builds small .docx files in memory: a zip of stored entries with the content types, the package
/// relationships, a main document of plain paragraphs and, optionally, a header whose paragraphs may
/// hold hyperlinks.
enum WordDocument {
    /// One run of a header paragraph: plain text, or a hyperlink showing `text` and pointing at `url`.
    enum Run {
        case text(String)
        case link(String, url: String)
    }

    static func make(header: [[Run]] = [], body: [String]) -> Data {
        let escape = { (text: String) in
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        let paragraphs = body.map { #"<w:p><w:r><w:t xml:space="preserve">\#(escape($0))</w:t></w:r></w:p>"# }
            .joined()
        var relationships = ""
        var linkNumber = 0
        let headerParagraphs = header.map { runs in
            "<w:p>"
                + runs.map { run in
                    switch run {
                    case .text(let text):
                        return #"<w:r><w:t xml:space="preserve">\#(escape(text))</w:t></w:r>"#
                    case .link(let text, let url):
                        linkNumber += 1
                        relationships += """
                            <Relationship Id="rIdLink\(linkNumber)" \
                            Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" \
                            Target="\(escape(url))" TargetMode="External"/>
                            """
                        return
                            #"<w:hyperlink r:id="rIdLink\#(linkNumber)"><w:r><w:t>\#(escape(text))</w:t></w:r></w:hyperlink>"#
                    }
                }.joined() + "</w:p>"
        }.joined()
        let namespaces = """
            xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
            """
        let hasHeader = !header.isEmpty
        let sectionProperties =
            hasHeader ? #"<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/></w:sectPr>"# : "<w:sectPr/>"
        var entries: [(String, String)] = [
            (
                "[Content_Types].xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>\
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/word/document.xml" \
                ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
                <Override PartName="/word/header1.xml" \
                ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
                </Types>
                """
            ),
            (
                "_rels/.rels",
                """
                <?xml version="1.0" encoding="UTF-8"?>\
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" \
                Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
                Target="word/document.xml"/></Relationships>
                """
            ),
            (
                "word/document.xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
                <w:document \(namespaces)><w:body>\(paragraphs)\(sectionProperties)</w:body></w:document>
                """
            ),
        ]
        if hasHeader {
            entries.append(
                (
                    "word/header1.xml",
                    """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr \(namespaces)>\(headerParagraphs)</w:hdr>
                    """
                )
            )
            entries.append(
                (
                    "word/_rels/header1.xml.rels",
                    """
                    <?xml version="1.0" encoding="UTF-8"?>\
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relationships)</Relationships>
                    """
                )
            )
            entries.append(
                (
                    "word/_rels/document.xml.rels",
                    """
                    <?xml version="1.0" encoding="UTF-8"?>\
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                    <Relationship Id="rIdHeader" \
                    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" \
                    Target="header1.xml"/></Relationships>
                    """
                )
            )
        }
        return zip(entries)
    }

    /// A zip archive of stored (uncompressed) entries.
    static func zip(_ entries: [(name: String, text: String)]) -> Data {
        var archive = Data()
        var directory = Data()
        for (name, text) in entries {
            let nameBytes = Data(name.utf8)
            let content = Data(text.utf8)
            let checksum = crc32(content)
            let offset = UInt32(archive.count)
            archive.append(littleEndian: UInt32(0x0403_4b50))
            archive.append(littleEndian: UInt16(20))
            archive.append(littleEndian: UInt16(0))
            archive.append(littleEndian: UInt16(0))
            archive.append(littleEndian: UInt32(0x0021_0000))
            archive.append(littleEndian: checksum)
            archive.append(littleEndian: UInt32(content.count))
            archive.append(littleEndian: UInt32(content.count))
            archive.append(littleEndian: UInt16(nameBytes.count))
            archive.append(littleEndian: UInt16(0))
            archive.append(nameBytes)
            archive.append(content)

            directory.append(littleEndian: UInt32(0x0201_4b50))
            directory.append(littleEndian: UInt16(20))
            directory.append(littleEndian: UInt16(20))
            directory.append(littleEndian: UInt16(0))
            directory.append(littleEndian: UInt16(0))
            directory.append(littleEndian: UInt32(0x0021_0000))
            directory.append(littleEndian: checksum)
            directory.append(littleEndian: UInt32(content.count))
            directory.append(littleEndian: UInt32(content.count))
            directory.append(littleEndian: UInt16(nameBytes.count))
            directory.append(littleEndian: UInt16(0))
            directory.append(littleEndian: UInt16(0))
            directory.append(littleEndian: UInt16(0))
            directory.append(littleEndian: UInt16(0))
            directory.append(littleEndian: UInt32(0))
            directory.append(littleEndian: offset)
            directory.append(nameBytes)
        }
        let directoryOffset = UInt32(archive.count)
        archive.append(directory)
        archive.append(littleEndian: UInt32(0x0605_4b50))
        archive.append(littleEndian: UInt16(0))
        archive.append(littleEndian: UInt16(0))
        archive.append(littleEndian: UInt16(entries.count))
        archive.append(littleEndian: UInt16(entries.count))
        archive.append(littleEndian: UInt32(directory.count))
        archive.append(littleEndian: directoryOffset)
        archive.append(littleEndian: UInt16(0))
        return archive
    }

    private static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

extension Data {
    fileprivate mutating func append<Integer: FixedWidthInteger>(littleEndian value: Integer) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
