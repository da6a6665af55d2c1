/// The format of the optimized resume file.
public enum OutputFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Plain text (`txt`, `text/plain; charset=utf-8`). The default.
    case text = "txt"
    /// Markdown (`md`, `text/markdown; charset=utf-8`).
    case markdown = "md"
    /// A Word document (`docx`): for a Word resume, the user's own document edited in place; for a
    /// plain-text resume, a clean simple document.
    case docx = "docx"

    /// The file type and extension: `txt`, `md` or `docx`.
    public var fileType: String { rawValue }

    /// The media type to serve the file with.
    public var contentType: String {
        switch self {
        case .text: "text/plain; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
    }
}
