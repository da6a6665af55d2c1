// PLACEHOLDER: filled by the issue that adds `resume-optimizer analyze`.
import ArgumentParser

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analyze", abstract: "Not available yet.")

    func run() async throws {
        throw ValidationError("'analyze' is not available yet.")
    }
}
