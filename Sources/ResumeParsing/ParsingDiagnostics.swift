/// How a document was read: which parts, what was counted, and what looked wrong.
public struct ParsingDiagnostics: Sendable, Hashable, Codable {
    /// The archive parts that were read, in the order they were read (empty for plain text).
    public var partsRead: [String]
    /// The text encoding of a plain-text document: `utf-8`, `utf-16le`, `utf-16be` or `windows-1252`.
    public var textEncoding: String?
    /// Paragraphs with text (headings and list items included), in every part.
    public var paragraphCount: Int
    /// Tables, nested ones included.
    public var tableCount: Int
    /// Text boxes read.
    public var textBoxCount: Int
    /// Tracked changes accepted: insertions and moves kept, deletions and moved-from text dropped.
    public var trackedChangesAccepted: Int
    /// Pictures and drawings (their text, if any, is not read).
    public var imageCount: Int
    /// Characters of hidden text (`w:vanish`) left out of the text.
    public var hiddenCharacterCount: Int
    /// Things a reviewer should know about the document.
    public var warnings: [Warning]

    /// Creates diagnostics; everything starts empty or zero.
    public init(
        partsRead: [String] = [],
        textEncoding: String? = nil,
        paragraphCount: Int = 0,
        tableCount: Int = 0,
        textBoxCount: Int = 0,
        trackedChangesAccepted: Int = 0,
        imageCount: Int = 0,
        hiddenCharacterCount: Int = 0,
        warnings: [Warning] = []
    ) {
        self.partsRead = partsRead
        self.textEncoding = textEncoding
        self.paragraphCount = paragraphCount
        self.tableCount = tableCount
        self.textBoxCount = textBoxCount
        self.trackedChangesAccepted = trackedChangesAccepted
        self.imageCount = imageCount
        self.hiddenCharacterCount = hiddenCharacterCount
        self.warnings = warnings
    }

    /// Whether a warning with this code was raised.
    public func hasWarning(_ code: Warning.Code) -> Bool {
        warnings.contains { $0.code == code }
    }
}

extension ParsingDiagnostics {
    /// Something a reviewer should know about a document that was read.
    public struct Warning: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The kind of warning, as a value a program can switch on.
        public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
            private enum Base: String, Hashable, Sendable {
                case hiddenText
                case mostlyImages
                case littleText
                case unreadablePart
            }

            private let base: Base

            private init(_ base: Base) {
                self.base = base
            }

            /// A stable identifier such as `hiddenText`.
            public var identifier: String { base.rawValue }

            /// See ``identifier``.
            public var description: String { base.rawValue }

            /// Decodes a code from its identifier.
            public init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                let identifier = try container.decode(String.self)
                guard let base = Base(rawValue: identifier) else {
                    throw DecodingError.dataCorruptedError(
                        in: container,
                        debugDescription: "Unknown warning code \(identifier)"
                    )
                }
                self.base = base
            }

            /// Encodes the code as its identifier.
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(base.rawValue)
            }

            /// The document holds hidden text (`w:vanish`), a known keyword-stuffing trick; it was left out.
            public static let hiddenText = Code(.hiddenText)
            /// The document is mostly pictures; text inside pictures is not read.
            public static let mostlyImages = Code(.mostlyImages)
            /// The document holds very little text.
            public static let littleText = Code(.littleText)
            /// An optional part (header, footer, notes, numbering, styles, properties) could not be read and
            /// was skipped.
            public static let unreadablePart = Code(.unreadablePart)
        }

        /// The kind of warning.
        public var code: Code
        /// What was found, for a person. Never contains document text.
        public var message: String

        /// Creates a warning.
        public init(code: Code, message: String) {
            self.code = code
            self.message = message
        }

        /// See ``message``.
        public var description: String { "\(code): \(message)" }
    }
}
