import ArgumentParser
import Crypto
import Foundation
import Hummingbird
import Logging

/// The version of this build (`resume-optimizer-server --version`); set when a release is tagged (RELEASING.md).
let resumeOptimizerServerVersion = "0.1.0-dev"

/// `resume-optimizer-server`: the REST API (submit, poll, download) on Hummingbird.
@main
struct ResumeOptimizerServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume-optimizer-server",
        abstract: "Serve the resume optimization REST API.",
        discussion: """
            Every route but /health and download links needs 'Authorization: Bearer <JWT>': HS256 signed \
            with the secret in RESUME_OPTIMIZER_JWT_SECRET (at least 32 bytes), or RS256, ES256 or EdDSA \
            with a key from --jwks-file or --jwks-url. \
            Use 'token' to mint a token for a user, or '--dev' to run with a generated secret.
            """,
        version: resumeOptimizerServerVersion,
        subcommands: [ServeCommand.self, TokenCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    /// Runs the command line, with `serve`'s options also read from the environment.
    static func main() async {
        do {
            let arguments = try ServeCommand.addingEnvironment(
                to: Array(CommandLine.arguments.dropFirst()),
                environment: ProcessInfo.processInfo.environment
            )
            await main(arguments)
        } catch {
            exit(withError: error)
        }
    }
}

/// The environment variables the server reads.
enum EnvironmentKey {
    static let tokenSecret = "RESUME_OPTIMIZER_JWT_SECRET"
    static let openAIKey = "OPENAI_API_KEY"
    static let anthropicKey = "ANTHROPIC_API_KEY"
}

/// Reads the token secret from the environment; `nil` when unset or empty.
func tokenSecretFromEnvironment() throws -> [UInt8]? {
    guard let value = ProcessInfo.processInfo.environment[EnvironmentKey.tokenSecret], !value.isEmpty else {
        return nil
    }
    let bytes = Array(value.utf8)
    guard bytes.count >= 32 else {
        throw ValidationError(
            "\(EnvironmentKey.tokenSecret) must be at least 32 bytes long (for example: openssl rand -base64 48)."
        )
    }
    return bytes
}

/// `resume-optimizer-server token`: prints a bearer token signed with the configured secret.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a bearer token for a user, signed with \(EnvironmentKey.tokenSecret)."
    )

    @Option(name: .long, help: "The user id to put in the token's 'sub' claim.")
    var user: String

    @Option(name: .long, help: "How long the token is valid, in seconds.")
    var lifetime: Int = 3600

    func validate() throws {
        guard !user.isEmpty else { throw ValidationError("--user must not be empty.") }
        guard lifetime > 0 else { throw ValidationError("--lifetime must be positive.") }
    }

    func run() async throws {
        guard let secret = try tokenSecretFromEnvironment() else {
            throw ValidationError("Set \(EnvironmentKey.tokenSecret) to the server's secret first.")
        }
        print(try await TokenSigner.sign(subject: user, lifetime: .seconds(lifetime), secret: secret))
    }
}
