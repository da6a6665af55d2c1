import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the server: routes, middleware and the services that run with it.
///
/// Tests call this with HummingbirdTesting; `resume-optimizer-server` calls it and runs the result.
///
/// - Parameters:
///   - configuration: Where to listen, the token secret, CORS origins and upload limits.
///   - jobs: The job system behind the routes.
///   - services: Services that run for as long as the server (for example the job center).
///     They shut down gracefully with it.
///   - drainGate: Set while the server drains on shutdown (``DrainingServer``): requests get 503.
///   - logger: Where the server logs; request bodies are never logged.
func buildApplication(
    configuration: ServerConfiguration,
    jobs: any ResumeJobService,
    services: [any Service] = [],
    drainGate: DrainGate = DrainGate(),
    logger: Logger
) -> some ApplicationProtocol {
    // HEAD is answered wherever GET is (load balancers probe with `HEAD /health`).
    let router = Router(context: ServerRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: DrainingMiddleware(gate: drainGate))
    router.add(middleware: HostHeaderMiddleware())
    if !configuration.allowedOrigins.isEmpty {
        router.add(middleware: CORSPolicyMiddleware(allowedOrigins: Set(configuration.allowedOrigins)))
    }
    router.add(middleware: RequestLogMiddleware())
    if let registry = configuration.metrics {
        // Request counts and durations by route, method and status, into the bootstrapped MetricsSystem.
        router.add(middleware: MetricsMiddleware())
        MetricsRoute(registry: registry).register(on: router)
    }
    if RequestTracingMiddleware<ServerRequestContext>.isTracerBootstrapped {
        router.add(middleware: RequestTracingMiddleware())
    }
    router.add(middleware: JSONErrorMiddleware())

    let verifier = BearerTokenVerifier(secret: configuration.tokenSecret, policy: configuration.tokens)
    APIRoutes(
        configuration: configuration,
        jobs: jobs,
        verifier: verifier,
        longPolls: LongPollLimiter(maximumPerUser: configuration.maximumLongPollsPerUser)
    ).register(on: router)
    WebClientRoutes(configuration: configuration).register(on: router)
    // Added after the routes, so it runs only for requests no route took (the router builds its
    // not-found responder from every middleware), inside the JSON error rendering.
    router.add(middleware: MethodNotAllowedMiddleware(routes: RouteMethods(router.routes)))

    return Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [
                    HTTPConnectionGuard(
                        headerTimeout: .nanoseconds(configuration.headerTimeout.nanoseconds),
                        bodyTimeout: .nanoseconds(configuration.bodyTimeout.nanoseconds),
                        maximumHeaderBytes: configuration.maximumHeaderBytes
                    )
                ],
                idleTimeout: .nanoseconds(configuration.idleTimeout.nanoseconds),
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: configuration.maximumHeaderBytes,
                    maxHeaderListSize: configuration.maximumHeaderBytes
                )
            )
        ),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.hostname, port: configuration.port),
            serverName: "resume-optimizer-server",
            availableConnectionsDelegate: .maximum(configuration.maximumConnections, logger: logger)
        ),
        services: services,
        logger: logger
    )
}

/// The whole server as `serve` runs it: the job system the options describe (provider, store, center),
/// behind the routes.
func buildApplication(
    options: JobSystemOptions,
    configuration: ServerConfiguration,
    drainGate: DrainGate = DrainGate(),
    logger: Logger
) async throws -> some ApplicationProtocol {
    let system = try await makeJobSystem(options: options, configuration: configuration, logger: logger)
    return buildApplication(
        configuration: configuration,
        jobs: system.service,
        services: system.services,
        drainGate: drainGate,
        logger: logger
    )
}
