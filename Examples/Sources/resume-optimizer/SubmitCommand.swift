// PLACEHOLDER: filled by the issue that adds `resume-optimizer submit`.
import ArgumentParser

struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Not available yet.")

    func run() async throws {
        throw ValidationError("'submit' is not available yet.")
    }
}
