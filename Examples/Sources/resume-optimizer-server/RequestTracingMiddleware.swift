import Hummingbird
import Tracing

/// Hummingbird's `TracingMiddleware` (a server span per request: method, route, status), for every
/// request but downloads: a download's path is its signed token, which grants the file and is never
/// logged, so it stays out of spans too.
///
/// ``buildApplication(configuration:jobs:services:drainGate:logger:)`` adds it only when a tracer is
/// bootstrapped (`InstrumentationSystem.bootstrap(_:)` before the application is built); without one
/// it would build each request's attributes for nothing. The job center's spans are children of the
/// request's span (see `Documentation/Operations.md`, Tracing).
struct RequestTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    private let tracing = TracingMiddleware<Context>()

    /// Whether a tracer is bootstrapped, so that spans go somewhere.
    static var isTracerBootstrapped: Bool { !(InstrumentationSystem.tracer is NoOpTracer) }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.uri.path.hasPrefix("/downloads/") { return try await next(request, context) }
        return try await tracing.handle(request, context: context, next: next)
    }
}
