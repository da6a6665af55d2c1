import Foundation
import ResumeParsing

/// Refuses, at submission, a resume whose format can never be read (415), so that the caller learns
/// it at once instead of from a `FAILED` job.
///
/// Only format refusals are answered here: a PDF, a legacy `.doc`, an encrypted Office file, an
/// unsupported format, binary data. Anything else the parser finds (for example a `.docx` without
/// text) is left to the job, which ends `FAILED` with the parser's message.
enum ResumeFormatCheck {
    static let refusedAtSubmission: Set<ResumeParsingError.Code> = [
        .unsupportedFormat, .legacyWordDocument, .encryptedDocument, .notATextDocument,
    ]

    /// A format check only (`ResumeParser.checkFormat`): the text is read once, by the job.
    static func check(_ resume: Data, parser: ResumeParser) throws {
        do {
            _ = try parser.checkFormat(resume)
        } catch let error where refusedAtSubmission.contains(error.code) {
            throw APIError.unsupportedMediaType(error.message)
        } catch {
            return
        }
    }
}
