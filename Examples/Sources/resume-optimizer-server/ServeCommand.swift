import ArgumentParser
import Crypto
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

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
        case memory, directory, postgres
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

    @Option(
        help:
            "Where jobs are kept: memory (lost on restart), directory (survives restarts) or postgres (shared by several servers)."
    )
    var store: StoreChoice = .memory

    @Option(
        help:
            "The PostgreSQL database of the postgres store: postgres://USER:PASSWORD@HOST:PORT/DATABASE (or DATABASE_URL)."
    )
    var databaseURL: String?

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

    @Option(help: "The most queued and running jobs one user may have; more get 429 with Retry-After.")
    var maxQueuedPerUser: Int = 20

    @Option(help: "The most queued and running jobs in all; more get 503 with Retry-After.")
    var maxQueued: Int = 10_000

    @Option(help: "The most long polls (GET /status?wait=) one user may have waiting; more answer at once.")
    var maxLongPollsPerUser: Int = 10

    @Option(help: "Seconds the server keeps listening after SIGTERM, answering 503, before it shuts down.")
    var drainSeconds: Double = 5

    @Option(help: "Seconds a connection may send nothing (idle, or a stalled header or body) before it is closed.")
    var idleTimeout: Double = 30

    @Option(help: "Seconds a request's head (request line and headers) may take to arrive; slower connections close.")
    var headerTimeout: Double = 10

    @Option(help: "Seconds a request's body may take to arrive after its head; slower connections close.")
    var bodyTimeout: Double = 120

    @Option(help: "The most connections open at once; more wait in the listen backlog (keep below ulimit -n).")
    var maxConnections: Int = 4096

    @Option(help: "The log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(help: "A JSON Web Key Set file with the public keys of RS256, ES256 and EdDSA tokens (keys by 'kid').")
    var jwksFile: String?

    @Option(
        help:
            "The URL of an identity provider's JSON Web Key Set (https), fetched at start, cached for an hour and fetched again for an unknown 'kid'."
    )
    var jwksURL: String?

    @Option(help: "The issuer ('iss') every token must name.")
    var jwtIssuer: String?

    @Option(help: "The audience ('aud') every token must include.")
    var jwtAudience: String?

    @Option(help: "How many seconds 'exp', 'nbf' and 'iat' may be off, for clock skew.")
    var jwtLeeway: Int = 60

    @Option(help: "The claim that names the user (Cognito access tokens: username).")
    var jwtUserClaim: String = "sub"

    @Option(help: "The log format: text (one line for people) or json (one JSON object per line, for collectors).")
    var logFormat: LogFormat = .text

    @Flag(help: "Serve GET /metrics in Prometheus' text format: jobs, model calls, parse time and HTTP requests.")
    var metrics: Bool = false

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
        if store == .postgres, effectiveDatabaseURL == nil {
            throw ValidationError("--store postgres needs --database-url (or the DATABASE_URL environment variable).")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        guard idleTimeout > 0, idleTimeout.isFinite else { throw ValidationError("--idle-timeout must be positive.") }
        guard headerTimeout > 0, headerTimeout.isFinite else {
            throw ValidationError("--header-timeout must be positive.")
        }
        guard bodyTimeout > 0, bodyTimeout.isFinite else { throw ValidationError("--body-timeout must be positive.") }
        guard maxQueuedPerUser >= 1 else { throw ValidationError("--max-queued-per-user must be at least 1.") }
        guard maxQueued >= 1 else { throw ValidationError("--max-queued must be at least 1.") }
        guard maxLongPollsPerUser >= 1 else { throw ValidationError("--max-long-polls-per-user must be at least 1.") }
        guard drainSeconds >= 0, drainSeconds.isFinite else {
            throw ValidationError("--drain-seconds must be 0 or more.")
        }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1.") }
        guard (0...3600).contains(jwtLeeway) else { throw ValidationError("--jwt-leeway must be 0 to 3600 seconds.") }
        guard !jwtUserClaim.isEmpty else { throw ValidationError("--jwt-user-claim must not be empty.") }
        if jwksFile != nil, jwksURL != nil { throw ValidationError("Give --jwks-file or --jwks-url, not both.") }
        if let jwksURL {
            guard let url = URL(string: jwksURL), JSONWebKeySetCache.isAllowed(url) else {
                throw ValidationError("--jwks-url must be an https URL (http only to localhost, 127.0.0.1 or ::1).")
            }
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
        var logger =
            switch logFormat {
            case .text:
                Logger(label: "resume-optimizer-server") { label in
                    DeferredMetadataLogHandler(wrapping: Logger(label: label).handler)
                }
            case .json: Logger(label: "resume-optimizer-server") { JSONLogHandler(label: $0) }
            }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var registry: PrometheusCollectorRegistry?
        if metrics {
            // Before the job system is made: the center and the optimizer take the bootstrapped factory.
            let prometheus = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: prometheus))
            registry = prometheus
        }

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
        configuration.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        configuration.headerTimeout = .milliseconds(Int64(headerTimeout * 1000))
        configuration.bodyTimeout = .milliseconds(Int64(bodyTimeout * 1000))
        configuration.maximumConnections = maxConnections
        configuration.maximumQueuedJobsPerUser = maxQueuedPerUser
        configuration.maximumQueuedJobs = maxQueued
        configuration.maximumLongPollsPerUser = maxLongPollsPerUser
        configuration.tokens = tokenPolicy()
        configuration.metrics = registry
        if configuration.tokens.keySet != nil {
            do {
                try await BearerTokenVerifier(secret: secret, policy: configuration.tokens).preload()
            } catch {
                // The server starts anyway: the set is read again when the first token needs it.
                logger.warning("Cannot read the JSON Web Key Set yet", metadata: ["error": "\(error)"])
            }
        }

        let gate = DrainGate()
        let app = try await buildApplication(
            options: jobSystemOptions(),
            configuration: configuration,
            drainGate: gate,
            logger: logger
        )

        if dev {
            let demo = try await TokenSigner.sign(subject: "demo-user", lifetime: .seconds(86_400), secret: secret)
            let other = try await TokenSigner.sign(subject: "other-user", lifetime: .seconds(86_400), secret: secret)
            // Written and flushed at once, so the tokens show up even when stdout is a pipe or a file.
            FileHandle.standardOutput.write(
                Data(
                    """
                    Development mode: tokens are signed with a secret generated for this run.
                    Token for user 'demo-user' (valid 24 hours):
                    \(demo)
                    Token for user 'other-user', to try job isolation:
                    \(other)

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
        let server = DrainingServer(
            application: app,
            gate: gate,
            drainPeriod: .milliseconds(Int64(drainSeconds * 1000)),
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }

    /// The token rules from the `--jwt-*` and `--jwks-*` options.
    func tokenPolicy() -> TokenPolicy {
        var policy = TokenPolicy()
        if let jwksFile { policy.keySet = .file(jwksFile) }
        if let jwksURL, let url = URL(string: jwksURL) { policy.keySet = .url(url) }
        policy.issuer = jwtIssuer
        policy.audience = jwtAudience
        policy.leeway = .seconds(jwtLeeway)
        policy.userClaim = jwtUserClaim
        return policy
    }

    /// `--database-url`, else the conventional `DATABASE_URL` variable.
    var effectiveDatabaseURL: String? {
        (databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"]).flatMap { $0.isEmpty ? nil : $0 }
    }

    func jobSystemOptions() -> JobSystemOptions {
        JobSystemOptions(
            provider: provider,
            model: model,
            baseURL: baseURL,
            stubDelay: .milliseconds(Int64(stubDelay * 1000)),
            store: store,
            dataDirectory: dataDir,
            databaseURL: effectiveDatabaseURL,
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
    /// The postgres store's connection string (it holds a password: never log it).
    var databaseURL: String?
    var maximumConcurrentJobs: Int = 4
    var jobTimeout: Duration = .seconds(300)
}

/// The job system the routes use, and the services that must run for it.
struct JobSystem: Sendable {
    var service: any ResumeJobService
    var services: [any Service]
}

/// `--log-format`.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json
}
