import Foundation

/// Reads a Word document (`.docx`, `.dotx`, `.docm`, `.dotm`, transitional or strict) from a zip package.
///
/// The main part is found through `_rels/.rels`, never assumed; its own relationships lead to styles,
/// numbering, headers, footers and notes. The glossary document and comments are never read, nor are macros.
struct DocxReader {
    let configuration: ResumeParser.Configuration

    /// Reads a document. With a `cache`, the style sheet and the numbering definitions are taken from it
    /// when it holds them, and put in it when it does not (see ``DocxPartCache``).
    func read(_ data: Data, cache: DocxPartCache? = nil) throws(ResumeParsingError) -> ResumeDocument {
        try XMLReaderPool.withGenericErrorsSilenced { () throws(ResumeParsingError) in
            try ZipArchive.withArchive(data) { archive throws(ResumeParsingError) in
                let package = PackageReader(archive: archive, configuration: configuration, cache: cache)
                return try package.readDocument()
            }
        }
    }

    /// The package's format from its directory, `_rels/.rels` and `[Content_Types].xml` only: the main
    /// document is not inflated.
    func format(of data: Data) throws(ResumeParsingError) -> DocumentFormat {
        try XMLReaderPool.withGenericErrorsSilenced { () throws(ResumeParsingError) in
            try ZipArchive.withArchive(data) { archive throws(ResumeParsingError) in
                try PackageReader(archive: archive, configuration: configuration).mainPart().format
            }
        }
    }

    /// The main part's name, as the package relationships give it.
    func mainPartName(in archive: ZipArchive) throws(ResumeParsingError) -> String {
        try XMLReaderPool.withGenericErrorsSilenced { () throws(ResumeParsingError) in
            try PackageReader(archive: archive, configuration: configuration).mainPart().name
        }
    }
}

/// Reads the parts of one opened package.
private struct PackageReader {
    let archive: ZipArchive
    let configuration: ResumeParser.Configuration
    let budget: InflateBudget
    let session: DocxSession
    let xmlReaders = XMLReaderPool()
    let xmlLimits: XMLInput.Limits
    let cache: DocxPartCache?

    init(archive: ZipArchive, configuration: ResumeParser.Configuration, cache: DocxPartCache? = nil) {
        self.archive = archive
        self.configuration = configuration
        self.cache = cache
        self.budget = InflateBudget(configuration)
        self.session = DocxSession(configuration: configuration)
        self.xmlLimits = XMLInput.Limits(
            maximumDepth: configuration.maximumXMLNestingDepth,
            maximumMarkupLength: configuration.maximumXMLMarkupLength
        )
    }

