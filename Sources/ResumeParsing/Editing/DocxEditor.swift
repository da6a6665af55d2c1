public import Foundation

/// Writes new resume text into the user's own Word document, changing only what changed.
///
/// The new text is what a model (or the offline tailor) returned: plain lines, as ``ResumeDocument/text``
/// has them. The editor aligns those lines with the document's paragraphs (sequence alignment of lines,
/// then of words within a line) and rewrites only the runs whose words changed:
///
/// - Every part but the main document is copied byte for byte, in the same order; so is every unchanged
///   paragraph and the markup around it.
/// - A changed paragraph keeps its properties; kept words keep their runs' formatting; new words take the
///   formatting of the words they replace, or else of the words before them.
/// - An added line clones the properties of a neighbouring paragraph (a list item stays in its list); a
///   removed line's paragraph goes (a table cell keeps an empty one).
/// - With ``Options/trackChanges`` the same edits are written as revisions (`w:ins`, `w:del`) that the
///   user accepts or rejects in a word processor.
///
/// A change the editor cannot place safely (a field, a text box, an existing revision, a header…) is not
/// made: the paragraph stays as it was and ``DocxEditReport/refusals`` says why.
///
/// ```swift
/// let original = try Data(contentsOf: resumeURL)
/// let document = try ResumeParser().parse(original)
/// let edited = try DocxEditor().edit(original, document: document, newText: tailoredText)
/// try edited.data.write(to: outputURL)
/// print(edited.document.text)          // the text read back from the new file
/// ```
public struct DocxEditor: Sendable {
    /// How edits are written.
    public struct Options: Sendable, Hashable, Codable {
        /// Write the edits as tracked changes for review. Default `false`.
        public var trackChanges: Bool
        /// The revision author (`w:author`). Default `Resume Optimizer`.
        public var author: String
        /// The revision date (`w:date`); `nil` means now. Default `nil`.
        public var date: Date?

        /// Creates options; every argument has the documented default.
        public init(trackChanges: Bool = false, author: String = "Resume Optimizer", date: Date? = nil) {
            self.trackChanges = trackChanges
            self.author = author
            self.date = date
        }
    }

    /// An edited document.
    public struct Result: Sendable {
        /// The new package's bytes.
        public var data: Data
        /// The new document as read back by the parser: its text is what the file really says.
        public var document: ResumeDocument
        /// What was changed and what was refused.
        public var report: DocxEditReport
    }

    /// Reads the original and the result, with its limits.
    public var parser: ResumeParser

    /// Creates an editor.
    public init(parser: ResumeParser = ResumeParser()) {
        self.parser = parser
    }

