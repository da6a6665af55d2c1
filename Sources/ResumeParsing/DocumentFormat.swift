/// A document format, recognised from the content (never from the file name).
///
/// Formats are compared by ``identifier``. The parser reads ``plainText`` and the word-processing formats
/// (``docx``, ``dotx``, ``docm``, ``dotm``); the others appear in errors to say what was refused.
public struct DocumentFormat: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A stable identifier such as `txt` or `docx`.
    public var identifier: String

    /// Creates a format from its identifier.
    public init(identifier: String) {
        self.identifier = identifier
    }

    /// Decodes a format from its identifier string.
    public init(from decoder: any Decoder) throws {
        self.identifier = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the format as its identifier string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(identifier)
    }

    /// See ``identifier``.
    public var description: String { identifier }

    /// Whether this is one of the Word formats the parser reads (`docx`, `dotx`, `docm`, `dotm`).
    public var isWordprocessingML: Bool {
        self == .docx || self == .dotx || self == .docm || self == .dotm
    }

    /// Plain text.
    public static let plainText = DocumentFormat(identifier: "txt")
    /// Office Open XML word-processing document.
    public static let docx = DocumentFormat(identifier: "docx")
    /// Word template; read like ``docx``.
    public static let dotx = DocumentFormat(identifier: "dotx")
    /// Macro-enabled Word document; read like ``docx``, macros are never touched.
    public static let docm = DocumentFormat(identifier: "docm")
    /// Macro-enabled Word template; read like ``docx``, macros are never touched.
    public static let dotm = DocumentFormat(identifier: "dotm")
    /// Legacy binary Word document (refused).
    public static let doc = DocumentFormat(identifier: "doc")
    /// An encrypted (password-protected) Office document (refused).
    public static let encryptedOffice = DocumentFormat(identifier: "encrypted-office")
    /// Another OLE compound file, such as `.xls` or `.ppt` (refused).
    public static let compoundFile = DocumentFormat(identifier: "ole")
    /// PDF (refused).
    public static let pdf = DocumentFormat(identifier: "pdf")
    /// Rich Text Format (refused).
    public static let rtf = DocumentFormat(identifier: "rtf")
    /// OpenDocument text (refused).
    public static let odt = DocumentFormat(identifier: "odt")
    /// Another OpenDocument or zip-packaged format, such as `.ods` or EPUB (refused).
    public static let otherPackage = DocumentFormat(identifier: "package")
    /// Office Open XML spreadsheet (refused).
    public static let xlsx = DocumentFormat(identifier: "xlsx")
    /// Office Open XML presentation (refused).
    public static let pptx = DocumentFormat(identifier: "pptx")
    /// A zip archive that is not a document (refused).
    public static let zip = DocumentFormat(identifier: "zip")
    /// Word 2003 XML or Flat OPC XML (refused).
    public static let wordXML = DocumentFormat(identifier: "word-xml")
    /// An image (refused).
    public static let image = DocumentFormat(identifier: "image")
    /// Binary data that is not a document (refused).
    public static let binary = DocumentFormat(identifier: "binary")
}
