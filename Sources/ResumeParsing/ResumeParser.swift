// PLACEHOLDER: the ResumeParsing issue replaces this file. Keep these entry points.
public import Foundation

/// Reads resumes from untrusted bytes.
public struct ResumeParser: Sendable {
    /// Creates a parser.
    public init() {}

    /// Parses a resume from its bytes; the format is detected from the content.
    public func parse(_ data: Data, fileNameHint: String? = nil) throws -> ResumeDocument {
        ResumeDocument(text: String(decoding: data, as: UTF8.self), format: .plainText)
    }

    /// Parses a resume sent as base64.
    public func parse(base64Encoded string: String, fileNameHint: String? = nil) throws -> ResumeDocument {
        try parse(Data(base64Encoded: string) ?? Data(), fileNameHint: fileNameHint)
    }

    /// Parses a resume file.
    public func parse(contentsOf url: URL) throws -> ResumeDocument {
        try parse(Data(contentsOf: url), fileNameHint: url.lastPathComponent)
    }
}
