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
///   - logger: Where the server logs; request bodies are never logged.
func buildApplication(
    configuration: ServerConfiguration,
    jobs: any ResumeJobService,
    services: [any Service] = [],
    logger: Logger
) -> some ApplicationProtocol {
    let router = Router(context: ServerRequestContext.self)
    if !configuration.allowedOrigins.isEmpty {
        router.add(middleware: CORSPolicyMiddleware(allowedOrigins: Set(configuration.allowedOrigins)))
    }
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: JSONErrorMiddleware())

    let routes = APIRoutes(configuration: configuration, jobs: jobs)
    routes.register(on: router)
    WebClientRoutes(configuration: configuration).register(on: router)

    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.hostname, port: configuration.port),
            serverName: "resume-optimizer-server"
        ),
        services: services,
        logger: logger
    )
}
