import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// Whether the server is draining: shutting down, but still listening so that callers (a load
/// balancer's probes, late clients) get 503 instead of a refused connection.
final class DrainGate: Sendable {
    private let draining = Atomic(false)

    init() {}

    /// Whether new requests are refused with 503.
    var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// From now on new requests are refused with 503.
    func startDraining() { draining.store(true, ordering: .relaxed) }
}

/// Answers every request with 503, `Retry-After` and `Connection: close` while the server drains.
/// Requests already being handled (long polls, uploads) finish normally.
struct DrainingMiddleware<Context: RequestContext>: RouterMiddleware {
    let gate: DrainGate

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard gate.isDraining else { return try await next(request, context) }
        var response = APIError.jsonResponse(
            status: .serviceUnavailable,
            message: "The server is shutting down; retry on another instance.",
            headers: [.retryAfter: "5"]
        )
        response.headers[.connection] = "close"
        return response
    }
}

/// Runs the application so that a graceful shutdown (SIGTERM) first drains for `drainPeriod`:
/// the listener stays open and new requests get 503, then the server and the job system shut down
/// gracefully as usual.
///
/// The application runs in a service group of its own, detached from the caller's, so that the
/// caller's shutdown reaches it only after the drain.
struct DrainingServer: Service {
    let application: any Service
    let gate: DrainGate
    let drainPeriod: Duration
    let logger: Logger

    func run() async throws {
        let inner = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let drainPeriod = drainPeriod
        let gate = gate
        let logger = logger
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await Task.detached { try await inner.run() }.value
            } onCancel: {
                Task { await inner.triggerGracefulShutdown() }
            }
        } onGracefulShutdown: {
            gate.startDraining()
            logger.notice(
                "Shutting down: answering 503 while draining",
                metadata: ["server.drain_seconds": "\(drainPeriod.components.seconds)"]
            )
            Task {
                try? await Task.sleep(for: drainPeriod)
                await inner.triggerGracefulShutdown()
            }
        }
    }
}

/// Refuses a request without a `Host` header or with more than one (RFC 9112 §3.2) with 400, before
/// any route sees it.
struct HostHeaderMiddleware<Context: RequestContext>: RouterMiddleware {
    static var host: HTTPField.Name { HTTPField.Name("Host")! }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // The first Host header becomes the request's authority; any further one stays a field.
        guard request.head.authority != nil, request.headers[Self.host] == nil else {
            return APIError.jsonResponse(status: .badRequest, message: "A request must carry exactly one Host header.")
        }
        return try await next(request, context)
    }
}
