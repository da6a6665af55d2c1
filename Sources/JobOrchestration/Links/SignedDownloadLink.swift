public import Foundation

/// A presigned, expiring link to a job's result: whoever holds it may download the file until it expires.
///
/// The ``token`` is URL-safe (`A–Z a–z 0–9 - _ .`) and carries the job id, the user id, the expiry
/// and an HMAC-SHA256 signature; a server puts it in a path or query, for example
/// `https://example.com/download/<token>`, and hands it back to ``DownloadLinkSigner/verify(_:now:)``
/// or ``JobCenter/download(token:now:)``.
public struct SignedDownloadLink: Sendable, Hashable, CustomStringConvertible {
    /// The signed token. It grants access to the file until it expires: do not log it.
    public let token: String
    /// The job the link is for (as claimed by the token; verified only by the signer).
    public let jobID: JobID?
    /// When the link stops working (as claimed by the token).
    public let expiresAt: Date?

    init(token: String, jobID: JobID, expiresAt: Date) {
        self.token = token
        self.jobID = jobID
        self.expiresAt = expiresAt
    }

    /// Wraps a token received from elsewhere, reading its claims without checking the signature.
    public init(unverifiedToken token: String) {
        self.token = token
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 5, parts[0] == DownloadLinkSigner.version {
            self.jobID = JobID(String(parts[1]))
            self.expiresAt = Int64(parts[2]).map { Date(timeIntervalSince1970: Double($0)) }
        } else {
            self.jobID = nil
            self.expiresAt = nil
        }
    }

    /// The link as a URL: `base` followed by the token as the last path component.
    public func url(relativeTo base: URL) -> URL {
        base.appendingPathComponent(token)
    }

    /// The job and expiry without the token, so that the link can be logged without granting access.
    public var description: String {
        "SignedDownloadLink(job: \(jobID?.description ?? "?"), expires: \(expiresAt.map(Timestamp.format) ?? "?"))"
    }
}
