// PLACEHOLDER: filled by the issue that adds `resume-optimizer optimize`.
import ArgumentParser

struct OptimizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "optimize", abstract: "Not available yet.")

    func run() async throws {
        throw ValidationError("'optimize' is not available yet.")
    }
}
