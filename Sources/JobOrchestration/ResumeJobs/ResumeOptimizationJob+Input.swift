public import Foundation
public import Optimization
public import ResumeParsing

extension ResumeOptimizationJob.Input {
    /// Creates an input from a resume file: its bytes, with its name as the file-name hint.
    ///
    /// ```swift
    /// let input = try ResumeOptimizationJob.Input(
    ///     resumeAt: URL(fileURLWithPath: "resume.docx"),
    ///     jobDescription: posting
    /// )
    /// ```
    ///
    /// - Parameters:
    ///   - url: The resume file (`.docx` or plain text).
    ///   - jobDescription: The job description's text.
    ///   - options: The caller's choices: fact-check policy, output format, model.
    ///   - maximumSize: The largest file read, in bytes; the file's size is checked before it is read.
    ///     Default: the parser's default `ResumeParser.Configuration.maximumInputSize`.
    /// - Throws: `ResumeParsingError` with `unreadableFile` when the file cannot be read, or
    ///   `limitExceeded` when it is larger than `maximumSize` — the codes the job would fail with.
    public init(
        resumeAt url: URL,
        jobDescription: String,
        options: OptimizationRequest.Options = .init(),
        maximumSize: Int = ResumeParser.Configuration().maximumInputSize
    ) throws(ResumeParsingError) {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: maximumSize + 1) ?? Data()
        } catch {
            throw ResumeParsingError(
                code: .unreadableFile,
                message: "The file \(url.lastPathComponent) could not be read; check that it exists and is readable."
            )
        }
        guard data.count <= maximumSize else {
            throw ResumeParsingError(
                code: .limitExceeded,
                message: "The file is over the limit of \(maximumSize) bytes.",
                limit: .inputSize
            )
        }
        self.init(resume: data, fileName: url.lastPathComponent, jobDescription: jobDescription, options: options)
    }
}
