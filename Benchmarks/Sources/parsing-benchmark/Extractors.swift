import DocxFloor
import Foundation
import ResumeParsing

/// One .docx file of the benchmark corpus, held in memory so that only extraction is timed.
struct CorpusFile: Sendable {
    var name: String
    var bytes: Data
}

/// The C floor: inflate `word/document.xml`, stream it through `xmlTextReader`, touch each text node.
enum FloorExtractor {
    /// Extracts one file; returns the number of text bytes touched, or nil when the floor cannot read it.
    static func extract(_ bytes: Data) -> Int? {
        var result = docx_floor_result()
        let status = bytes.withUnsafeBytes { buffer in
            docx_floor_extract(buffer.baseAddress, buffer.count, &result)
        }
        return status == Int32(DOCX_FLOOR_OK) ? Int(result.text_bytes) : nil
    }

    /// Writes a generated .docx of about `xmlBytes` of main-document XML and a stored picture of
    /// `pictureBytes` at `url`.
    static func writeGeneratedDocument(to url: URL, xmlBytes: Int, pictureBytes: Int) -> Bool {
        docx_floor_write_generated_docx(url.path, xmlBytes, pictureBytes, 42) == 0
    }
}

/// Our extractor: the full ResumeParsing parser with its default configuration.
enum LibraryExtractor {
    static let parser = ResumeParser(configuration: .init())

    /// Extracts one file; returns the number of UTF-8 bytes of text.
    static func extract(_ bytes: Data) throws -> Int {
        try parser.parse(bytes).text.utf8.count
    }

    /// The error code of a refusal, for the skipped-files line.
    static func refusalCode(_ error: any Error) -> String {
        if let error = error as? ResumeParsingError { return error.code.identifier }
        return String(describing: type(of: error))
    }
}
