import ArgumentParser
import Crypto
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `resume-optimizer-server serve` (the default): runs the REST API until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the REST API until SIGINT or SIGTERM (the default command).",
        discussion: environmentHelp
    )

    enum ProviderChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
        case stub, openai, anthropic, ollama, vllm, lmstudio, openrouter, azure
    }

    enum StoreChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
        case memory, directory
    }

    @Option(help: "The address to bind.")
    var hostname: String = "127.0.0.1"

    @Option(help: "The port to bind.")
    var port: Int = 8080

    @Option(
        help:
            "The AI provider: stub, openai, anthropic, ollama, vllm, lmstudio, openrouter or azure. Default: the offline optimizer (no AI model)."
    )
    var provider: ProviderChoice?

    @Option(help: "The model to ask (default: the provider's default).")
    var model: String?

    @Option(
        help:
            "The provider's base URL. With openai, any host but api.openai.com is taken for a compatible server and gets max_tokens."
    )
    var baseURL: String?

    @Option(help: "A fixed latency in seconds for the stub or offline optimizer, to watch PROCESSING happen.")
    var stubDelay: Double = 0

    @Option(help: "Where jobs are kept: memory (lost on restart) or directory (survives restarts).")
    var store: StoreChoice = .memory

    @Option(help: "The directory of the directory store.")
    var dataDir: String = "./resume-optimizer-data"

    @Option(help: "How many jobs run at once.")
    var maxConcurrentJobs: Int = 4

    @Option(help: "The longest one attempt of a job may run, in seconds.")
    var jobTimeout: Double = 300

    @Option(
        help: "The base of the download links, such as https://resumes.example.com (default: http://<hostname>:<port>)."
    )
    var publicURL: String?

    @Option(
        name: .customLong("allowed-origin"),
        help: "A browser origin allowed to call the API (repeatable; * allows any)."
    )
    var allowedOrigins: [String] = []

    @Option(help: "The largest resume accepted, in bytes after base64 decoding.")
    var maxResumeBytes: Int = 5 * 1024 * 1024

    @Option(help: "The log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Flag(help: "Development mode: without \(EnvironmentKey.tokenSecret), generate a secret and print ready tokens.")
    var dev: Bool = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535.") }
        guard stubDelay >= 0, stubDelay.isFinite else {
            throw ValidationError("--stub-delay must be 0 or more seconds.")
        }
        guard maxConcurrentJobs >= 1 else { throw ValidationError("--max-concurrent-jobs must be at least 1.") }
        guard jobTimeout > 0, jobTimeout.isFinite else { throw ValidationError("--job-timeout must be positive.") }
        guard maxResumeBytes >= 1 else { throw ValidationError("--max-resume-bytes must be positive.") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        if let publicURL {
            guard let url = URL(string: publicURL), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else {
                throw ValidationError("--public-url must be an absolute http or https URL.")
            }
        }
    }

    func run() async throws {
        var logger = Logger(label: "resume-optimizer-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info

        let secret: [UInt8]
        if let configured = try tokenSecretFromEnvironment() {
            secret = configured
        } else if dev {
            secret = Array(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
        } else {
            throw ValidationError(
                """
                \(EnvironmentKey.tokenSecret) is not set. Set it to a secret of at least 32 bytes \
                (for example: export \(EnvironmentKey.tokenSecret)="$(openssl rand -base64 48)"), \
                or pass --dev to run with a generated secret.
                """
            )
        }

        var configuration = ServerConfiguration(tokenSecret: secret)
        configuration.hostname = hostname
        configuration.port = port
        configuration.publicURL = publicURL
        configuration.allowedOrigins = allowedOrigins.isEmpty && dev ? ["*"] : allowedOrigins
        configuration.maximumResumeBytes = maxResumeBytes
        configuration.offersDevelopmentToken = dev

        let jobSystem = try await makeJobSystem(
            options: jobSystemOptions(),
            configuration: configuration,
            logger: logger
        )
        let app = buildApplication(
            configuration: configuration,
            jobs: jobSystem.service,
            services: jobSystem.services,
            logger: logger
        )

        if dev {
            let signer = JSONWebToken(secret: secret)
            // Written and flushed at once, so the tokens show up even when stdout is a pipe or a file.
            FileHandle.standardOutput.write(
                Data(
                    """
                    Development mode: tokens are signed with a secret generated for this run.
                    Token for user 'demo-user' (valid 24 hours):
                    \(signer.sign(subject: "demo-user", lifetime: .seconds(86_400)))
                    Token for user 'other-user', to try job isolation:
                    \(signer.sign(subject: "other-user", lifetime: .seconds(86_400)))

                    """.utf8
                )
            )
        }
        logger.info(
            "Starting",
            metadata: [
                "server.address": "\(hostname):\(port)",
                "server.public_url": "\(configuration.effectivePublicURL)",
                "jobs.store": "\(store.rawValue)",
                "jobs.provider": "\(provider?.rawValue ?? "offline")",
            ]
        )
        try await app.runService()
    }

    func jobSystemOptions() -> JobSystemOptions {
        JobSystemOptions(
            provider: provider,
            model: model,
            baseURL: baseURL,
            stubDelay: .milliseconds(Int64(stubDelay * 1000)),
            store: store,
            dataDirectory: dataDir,
            maximumConcurrentJobs: maxConcurrentJobs,
            jobTimeout: .milliseconds(Int64(jobTimeout * 1000))
        )
    }
}

/// The job system's settings, as given on the command line.
struct JobSystemOptions: Sendable {
    var provider: ServeCommand.ProviderChoice?
    var model: String?
    var baseURL: String?
    var stubDelay: Duration = .zero
    var store: ServeCommand.StoreChoice = .memory
    var dataDirectory: String = "./resume-optimizer-data"
    var maximumConcurrentJobs: Int = 4
    var jobTimeout: Duration = .seconds(300)
}

/// The job system the routes use, and the services that must run for it.
struct JobSystem: Sendable {
    var service: any ResumeJobService
    var services: [any Service]
}