    /// Rewrites `original` so that it reads `newText`.
    ///
    /// - Parameters:
    ///   - original: The Word document's bytes.
    ///   - given: `original` already parsed by a parser with the same configuration; `nil` parses it.
    ///   - newText: The new text, line by line as ``ResumeDocument/text``.
    ///   - options: Clean edits or tracked changes.
    /// - Returns: The new package, its text read back, and the report.
    /// - Throws: ``ResumeParsingError`` when the original cannot be read, or the result not written.
    public func edit(
        _ original: Data,
        document given: ResumeDocument? = nil,
        newText: String,
        options: Options = Options()
    ) throws(ResumeParsingError) -> Result {
        // The result differs from the original in its main part only: its read-back takes the style sheet
        // and numbering read here instead of reading them again.
        let cache = DocxPartCache()
        let document: ResumeDocument
        if let given {
            document = given
        } else if case .zip = FormatSniffer.sniff(original) {
            document = try parser.parseWordDocument(original, cache: cache)
        } else {
            document = try parser.parse(original)
        }
        guard document.format.isWordDocument else {
            throw ResumeParsingError(
                code: .unsupportedFormat,
                message: "Only Word documents can be edited in place; this one is \(document.format).",
                detectedFormat: document.format
            )
        }
        var report = DocxEditReport()
        let configuration = parser.configuration
        // The first parse found the main part through the package relationships; only a given document
        // leaves that to do again.
        let knownMainPart = cache.packages[""]?.value.mainPartName
        let main: (part: String, entryIndex: Int, bytes: [UInt8])
        if let kept = cache.mainPart, kept.name == knownMainPart {
            // The first parse read the whole main part and kept its bytes.
            main = (kept.name, kept.entryIndex, kept.bytes)
            cache.mainPart = nil
        } else {
            main = try ZipArchive.withArchive(original) {
                archive throws(ResumeParsingError) -> (part: String, entryIndex: Int, bytes: [UInt8]) in
                let part: String
                if let knownMainPart {
                    part = knownMainPart
                } else {
                    part = try DocxReader(configuration: configuration).mainPartName(in: archive)
                }
                guard let index = archive.entryIndex(named: part)
                else {
                    throw ResumeParsingError(code: .missingMainDocument, message: "The main document part is missing.")
                }
                let stream = try archive.openEntry(at: index, partName: part, budget: InflateBudget(configuration))
                return (part, index, try stream.readAll(maximumSize: configuration.maximumInflatedPartSize))
            }
        }
        let (mainPart, entryIndex, bytes) = main
        guard let markup = WordprocessingMarkup(bytes: bytes) else {
            report.refusals.append(
                .init(
                    reason: .unsupportedContent,
                    address: nil,
                    line: nil,
                    message: "The main document part does not use the WordprocessingML prefix the editor reads."
                )
            )
            return Result(data: original, document: document, report: report)
        }
        var plan = EditPlan(document: document, markup: markup, mainPart: mainPart)
        plan.align(newText: newText)
        report = plan.report
        guard plan.hasEdits else {
            return Result(data: original, document: document, report: report)
        }
        let stamp = RevisionStamp(options: options, prefix: markup.prefix, firstID: markup.largestID + 1)
        let rewritten = plan.render(tracked: options.trackChanges ? stamp : nil)
        let data = try ZipRewriter.replacing(entryAt: entryIndex, with: rewritten, in: original)
        let readBack = try parser.parseWordDocument(data, cache: cache)
        return Result(data: data, document: readBack, report: plan.report)
    }
}

extension DocumentFormat {
    /// Whether the format is a WordprocessingML package (`.docx`, `.dotx`, `.docm`, `.dotm`).
    public var isWordDocument: Bool {
        self == .docx || self == .dotx || self == .docm || self == .dotm
    }
}

/// The attributes of new revisions in one document: author, date and the next free id.
final class RevisionStamp {
    /// ` w:id="`, with the document's prefix for `w:`.
    private let idStart: [UInt8]
    /// `" w:author="…" w:date="…"`: the id's closing quote and the other attributes.
    private let rest: [UInt8]
    private(set) var nextID: Int

    /// - Parameter prefix: the prefix the document gives the WordprocessingML namespace, with its colon.
    init(options: DocxEditor.Options, prefix: String, firstID: Int) {
        var author: [UInt8] = []
        MarkupScanner.escape(options.author, into: &author)
        let date = Self.internetDateTime(options.date ?? Date())
        idStart = Array(" \(prefix)id=\"".utf8)
        rest = Array("\" \(prefix)author=\"".utf8) + author + Array("\" \(prefix)date=\"\(date)\"".utf8)
        nextID = firstID
    }

    /// `2026-05-01T09:30:00Z`: the date in UTC to the second, as `ISO8601DateFormatter` writes it with
    /// `.withInternetDateTime` (a formatter costs more to make than the rest of a small edit).
    static func internetDateTime(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "1970-01-01T00:00:00Z" }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(parts.tm_year + 1900)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + two(parts.tm_mon + 1) + "-"
            + two(parts.tm_mday) + "T" + two(parts.tm_hour) + ":" + two(parts.tm_min) + ":" + two(parts.tm_sec) + "Z"
    }

    /// ` w:id="N" w:author="…" w:date="…"` with a new id, appended to `output`.
    func appendNext(to output: inout [UInt8]) {
        output.append(contentsOf: idStart)
        output.append(contentsOf: String(nextID).utf8)
        output.append(contentsOf: rest)
        nextID += 1
    }

    /// ` w:id="N" w:author="…" w:date="…"` with a new id.
    func next() -> String {
        var bytes: [UInt8] = []
        appendNext(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
