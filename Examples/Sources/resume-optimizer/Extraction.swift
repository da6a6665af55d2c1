import Foundation
import ResumeParsing

/// Reads resume files with one shared parser and renders them as text or JSON.
///
/// One instance serves a whole run: the parser is a small `Sendable` value, so the files of a batch
/// are extracted by a bounded number of child tasks that share it.
struct Extraction: Sendable {
    /// What is written for each file.
    enum Format: Sendable {
        /// The plain text in reading order, ending with a newline.
        case text
        /// The whole ``ResumeDocument`` (text, blocks, metadata, diagnostics) as JSON.
        case json

        var fileExtension: String {
            switch self {
            case .text: "txt"
            case .json: "json"
            }
        }
    }

    let parser: ResumeParser
    let format: Format

    /// How many files are extracted at once in a batch: one per core.
    var width = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Parses one file and renders it.
    func render(file: String) throws(ExtractFailure) -> Data {
        let document: ResumeDocument
        do throws(ResumeParsingError) {
            document = try parser.parse(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ExtractFailure(file: file, code: error.code.identifier, message: error.message)
        }
        switch format {
        case .text:
            var text = document.text
            if !text.hasSuffix("\n") { text += "\n" }
            return Data(text.utf8)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            do {
                return try encoder.encode(document) + Data("\n".utf8)
            } catch {
                throw ExtractFailure(
                    file: file,
                    code: "encodingFailed",
                    message: "The result could not be encoded as JSON."
                )
            }
        }
    }

    /// The output file name for an input: its name without the extension, plus `.txt` or `.json`.
    func outputName(for file: String) -> String {
        let base = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return base + "." + format.fileExtension
    }

    /// Extracts every file into `directory`, going on past failures.
    ///
    /// At most ``width`` files are in flight at once. `report` is called on the calling task for
    /// each failure, in the order of `files`. Two inputs that would write the same output name are
    /// not overwritten: the later one fails with `outputNameTaken`.
    func extract(
        _ files: [String],
        into directory: URL,
        report: (ExtractFailure) -> Void
    ) async throws {
        var owners: [String: String] = [:]
        var collisions: [Int: ExtractFailure] = [:]
        for (index, file) in files.enumerated() {
            let name = outputName(for: file)
            if let owner = owners[name] {
                collisions[index] = ExtractFailure(
                    file: file,
                    code: "outputNameTaken",
                    message: "its output \(name) is already written for \(owner); rename one of them"
                )
            } else {
                owners[name] = file
            }
        }

        try await withThrowingTaskGroup(of: (Int, ExtractFailure?).self) { group in
            var next = 0
            var finished: [Int: ExtractFailure?] = [:]
            var reported = 0

            func startNext() {
                while next < files.count {
                    let index = next
                    next += 1
                    if let collision = collisions[index] {
                        finished[index] = collision
                        continue
                    }
                    let file = files[index]
                    let destination = directory.appendingPathComponent(outputName(for: file))
                    group.addTask {
                        (index, self.extract(file, to: destination))
                    }
                    return
                }
            }

            func flush() {
                while reported < files.count, let outcome = finished.removeValue(forKey: reported) {
                    if let failure = outcome { report(failure) }
                    reported += 1
                }
            }

            for _ in 0..<width { startNext() }
            flush()
            while let (index, failure) = try await group.next() {
                finished[index] = failure
                try Task.checkCancellation()
                startNext()
                flush()
            }
            flush()
        }
    }

    /// Extracts one file to `destination`; returns the failure, if any.
    private func extract(_ file: String, to destination: URL) -> ExtractFailure? {
        let output: Data
        do throws(ExtractFailure) {
            output = try render(file: file)
        } catch {
            return error
        }
        do {
            try output.write(to: destination)
        } catch {
            return ExtractFailure(
                file: file,
                code: "unwritableOutput",
                message: "\(destination.path) could not be written; check the output directory's permissions"
            )
        }
        return nil
    }
}