    func readDocument() throws(ResumeParsingError) -> ResumeDocument {
        // The lazy loaders capture this reader, which holds the session: break that cycle on every path.
        defer {
            session.stylesLoader = nil
            session.numberingLoader = nil
        }
        // The package's parts but the main one are the same in an edited copy: see DocxPartCache.
        let (mainPartName, format, packageRelationships) = try cached("", in: \.packages, unless: nil) {
            () throws(ResumeParsingError) in
            let (name, format, relationships) = try mainPart()
            return DocxPartCache.Package(mainPartName: name, format: format, relationships: relationships)
        }.fields
        guard let mainIndex = archive.entryIndex(named: mainPartName) else {
            throw missingMainDocument("The main document part \(mainPartName) is missing from the archive.")
        }
        let mainRelationshipsPart = PackagePart.relationshipsPartName(for: mainPartName)
        let mainRelationships = try cached(mainRelationshipsPart, in: \.relationships, unless: mainPartName) {
            () throws(ResumeParsingError) in
            try readOptional(mainRelationshipsPart) { (reader: XMLStreamReader) throws(ResumeParsingError) in
                try PackagePart.relationships(in: reader, sourcePartName: mainPartName)
            } ?? []
        }
        func targets(_ type: String) -> [String] {
            var seen = Set<String>()
            return mainRelationships.filter { $0.hasType(type) }.compactMap(\.targetPartName)
                .filter { seen.insert($0.lowercased()).inserted }
                .sorted { ($0.count, $0) < ($1.count, $1) }
        }

        if let stylesPart = targets("styles").first {
            let package = self
            session.stylesLoader = { () throws(ResumeParsingError) -> StyleSheet in
                try package.cached(stylesPart, in: \.styles, unless: mainPartName) { () throws(ResumeParsingError) in
                    try package.readOptional(
                        stylesPart,
                        droppingElements: StyleSheet.elementsSkippedUnread,
                        droppingWhitespace: true,
                        droppingEmpty: StyleSheet.elementsIgnoredWhenEmpty
                    ) { (reader: XMLStreamReader) throws(ResumeParsingError) in
                        try StyleSheet(reader: reader)
                    } ?? StyleSheet()
                }
            }
        }
        if let numberingPart = targets("numbering").first {
            let package = self
            session.numberingLoader = { () throws(ResumeParsingError) -> Numbering in
                try package.cached(numberingPart, in: \.numbering, unless: mainPartName) {
                    () throws(ResumeParsingError) in
                    try package.readOptional(
                        numberingPart,
                        droppingElements: Numbering.elementsSkippedUnread,
                        droppingWhitespace: true
                    ) {
                        (reader: XMLStreamReader) throws(ResumeParsingError) in
                        try Numbering(reader: reader)
                    } ?? Numbering()
                }
            }
        }

        let (headers, headerSources) = try readMargins(targets("header"), root: .hdr)
        let session = self.session
        // An editor's cache keeps the main part's bytes of its first read too: the editor rewrites them.
        let keepsMainPart = cache?.keepsMainPart ?? false
        cache?.keepsMainPart = false
        let (body, bodySources) = try readPart(mainPartName, index: mainIndex, keepingBytes: keepsMainPart) {
            (reader: XMLStreamReader) throws(ResumeParsingError) in
            var walker = ContentWalker(session: session, partName: mainPartName)
            let blocks = try walker.walk(reader, expectingRoot: .document)
            return (blocks, walker.sources)
        }
        let (footnotes, footnoteSources) = try readNotes(
            targets("footnotes").first,
            root: .footnotes,
            isEndnote: false
        )
        let (endnotes, endnoteSources) = try readNotes(targets("endnotes").first, root: .endnotes, isEndnote: true)
        let (footers, footerSources) = try readMargins(targets("footer"), root: .ftr)

        var metadata = DocumentMetadata()
        if let corePart = packageRelationships.first(where: { $0.hasType("core-properties") })?.targetPartName {
            metadata = try cached(corePart, in: \.metadata, unless: mainPartName) { () throws(ResumeParsingError) in
                try readOptional(corePart) { (reader: XMLStreamReader) throws(ResumeParsingError) in
                    try CoreProperties.read(reader)
                } ?? DocumentMetadata()
            }
        }

        var text = ""
        text.reserveCapacity(session.textBytes + 256)
        func appendSection(_ render: (inout String) -> Void) {
            var section = ""
            render(&section)
            guard !section.isEmpty else { return }
            if !text.isEmpty { text.append("\n\n") }
            text.append(section)
        }
        for header in headers { appendSection { PlainTextRenderer.render(header.blocks, into: &$0) } }
        appendSection { PlainTextRenderer.render(body, into: &$0) }
        appendSection { PlainTextRenderer.render(footnotes, into: &$0) }
        appendSection { PlainTextRenderer.render(endnotes, into: &$0) }
        for footer in footers { appendSection { PlainTextRenderer.render(footer.blocks, into: &$0) } }

        var lineMapper = LineMapper()
        for (header, sources) in zip(headers, headerSources) {
            lineMapper.appendSection { $0.render(header.blocks, sources: sources) }
        }
        lineMapper.appendSection { $0.render(body, sources: bodySources) }
        lineMapper.appendSection { $0.render(footnotes, sources: footnoteSources) }
        lineMapper.appendSection { $0.render(endnotes, sources: endnoteSources) }
        for (footer, sources) in zip(footers, footerSources) {
            lineMapper.appendSection { $0.render(footer.blocks, sources: sources) }
        }
        // The map is built by the same rules as the text; should they ever disagree, no line claims a source.
        let lines =
            lineMapper.text == text
            ? lineMapper.lines
            : text.split(separator: "\n", omittingEmptySubsequences: false).map {
                ResumeDocument.Line(text: String($0))
            }

        guard TextStatistics.hasRealText(text) else {
            throw ResumeParsingError(
                code: .noText,
                message: session.diagnostics.imageCount > 0
                    ? "The document holds no text, only pictures; text inside pictures is not read."
                    : "The document holds no readable text.",
                detectedFormat: format
            )
        }
        var diagnostics = session.diagnostics
        if diagnostics.hiddenCharacterCount > 0 {
            diagnostics.warnings.insert(
                .init(
                    code: .hiddenText,
                    message: "The document hides \(diagnostics.hiddenCharacterCount) characters of text "
                        + "(a keyword-stuffing trick); they were left out."
                ),
                at: 0
            )
        }
        TextStatistics.addWarnings(for: text, imageCount: diagnostics.imageCount, to: &diagnostics)
        return ResumeDocument(
            text: text,
            format: format,
            blocks: body,
            headers: headers,
            footers: footers,
            footnotes: footnotes,
            endnotes: endnotes,
            metadata: metadata,
            diagnostics: diagnostics,
            lines: lines
        )
    }

