import Foundation

/// Builds small .docx files in memory for the tests: a zip (stored entries) with the content
/// types, the package relationships and a main document of plain paragraphs.
enum WordDocument {
    /// A .docx whose body is one paragraph per string.
    static func withParagraphs(_ paragraphs: [String]) -> Data {
        let body = paragraphs.map { #"<w:p><w:r><w:t xml:space="preserve">\#($0)</w:t></w:r></w:p>"# }.joined()
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
            <w:body>\(body)<w:sectPr/></w:body></w:document>
            """
        return zip([
            (
                "[Content_Types].xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>\
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/word/document.xml" \
                ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
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
            ("word/document.xml", document),
        ])
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
            archive.append(littleEndian: UInt32(0x0021_0000))  // time 00:00, date 1980-01-01
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
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return ~crc
    }
}

extension Data {
    fileprivate mutating func append<Integer: FixedWidthInteger>(littleEndian value: Integer) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
