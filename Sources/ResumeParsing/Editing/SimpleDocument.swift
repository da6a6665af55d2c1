public import Foundation

/// Writes plain resume text as a clean, simple Word document: one paragraph per line, headings and bullets
/// recognised, default styles. For resumes that arrived as plain text and are wanted as `.docx`.
public enum SimpleDocument {
    /// The `.docx` bytes for `text`.
    ///
    /// A line is a heading when it is a Markdown heading (`# …`), or short (at most six words), without a
    /// final full stop, and in capitals or ending with a colon. A line starting with `-`, `*`, `•` or `–`
    /// and a space is a bullet (a real list item). Blank lines are dropped.
    public static func make(text: String) throws(ResumeParsingError) -> Data {
        var body = ""
        for rawLine in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            if let bullet = ["- ", "* ", "• ", "– "].first(where: line.hasPrefix) {
                body += paragraph(
                    String(line.dropFirst(bullet.count)),
                    properties:
                        "<w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>"
                )
            } else if line.hasPrefix("#") {
                body += paragraph(
                    String(line.drop { $0 == "#" }.drop { $0 == " " }),
                    properties: "<w:pStyle w:val=\"Heading1\"/>"
                )
            } else if isHeading(line) {
                body += paragraph(line, properties: "<w:pStyle w:val=\"Heading1\"/>")
            } else {
                body += paragraph(line, properties: nil)
            }
        }
        let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let document =
            header
            + "<w:document xmlns:w=\"\(w)\"><w:body>\(body)<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
        let styles =
            header + """
                <w:styles xmlns:w="\(w)"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/></w:rPr></w:rPrDefault>\
                <w:pPrDefault><w:pPr><w:spacing w:after="80"/></w:pPr></w:pPrDefault></w:docDefaults>\
                <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>\
                <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>\
                <w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>\
                <w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="720"/></w:pPr></w:style>\
                </w:styles>
                """
        let numbering =
            header + """
                <w:numbering xmlns:w="\(w)"><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>\
                <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/>\
                <w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>
                """
        let contentTypes =
            header + """
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
                <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
                <Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>
                """
        let relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let packageRelationships =
            header + """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\(relationshipType)/officeDocument" Target="word/document.xml"/></Relationships>
                """
        let documentRelationships =
            header + """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\(relationshipType)/styles" Target="styles.xml"/>\
                <Relationship Id="rId2" Type="\(relationshipType)/numbering" Target="numbering.xml"/></Relationships>
                """
        return try ZipRewriter.archive([
            ("[Content_Types].xml", Array(contentTypes.utf8)),
            ("_rels/.rels", Array(packageRelationships.utf8)),
            ("word/document.xml", Array(document.utf8)),
            ("word/_rels/document.xml.rels", Array(documentRelationships.utf8)),
            ("word/styles.xml", Array(styles.utf8)),
            ("word/numbering.xml", Array(numbering.utf8)),
        ])
    }

    private static func isHeading(_ line: String) -> Bool {
        let words = line.split(separator: " ")
        guard words.count <= 6, !line.hasSuffix("."), line.contains(where: \.isLetter) else { return false }
        let letters = line.filter(\.isLetter)
        return line.hasSuffix(":") || (letters.count >= 2 && letters.allSatisfy(\.isUppercase))
    }

    private static func paragraph(_ text: String, properties: String?) -> String {
        var escaped: [UInt8] = []
        var output = "<w:p>"
        if let properties { output += "<w:pPr>\(properties)</w:pPr>" }
        for (index, part) in text.split(separator: "\t", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { output += "<w:r><w:tab/></w:r>" }
            guard !part.isEmpty else { continue }
            escaped.removeAll(keepingCapacity: true)
            MarkupScanner.escape(part, into: &escaped)
            output += "<w:r><w:t xml:space=\"preserve\">\(String(decoding: escaped, as: UTF8.self))</w:t></w:r>"
        }
        return output + "</w:p>"
    }
}
