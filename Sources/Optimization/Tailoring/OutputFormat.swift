/// The format of the optimized resume file.
public enum OutputFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Plain text (`txt`, `text/plain; charset=utf-8`). The default.
    case text = "txt"
    /// Markdown (`md`, `text/markdown; charset=utf-8`).
    case markdown = "md"

    /// The file type and extension: `txt` or `md`.
    public var fileType: String { rawValue }

    /// The media type to serve the file with.
    public var contentType: String {
        switch self {
        case .text: "text/plain; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        }
    }
}
