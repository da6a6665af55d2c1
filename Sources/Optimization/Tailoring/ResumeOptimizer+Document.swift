import Foundation
import ResumeParsing

extension OptimizationRequest {
    /// The output format in effect: the option, or ``OutputFormat/docx`` for a Word resume given with its
    /// ``originalDocument``, ``OutputFormat/text`` otherwise.
    public var outputFormat: OutputFormat {
        if let format = options.outputFormat { return format }
        return resume.format.isWordDocument && originalDocument != nil ? .docx : .text
    }
}

/// The output document and the text it really holds.
struct DocumentOutput {
    /// What the output reads: the tailored text itself for text formats; for a document, its text read back.
    var text: String
    /// The document's bytes, for ``OutputFormat/docx``.
    var document: Data?
    /// What the editor changed and refused, for a Word resume edited in place.
    var edits: DocxEditReport?
}

extension ResumeOptimizer {
    /// Writes the tailored text in the requested format. A Word resume is edited in place (only the
    /// changed words of its own document are rewritten); a plain-text one becomes a simple document.
    func documentOutput(
        for tailored: String,
        request: OptimizationRequest,
        format: OutputFormat
    ) throws -> DocumentOutput {
        guard format == .docx else { return DocumentOutput(text: tailored) }
        do {
            if request.resume.format.isWordDocument, let original = request.originalDocument {
                let trackChanges = request.options.trackChanges ?? false
                let edited = try DocxEditor().edit(
                    original,
                    document: request.resume,
                    newText: tailored,
                    options: DocxEditor.Options(
                        trackChanges: trackChanges,
                        author: request.options.revisionAuthor ?? "Resume Optimizer"
                    )
                )
                // With tracked changes the file reads as the original until the user accepts; the checks
                // read the accepted text, which is the tailored text as placed.
                let text =
                    trackChanges
                    ? try acceptedText(original: original, edited: edited, tailored: tailored) : edited.document.text
                return DocumentOutput(text: text, document: edited.data, edits: edited.report)
            }
            let data = try SimpleDocument.make(text: tailored)
            return DocumentOutput(text: try ResumeParser().parse(data).text, document: data)
        } catch let error as ResumeParsingError {
            throw OptimizationError(
                code: .outputDocument,
                message: "The optimized resume could not be written as a Word document: \(error.message)"
            )
        }
    }

    /// The text of a tracked-changes result once every change is accepted: the same edits written clean.
    private func acceptedText(original: Data, edited: DocxEditor.Result, tailored: String) throws -> String {
        try DocxEditor().edit(original, newText: tailored).document.text
    }
}
