import ArgumentParser
import Foundation

/// The version of this build (`resume-optimizer --version`); set when a release is tagged (RELEASING.md).
let resumeOptimizerVersion = "0.1.0-dev"

/// The `resume-optimizer` command line: extract, analyze, optimize and submit resumes.
@main
struct ResumeOptimizerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume-optimizer",
        abstract: "Extract, analyze and tailor resumes to a job description.",
        discussion: """
            Exit codes: 0 success; 1 a file or job failed (one line per failure on stderr); \
            2 usage error.
            """,
        version: resumeOptimizerVersion,
        subcommands: [ExtractCommand.self, AnalyzeCommand.self, OptimizeCommand.self, SubmitCommand.self]
    )

    /// Runs the command, exiting with 2 (not ArgumentParser's 64) on usage errors, as documented.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
