public import Foundation
public import Logging

/// Reads resumes from untrusted bytes: plain text and Word documents (`.docx`, `.dotx`, `.docm`, `.dotm`).
///
/// The format is detected from the content, never from the file name. Every other format gets a specific
/// refusal (see ``ResumeParsingError/Code``), and every limit of ``Configuration`` is enforced while reading.
///
/// A parser is a small value: create one and use it from as many tasks as you like. Pass a `Logger` to see
/// what was detected and refused at debug level; log entries carry codes, formats and counts, never text.
///
/// ```swift
/// let parser = ResumeParser()
/// let resume = try parser.parse(contentsOf: URL(filePath: "resume.docx"))
/// print(resume.text)
/// print(resume.diagnostics.warnings)
/// ```
public struct ResumeParser: Sendable {
    /// The limits this parser enforces.
    public var configuration: Configuration

    /// Creates a parser with the given limits (the documented defaults unless changed).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Parses a resume from its bytes.
    ///
    /// - Parameters:
    ///   - data: The document's bytes.
    ///   - fileNameHint: The name the file came with, if any. It is not used to detect the format.
    ///   - logger: Where to log the outcome, at debug level (the default logs nothing).
    /// - Returns: The text, structure, metadata and diagnostics of the document.
    /// - Throws: ``ResumeParsingError``.
    public func parse(
        _ data: Data,
        fileNameHint: String? = nil,
        logger: Logger = ResumeParser.noOpLogger
    ) throws(ResumeParsingError) -> ResumeDocument {
        do {
            let document = try read(data)
            logger.debug(
                "Parsed a document",
                metadata: [
                    "parsing.format": "\(document.format.identifier)",
                    "parsing.bytes": "\(data.count)",
                    "parsing.characters": "\(document.text.utf8.count)",
                    "parsing.parts": "\(document.diagnostics.partsRead.count)",
                    "parsing.warnings": "\(document.diagnostics.warnings.map(\.code.identifier))",
                ]
            )
            return document
        } catch {
            logger.debug(
                "Refused a document",
                metadata: [
                    "parsing.error": "\(error.code.identifier)",
                    "parsing.limit": "\(error.limit?.identifier ?? "none")",
                    "parsing.bytes": "\(data.count)",
                ]
            )
            throw error
        }
    }

    /// Detects the document's format cheaply, without extracting its text, and refuses at once what
    /// ``parse(_:fileNameHint:logger:)`` would refuse for its format: a PDF, a legacy `.doc`, an encrypted
    /// or another Office document, an image, binary data, a zip that is not a Word package, and input over
    /// ``Configuration/maximumInputSize``.
    ///
    /// For a `.docx` it reads only the archive's directory, `_rels/.rels` and `[Content_Types].xml` (the
    /// main document is not inflated); plain text is read whole, which is cheap. A document that passes
    /// may still fail to parse later (for example a `.docx` with no text, or a damaged main part). A server
    /// calls this to answer `415` at submission and leaves the full parse to the job.
    ///
    /// - Returns: The detected format, such as ``DocumentFormat/docx`` or ``DocumentFormat/plainText``.
    /// - Throws: ``ResumeParsingError``.
    public func checkFormat(_ data: Data) throws(ResumeParsingError) -> DocumentFormat {
        try checkSize(data)
        switch FormatSniffer.sniff(data) {
        case .zip:
            return try DocxReader(configuration: configuration).format(of: data)
        case .compoundFile:
            throw CompoundFileDirectory.refusal(for: data)
        case .refused(let error):
            throw error
        case .text:
            return try PlainTextReader(configuration: configuration).read(data).format
        }
    }

    private func checkSize(_ data: Data) throws(ResumeParsingError) {
        guard !data.isEmpty else {
            throw ResumeParsingError(code: .emptyInput, message: "The document is empty (0 bytes).")
        }
        guard data.count <= configuration.maximumInputSize else {
            throw .limitExceeded(
                .inputSize,
                "The document is \(data.count) bytes, over the limit of \(configuration.maximumInputSize) bytes."
            )
        }
    }

    /// Parses a Word document, taking its style sheet and numbering from `cache` when it holds them and
    /// putting them there when it does not (see ``DocxPartCache``); other formats are refused.
    func parseWordDocument(_ data: Data, cache: DocxPartCache) throws(ResumeParsingError) -> ResumeDocument {
        try checkSize(data)
        switch FormatSniffer.sniff(data) {
        case .zip:
            return try DocxReader(configuration: configuration).read(data, cache: cache)
        case .compoundFile:
            throw CompoundFileDirectory.refusal(for: data)
        case .refused(let error):
            throw error
        case .text:
            throw ResumeParsingError(
                code: .unsupportedFormat,
                message: "Only Word documents can be edited in place; this one is plain text.",
                detectedFormat: .plainText
            )
        }
    }

    private func read(_ data: Data) throws(ResumeParsingError) -> ResumeDocument {
        try checkSize(data)
        switch FormatSniffer.sniff(data) {
        case .zip:
            return try DocxReader(configuration: configuration).read(data)
        case .compoundFile:
            throw CompoundFileDirectory.refusal(for: data)
        case .refused(let error):
            throw error
        case .text:
            return try PlainTextReader(configuration: configuration).read(data)
        }
    }

    /// A logger that discards everything: the default of every `logger:` parameter.
    public static let noOpLogger = Logger(label: "ResumeParsing", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Parses a resume sent as base64 (as the REST API sends it).
    ///
    /// Whitespace and line breaks in the string are ignored.
    /// - Throws: ``ResumeParsingError`` with ``ResumeParsingError/Code/invalidBase64`` when the string is not
    ///   base64, or any error of ``parse(_:fileNameHint:logger:)``.
    public func parse(
        base64Encoded string: String,
        fileNameHint: String? = nil,
        logger: Logger = ResumeParser.noOpLogger
    ) throws(ResumeParsingError) -> ResumeDocument {
        // Four base64 characters carry three bytes: refuse an oversized upload before decoding it.
        let estimatedSize = string.utf8.count / 4 * 3
        guard estimatedSize <= configuration.maximumInputSize + 3 else {
            throw .limitExceeded(
                .inputSize,
                "The base64 text decodes to about \(estimatedSize) bytes, over the limit of "
                    + "\(configuration.maximumInputSize) bytes."
            )
        }
        guard let data = Data(base64Encoded: string, options: .ignoreUnknownCharacters) else {
            throw ResumeParsingError(code: .invalidBase64, message: "The text is not valid base64.")
        }
        return try parse(data, fileNameHint: fileNameHint, logger: logger)
    }

    /// Parses a resume file.
    ///
    /// The file's size is checked against ``Configuration/maximumInputSize`` before it is read.
    /// - Throws: ``ResumeParsingError`` with ``ResumeParsingError/Code/unreadableFile`` when the file cannot
    ///   be read, or any error of ``parse(_:fileNameHint:logger:)``.
    public func parse(
        contentsOf url: URL,
        logger: Logger = ResumeParser.noOpLogger
    ) throws(ResumeParsingError) -> ResumeDocument {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let limit = configuration.maximumInputSize
            data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else {
                throw ResumeParsingError.limitExceeded(
                    .inputSize,
                    "The file is over the limit of \(limit) bytes."
                )
            }
        } catch let error as ResumeParsingError {
            throw error
        } catch {
            throw ResumeParsingError(
                code: .unreadableFile,
                message: "The file \(url.lastPathComponent) could not be read; check that it exists and is readable."
            )
        }
        return try parse(data, fileNameHint: url.lastPathComponent, logger: logger)
    }
}
