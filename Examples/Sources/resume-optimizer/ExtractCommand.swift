import ArgumentParser
import Foundation
import ResumeParsing

/// `resume-optimizer extract`: the plain text (or the structured result) of resume files.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract the text of resumes (.docx, .dotx, .docm, .dotm, .txt).",
        discussion: """
            The format is detected from the content, not from the file name.

            With one FILE and no --output-dir, the text is printed on standard output (with --json, the \
            structured result: blocks, metadata and diagnostics). With --output-dir, each FILE is written \
            to DIR/<name>.txt (or DIR/<name>.json), where <name> is the file name without its extension; \
            the files are read in parallel, and a failure does not stop the others.

            Every file that cannot be read prints one line on standard error:
              error: FILE: MESSAGE (CODE)
            where CODE is a stable identifier such as encryptedDocument or limitExceeded.

            Exit codes:
              0  every file was extracted
              1  at least one file failed
              2  usage error (unknown option, no FILE, several FILEs without --output-dir)
            """
    )

    @Argument(help: ArgumentHelp("The resume files to read.", valueName: "file"))
    var files: [String] = []

    @Flag(help: "Print or write the structured result with its diagnostics as JSON instead of the plain text.")
    var json = false

    @Option(
        name: .customLong("output-dir"),
        help: ArgumentHelp(
            "Write DIR/<name>.txt for each file (created if needed) and go on past failures.",
            valueName: "dir"
        ),
        completion: .directory
    )
    var outputDirectory: String?

    func validate() throws {
        if files.isEmpty {
            throw ValidationError("Give at least one file to extract.")
        }
        if files.count > 1 && outputDirectory == nil {
            throw ValidationError("Extracting several files needs --output-dir DIR (one output file each).")
        }
    }

    func run() async throws {
        let extraction = Extraction(parser: ResumeParser(configuration: .init()), format: json ? .json : .text)
        let standardError = FileHandle.standardError
        if let outputDirectory {
            let directory = URL(fileURLWithPath: outputDirectory, isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                standardError.write(Data("error: \(outputDirectory): cannot create the output directory\n".utf8))
                throw ExitCode.failure
            }
            var failed = false
            try await extraction.extract(files, into: directory) { failure in
                failed = true
                standardError.write(Data((failure.line + "\n").utf8))
            }
            if failed { throw ExitCode.failure }
        } else {
            do throws(ExtractFailure) {
                let output = try extraction.render(file: files[0])
                FileHandle.standardOutput.write(output)
            } catch {
                standardError.write(Data((error.line + "\n").utf8))
                throw ExitCode.failure
            }
        }
    }
}