    // MARK: Format

    /// The main part's name and the package's format, or the refusal of a package that is not a Word
    /// document.
    func mainPart() throws(ResumeParsingError) -> (
        name: String, format: DocumentFormat, packageRelationships: [PackageRelationship]
    ) {
        guard archive.entryCount <= configuration.maximumArchiveEntryCount else {
            throw .limitExceeded(
                .archiveEntryCount,
                "The archive lists \(archive.entryCount) entries, over the limit of "
                    + "\(configuration.maximumArchiveEntryCount)."
            )
        }
        try refuseOpenDocument()

        // The package relationships name the main part.
        guard let packageRelationships = try readRelationships(of: "") else {
            throw missingMainDocument(
                "The archive has no package relationships (_rels/.rels); it is not an Office document."
            )
        }
        guard let mainPartName = packageRelationships.first(where: { $0.hasType("officeDocument") })?.targetPartName
        else {
            throw missingMainDocument("The archive has no main document; it is not a Word document.")
        }
        return (mainPartName, try detectFormat(mainPartName: mainPartName), packageRelationships)
    }

    private func refuseOpenDocument() throws(ResumeParsingError) {
        guard let index = archive.entryIndex(named: "mimetype") else { return }
        let budget = InflateBudget(configuration)
        guard let stream = try? archive.openEntry(at: index, partName: "mimetype", budget: budget),
            let bytes = try? stream.readAll(maximumSize: 256)
        else { return }
        let mimeType = String(decoding: bytes, as: UTF8.self)
        if mimeType.hasPrefix("application/vnd.oasis.opendocument.text") {
            throw .unsupported(.odt, "OpenDocument text (.odt) is not supported yet; save the resume as .docx.")
        }
        if mimeType.hasPrefix("application/") {
            throw .unsupported(
                .otherPackage,
                "The file is a packaged format that is not a resume (such as .ods, .odp or EPUB); upload .docx or plain text."
            )
        }
    }

    private func detectFormat(mainPartName: String) throws(ResumeParsingError) -> DocumentFormat {
        let contentTypes =
            try readOptional("[Content_Types].xml") { (reader: XMLStreamReader) throws(ResumeParsingError) in
                try PackagePart.ContentTypes(reader: reader)
            } ?? PackagePart.ContentTypes()
        let type = contentTypes.contentType(of: mainPartName)?.lowercased() ?? ""
        let lowercasedPart = mainPartName.lowercased()
        if type.contains("spreadsheetml") || type.contains("ms-excel") || lowercasedPart.hasPrefix("xl/") {
            throw .unsupported(.xlsx, "Spreadsheets (.xlsx) are not resumes; upload .docx or plain text.")
        }
        if type.contains("presentationml") || type.contains("ms-powerpoint") || lowercasedPart.hasPrefix("ppt/") {
            throw .unsupported(.pptx, "Presentations (.pptx) are not resumes; upload .docx or plain text.")
        }
        if type.contains("macroenabledtemplate") { return .dotm }
        if type.contains("macroenabled") { return .docm }
        if type.contains("wordprocessingml.template") { return .dotx }
        return .docx
    }

    private func missingMainDocument(_ message: String) -> ResumeParsingError {
        ResumeParsingError(code: .missingMainDocument, message: message, detectedFormat: .zip)
    }

