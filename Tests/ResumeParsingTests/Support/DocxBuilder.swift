import Foundation

/// Builds a small, valid .docx in memory: the package relationships, content types, the main part and
/// whatever other parts a test adds. Body XML is written without the namespace boilerplate.
struct DocxBuilder {
    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let strictWordNamespace = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    static let namespaces = """
        xmlns:w="\(wordNamespace)" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" \
        xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" \
        xmlns:v="urn:schemas-microsoft-com:vml" \
        xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" \
        xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" \
        xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
        xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"
        """

    var body: String
    var mainPartName = "word/document.xml"
    var mainContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    var strict = false
    /// Extra parts linked from the main part: (relationship type suffix, part name, XML).
    var relatedParts: [(type: String, name: String, xml: String)] = []
    /// Extra files in the archive, not linked.
    var extraEntries: [(name: String, text: String)] = []
    var coreProperties: String?
    /// Turns a part's XML into the bytes stored in the archive (by default UTF-8 as written), so a test can
    /// store parts with a byte order mark or in another encoding.
    var encodePart: (_ partName: String, _ xml: String) -> Data = { _, xml in Data(xml.utf8) }

    init(body: String) {
        self.body = body
    }

    /// Wraps a body fragment in `w:document`/`w:body`.
    static func document(_ body: String, namespace: String = wordNamespace) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document \(namespaces.replacingOccurrences(of: wordNamespace, with: namespace))><w:body>\(body)</w:body></w:document>
        """
    }

    /// Wraps content in a part root such as `w:hdr`, `w:ftr`, `w:footnotes`, `w:numbering`, `w:styles`.
    static func part(_ root: String, _ content: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:\(root) \(namespaces)>\(content)</w:\(root)>
        """
    }

    mutating func addPart(type: String, name: String, xml: String) {
        relatedParts.append((type, name, xml))
    }

    func data() -> Data {
        let relationshipBase =
            strict
            ? "http://purl.oclc.org/ooxml/officeDocument/relationships"
            : "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var zip = ZipWriter()
        var overrides = "<Override PartName=\"/\(mainPartName)\" ContentType=\"\(mainContentType)\"/>"
        var packageRelationships =
            "<Relationship Id=\"rId1\" Type=\"\(relationshipBase)/officeDocument\" Target=\"\(mainPartName)\"/>"
        if let coreProperties {
            packageRelationships += """
                <Relationship Id="rId2" \
                Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
                Target="docProps/core.xml"/>
                """
            overrides +=
                "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
            zip.add("docProps/core.xml", data: encodePart("docProps/core.xml", coreProperties))
        }
        zip.add(
            "[Content_Types].xml",
            data: encodePart(
                "[Content_Types].xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\(overrides)</Types>
                """
            )
        )
        zip.add(
            "_rels/.rels",
            data: encodePart(
                "_rels/.rels",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(packageRelationships)</Relationships>
                """
            )
        )
        let namespace = strict ? Self.strictWordNamespace : Self.wordNamespace
        zip.add(mainPartName, data: encodePart(mainPartName, Self.document(body, namespace: namespace)))
        if !relatedParts.isEmpty {
            let folder = mainPartName.split(separator: "/").dropLast().joined(separator: "/")
            let file = mainPartName.split(separator: "/").last.map(String.init) ?? mainPartName
            var relationships = ""
            for (index, part) in relatedParts.enumerated() {
                let target =
                    part.name.hasPrefix(folder + "/") ? String(part.name.dropFirst(folder.count + 1)) : "/" + part.name
                relationships +=
                    "<Relationship Id=\"rIdPart\(index)\" Type=\"\(relationshipBase)/\(part.type)\" Target=\"\(target)\"/>"
                zip.add(part.name, data: encodePart(part.name, part.xml))
            }
            zip.add(
                (folder.isEmpty ? "" : folder + "/") + "_rels/\(file).rels",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relationships)</Relationships>
                """
            )
        }
        for entry in extraEntries { zip.add(entry.name, entry.text) }
        return zip.archive()
    }
}

/// Shorthand for a paragraph holding one run of text.
func paragraph(_ text: String) -> String {
    "<w:p><w:r><w:t xml:space=\"preserve\">\(text)</w:t></w:r></w:p>"
}
