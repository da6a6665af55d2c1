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

extension ResumeOptimizationJob {
    /// The first bytes of a stored input in the framed format: the resume's bytes as they are, after a
    /// small JSON header with the other fields.
    static let inputMagic = Array("resume-optimization-input/1\n".utf8)

    /// Everything of an input but the resume's bytes.
    private struct InputHeader: Codable {
        var fileName: String?
        var jobDescription: String
        var options: OptimizationRequest.Options
        var resumeBytes: Int
    }

    /// Frames the input as the magic line `resume-optimization-input/1`, the header's length
    /// (4 bytes, big-endian), the JSON header, then the resume's bytes as they are: one copy of the
    /// file, no base64.
    public static func encodeInput(_ input: Input) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let header = try encoder.encode(
            InputHeader(
                fileName: input.fileName,
                jobDescription: input.jobDescription,
                options: input.options,
                resumeBytes: input.resume.count
            )
        )
        var data = Data(capacity: inputMagic.count + 4 + header.count + input.resume.count)
        data.append(contentsOf: inputMagic)
        let length = UInt32(header.count)
        data.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) })
        data.append(header)
        data.append(input.resume)
        return data
    }

    /// Reads the framed format, and the JSON that earlier versions stored.
    public static func decodeInput(_ data: Data) throws -> Input {
        guard data.starts(with: inputMagic) else { return try JSONDecoder().decode(Input.self, from: data) }
        let lengthStart = data.startIndex + inputMagic.count
        guard data.count >= inputMagic.count + 4 else { throw ResumeInputFormatError() }
        let length = data[lengthStart..<lengthStart + 4].reduce(0) { $0 << 8 | Int($1) }
        let headerStart = lengthStart + 4
        guard length <= data.endIndex - headerStart else { throw ResumeInputFormatError() }
        let header = try JSONDecoder().decode(InputHeader.self, from: data[headerStart..<headerStart + length])
        let resume = data[(headerStart + length)...]
        guard resume.count == header.resumeBytes else { throw ResumeInputFormatError() }
        return Input(
            resume: Data(resume),
            fileName: header.fileName,
            jobDescription: header.jobDescription,
            options: header.options
        )
    }
}

/// A stored resume-job input that is cut short or altered.
struct ResumeInputFormatError: Error {}