    // MARK: Parts

    private func readRelationships(of partName: String) throws(ResumeParsingError) -> [PackageRelationship]? {
        let relationshipsPart = partName.isEmpty ? "_rels/.rels" : PackagePart.relationshipsPartName(for: partName)
        guard let index = archive.entryIndex(named: relationshipsPart) else { return nil }
        return try readPart(relationshipsPart, index: index) { (reader: XMLStreamReader) throws(ResumeParsingError) in
            try PackagePart.relationships(in: reader, sourcePartName: partName)
        }
    }

    /// The value `read` gives for a part, from the cache when it holds it (with the diagnostics that reading
    /// it recorded, recorded again), else read and put in the cache. The main part is never cached.
    private func cached<Value>(
        _ partName: String,
        in table: ReferenceWritableKeyPath<DocxPartCache, [String: DocxPartCache.Entry<Value>]>,
        unless mainPartName: String?,
        read: () throws(ResumeParsingError) -> Value
    ) throws(ResumeParsingError) -> Value {
        guard let cache, partName != mainPartName else { return try read() }
        if let entry = cache[keyPath: table][partName] {
            session.diagnostics.partsRead.append(contentsOf: entry.partsRead)
            session.diagnostics.warnings.append(contentsOf: entry.warnings)
            return entry.value
        }
        let partsBefore = session.diagnostics.partsRead.count
        let warningsBefore = session.diagnostics.warnings.count
        let value = try read()
        cache[keyPath: table][partName] = DocxPartCache.Entry(
            value: value,
            partsRead: Array(session.diagnostics.partsRead[partsBefore...]),
            warnings: Array(session.diagnostics.warnings[warningsBefore...])
        )
        return value
    }

    /// Inflates a part within the budget and hands its XML reader to `body`. With `keepingBytes`, the part's
    /// bytes go in the cache when the reader read all of them (``DocxPartCache/mainPart``).
    private func readPart<Result>(
        _ partName: String,
        index: Int,
        droppingElements droppedElements: [String] = [],
        droppingWhitespace: Bool = false,
        droppingEmpty: [String] = [],
        keepingBytes: Bool = false,
        body: (XMLStreamReader) throws(ResumeParsingError) -> Result
    ) throws(ResumeParsingError) -> Result {
        let stream = try archive.openEntry(at: index, partName: partName, budget: budget)
        stream.keepsBytes = keepingBytes
        defer {
            if keepingBytes, let bytes = stream.keptBytes() {
                cache?.mainPart = DocxPartCache.MainPart(name: partName, entryIndex: index, bytes: bytes)
            }
        }
        let reader = try XMLStreamReader(
            stream: stream,
            limits: xmlLimits,
            pool: xmlReaders,
            droppedElements: droppedElements,
            droppingWhitespace: droppingWhitespace,
            droppingEmpty: droppingEmpty
        )
        let result = try body(reader)
        session.diagnostics.partsRead.append(partName)
        return result
    }

    /// Reads an optional part: a missing part gives `nil`; a damaged one gives `nil` and a warning. Limits,
    /// DTDs and encryption always stop the whole document.
    private func readOptional<Result>(
        _ partName: String,
        droppingElements droppedElements: [String] = [],
        droppingWhitespace: Bool = false,
        droppingEmpty: [String] = [],
        body: (XMLStreamReader) throws(ResumeParsingError) -> Result
    ) throws(ResumeParsingError) -> Result? {
        guard let index = archive.entryIndex(named: partName) else { return nil }
        do {
            return try readPart(
                partName,
                index: index,
                droppingElements: droppedElements,
                droppingWhitespace: droppingWhitespace,
                droppingEmpty: droppingEmpty,
                body: body
            )
        } catch
            where error.code == .malformedXML || error.code == .corruptArchive || error.code == .missingMainDocument
        {
            session.diagnostics.warnings.append(
                .init(code: .unreadablePart, message: "The part \(partName) could not be read and was skipped.")
            )
            return nil
        }
    }

