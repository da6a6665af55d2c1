public import Foundation

/// The optimized resume as a file to store or download.
public struct OutputFile: Sendable, Hashable, Codable {
    /// The file type: `txt` or `md`.
    public var fileType: String
    /// The media type, such as `text/plain; charset=utf-8`.
    public var contentType: String
    /// The name to offer for download: `optimized_resume_<first 8 characters of the job id>.<fileType>`.
    public var downloadFilename: String
    /// The file's content, UTF-8 encoded.
    public var bytes: Data

    /// Creates a file value.
    public init(fileType: String, contentType: String, downloadFilename: String, bytes: Data) {
        self.fileType = fileType
        self.contentType = contentType
        self.downloadFilename = downloadFilename
        self.bytes = bytes
    }

    /// Creates the file for `text` in `format`, named after the job.
    public init(text: String, format: OutputFormat, jobID: String) {
        let stem = String(jobID.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }.prefix(8))
        self.init(
            fileType: format.fileType,
            contentType: format.contentType,
            downloadFilename: "optimized_resume_\(stem.isEmpty ? "result" : stem).\(format.fileType)",
            bytes: Data(text.utf8)
        )
    }
}
