public import Foundation
public import Optimization

/// The file a finished job produced, with what a client needs to download it: what a job kind returns
/// (``JobOutput/artifact``) and what a download serves (``JobCenter/result(of:userID:)``,
/// ``JobCenter/download(token:now:)``). The store keeps its bytes and its ``resultDescription``.
public struct JobArtifact: Sendable, Hashable {
    /// The file's bytes.
    public var data: Data
    /// A short type name, such as `txt` or `md`.
    public var fileType: String
    /// The media type, such as `text/plain; charset=utf-8`.
    public var contentType: String
    /// The name a browser should save the file under, such as `optimized_resume_3f2504e0.txt`.
    public var downloadFilename: String

    /// Creates an artifact.
    public init(data: Data, fileType: String, contentType: String, downloadFilename: String) {
        self.data = data
        self.fileType = fileType
        self.contentType = contentType
        self.downloadFilename = downloadFilename
    }

    /// The description stored with the job (everything but the bytes).
    public var resultDescription: JobResultDescription {
        JobResultDescription(
            fileType: fileType,
            contentType: contentType,
            downloadFilename: downloadFilename,
            byteCount: data.count
        )
    }
}

/// What a completed job's downloadable file is, without its bytes.
public struct JobResultDescription: Sendable, Hashable, Codable {
    /// A short type name, such as `txt`.
    public var fileType: String
    /// The media type, such as `text/plain; charset=utf-8`.
    public var contentType: String
    /// The file name for downloads.
    public var downloadFilename: String
    /// The size of the file in bytes.
    public var byteCount: Int

    /// Creates a description.
    public init(fileType: String, contentType: String, downloadFilename: String, byteCount: Int) {
        self.fileType = fileType
        self.contentType = contentType
        self.downloadFilename = downloadFilename
        self.byteCount = byteCount
    }
}

extension JobArtifact {
    /// An optimized resume as a job's file: its contents and format, named
    /// `<stem>_<first 8 characters of the job id>.<file type>` (``JobID/shortPrefix``).
    ///
    /// - Parameters:
    ///   - result: What the optimizer produced.
    ///   - stem: The file name's start, such as `optimized_resume`.
    ///   - jobID: The job the file belongs to.
    public init(_ result: OptimizationResult, named stem: String, jobID: JobID) {
        self.init(
            data: result.contents,
            fileType: result.format.fileType,
            contentType: result.format.contentType,
            downloadFilename: "\(stem)_\(jobID.shortPrefix).\(result.format.fileType)"
        )
    }
}
