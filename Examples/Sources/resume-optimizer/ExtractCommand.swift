// PLACEHOLDER: filled by the issue that adds `resume-optimizer extract`.
import ArgumentParser

struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Not available yet.")

    func run() async throws {
        throw ValidationError("'extract' is not available yet.")
    }
}