    private func readMargins(
        _ partNames: [String],
        root: XMLLocalName
    ) throws(ResumeParsingError) -> ([ResumeDocument.PageMargin], [[BlockSource]]) {
        var margins: [ResumeDocument.PageMargin] = []
        var marginSources: [[BlockSource]] = []
        var seenTexts = Set<String>()
        let container: ResumeDocument.ParagraphAddress.Container = root == .hdr ? .header : .footer
        for partName in partNames {
            let session = self.session
            let (blocks, sources): ([ResumeDocument.Block], [BlockSource]) =
                try readOptional(partName) { (reader: XMLStreamReader) throws(ResumeParsingError) in
                    var walker = ContentWalker(session: session, partName: partName, container: container)
                    let blocks = try walker.walk(reader, expectingRoot: root)
                    return (blocks, walker.sources)
                } ?? ([], [])
            guard !blocks.isEmpty else { continue }
            var text = ""
            PlainTextRenderer.render(blocks, into: &text)
            guard seenTexts.insert(text).inserted else { continue }
            margins.append(ResumeDocument.PageMargin(partName: partName, blocks: blocks))
            marginSources.append(sources)
        }
        return (margins, marginSources)
    }

    private func readNotes(
        _ partName: String?,
        root: XMLLocalName,
        isEndnote: Bool
    ) throws(ResumeParsingError) -> ([ResumeDocument.Note], [[BlockSource]]) {
        guard let partName else { return ([], []) }
        let session = self.session
        let container: ResumeDocument.ParagraphAddress.Container = isEndnote ? .endnote : .footnote
        let (notesByID, sourcesByID): ([String: [ResumeDocument.Block]], [String: [BlockSource]]) =
            try readOptional(partName) { (reader: XMLStreamReader) throws(ResumeParsingError) in
                var walker = ContentWalker(session: session, partName: partName, container: container)
                _ = try walker.walk(reader, expectingRoot: root)
                return (walker.notes, walker.noteSources)
            } ?? ([:], [:])
        var notes: [ResumeDocument.Note] = []
        var sources: [[BlockSource]] = []
        var used = Set<String>()
        for (id, mark) in isEndnote ? session.endnoteMarks : session.footnoteMarks {
            guard let blocks = notesByID[id], !blocks.isEmpty else { continue }
            used.insert(id)
            notes.append(ResumeDocument.Note(mark: mark, blocks: blocks))
            sources.append(sourcesByID[id] ?? [])
        }
        // Notes never referenced from the text still belong to the document; they follow, marked in turn.
        for id in notesByID.keys.sorted(by: { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }) where !used.contains(id) {
            guard let blocks = notesByID[id], !blocks.isEmpty else { continue }
            notes.append(ResumeDocument.Note(mark: session.noteMark(id: id, isEndnote: isEndnote), blocks: blocks))
            sources.append(sourcesByID[id] ?? [])
        }
        return (notes, sources)
    }
}

/// The style sheet and numbering definitions of a package, kept from one read for a second read of the same
/// package in which only the main document part differs: ``DocxEditor`` reads back the document it wrote,
/// whose other parts are byte-for-byte copies of the original's. Only for such a pair of reads; one cache
/// belongs to one edit and one thread.
final class DocxPartCache {
    struct Entry<Value> {
        var value: Value
        /// What reading the part added to the diagnostics.
        var partsRead: [String]
        var warnings: [ParsingDiagnostics.Warning]
    }

    /// The main part's name, the format and the package relationships.
    struct Package {
        var mainPartName: String
        var format: DocumentFormat
        var relationships: [PackageRelationship]

        var fields: (String, DocumentFormat, [PackageRelationship]) { (mainPartName, format, relationships) }
    }

    /// The main part as stored in the archive, inflated (an editor rewrites it).
    struct MainPart {
        var name: String
        var entryIndex: Int
        var bytes: [UInt8]
    }

    /// The main part's bytes from the first read, when it read all of them.
    var mainPart: MainPart?
    /// Whether the next read keeps the main part's bytes: only the first does.
    var keepsMainPart = true
    /// By part name (the package under the empty name).
    var packages: [String: Entry<Package>] = [:]
    var relationships: [String: Entry<[PackageRelationship]>] = [:]
    var metadata: [String: Entry<DocumentMetadata>] = [:]
    var styles: [String: Entry<StyleSheet>] = [:]
    var numbering: [String: Entry<Numbering>] = [:]
}
