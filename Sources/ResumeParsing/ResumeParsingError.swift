/// The error thrown when a document cannot be read.
///
/// Switch on ``code`` to react in a program; show ``message`` to a person. An error never contains text
/// from the document: it names formats, parts of the archive, limits and sizes only.
///
/// ```swift
/// do {
///     let resume = try ResumeParser().parse(upload)
///     print(resume.text)
/// } catch let error as ResumeParsingError where error.code == .limitExceeded {
///     print("Too large: \(error.limit?.identifier ?? "")")
/// }
/// ```
public struct ResumeParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value a program can switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case emptyInput
            case invalidBase64
            case unreadableFile
            case limitExceeded
            case unsupportedFormat
            case legacyWordDocument
            case encryptedDocument
            case notATextDocument
            case corruptArchive
            case missingMainDocument
            case malformedXML
            case forbiddenDocumentType
            case noText
            case documentNotWritten
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A stable identifier such as `limitExceeded`, suitable for logs and API responses.
        public var identifier: String { base.rawValue }

        /// See ``identifier``.
        public var description: String { base.rawValue }

        /// An edited document could not be written (the archive library refused to build it); the
        /// original is untouched.
        public static let documentNotWritten = Code(.documentNotWritten)
        /// The input holds no bytes.
        public static let emptyInput = Code(.emptyInput)
        /// The base64 string could not be decoded.
        public static let invalidBase64 = Code(.invalidBase64)
        /// The file could not be read from disk.
        public static let unreadableFile = Code(.unreadableFile)
        /// A limit of ``ResumeParser/Configuration`` was exceeded; ``ResumeParsingError/limit`` names it.
        public static let limitExceeded = Code(.limitExceeded)
        /// The format was recognised but is not supported (PDF, ODT, RTF, spreadsheets, slides, images…);
        /// ``ResumeParsingError/detectedFormat`` names it.
        public static let unsupportedFormat = Code(.unsupportedFormat)
        /// A legacy binary Word document (`.doc`); save it as `.docx`.
        public static let legacyWordDocument = Code(.legacyWordDocument)
        /// A password-protected (encrypted) Office document.
        public static let encryptedDocument = Code(.encryptedDocument)
        /// The bytes are binary data, not text.
        public static let notATextDocument = Code(.notATextDocument)
        /// The zip archive is truncated or damaged.
        public static let corruptArchive = Code(.corruptArchive)
        /// The archive has no word-processing main document.
        public static let missingMainDocument = Code(.missingMainDocument)
        /// A required XML part is not well-formed.
        public static let malformedXML = Code(.malformedXML)
        /// An XML part declares a DTD, which Office Open XML forbids (OPC rule M1.18).
        public static let forbiddenDocumentType = Code(.forbiddenDocumentType)
        /// The document holds no readable text.
        public static let noText = Code(.noText)
    }

    /// A limit of ``ResumeParser/Configuration``.
    public struct Limit: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case inputSize
            case archiveEntryCount
            case inflatedPartSize
            case inflatedTotalSize
            case compressionRatio
            case xmlNestingDepth
            case xmlMarkupLength
            case textLength
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A stable identifier such as `inflatedPartSize`.
        public var identifier: String { base.rawValue }

        /// See ``identifier``.
        public var description: String { base.rawValue }

        /// ``ResumeParser/Configuration/maximumInputSize``.
        public static let inputSize = Limit(.inputSize)
        /// ``ResumeParser/Configuration/maximumArchiveEntryCount``.
        public static let archiveEntryCount = Limit(.archiveEntryCount)
        /// ``ResumeParser/Configuration/maximumInflatedPartSize``.
        public static let inflatedPartSize = Limit(.inflatedPartSize)
        /// ``ResumeParser/Configuration/maximumInflatedTotalSize``.
        public static let inflatedTotalSize = Limit(.inflatedTotalSize)
        /// ``ResumeParser/Configuration/maximumCompressionRatio``.
        public static let compressionRatio = Limit(.compressionRatio)
        /// ``ResumeParser/Configuration/maximumXMLNestingDepth``.
        public static let xmlNestingDepth = Limit(.xmlNestingDepth)
        /// ``ResumeParser/Configuration/maximumXMLMarkupLength``.
        public static let xmlMarkupLength = Limit(.xmlMarkupLength)
        /// ``ResumeParser/Configuration/maximumTextLength``.
        public static let textLength = Limit(.textLength)
    }

    /// What went wrong.
    public var code: Code
    /// What happened and what to do about it, for a person. Never contains document text.
    public var message: String
    /// The exceeded limit, when ``code`` is ``Code/limitExceeded``.
    public var limit: Limit?
    /// The format that was recognised, when it is known (for example `pdf` for ``Code/unsupportedFormat``).
    public var detectedFormat: DocumentFormat?
    /// The archive part being read when the error happened, such as `word/document.xml`.
    public var partName: String?
    /// The source file in this library that raised the error.
    public var file: String
    /// The source line in this library that raised the error.
    public var line: Int

    /// Creates an error.
    public init(
        code: Code,
        message: String,
        limit: Limit? = nil,
        detectedFormat: DocumentFormat? = nil,
        partName: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.limit = limit
        self.detectedFormat = detectedFormat
        self.partName = partName
        self.file = file
        self.line = line
    }

    /// A one-line description: the code and the message.
    public var description: String {
        "ResumeParsingError.\(code): \(message)"
    }
}

extension ResumeParsingError {
    static func limitExceeded(
        _ limit: Limit,
        _ message: String,
        partName: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) -> ResumeParsingError {
        ResumeParsingError(
            code: .limitExceeded,
            message: message,
            limit: limit,
            partName: partName,
            file: file,
            line: line
        )
    }

    static func unsupported(
        _ format: DocumentFormat,
        _ message: String,
        file: String = #fileID,
        line: Int = #line
    ) -> ResumeParsingError {
        ResumeParsingError(
            code: .unsupportedFormat,
            message: message,
            detectedFormat: format,
            file: file,
            line: line
        )
    }
}
