import Hummingbird
import Logging

/// Logs one line per request: method, path, status and duration. Bodies, headers and query strings are
/// never logged, and the signed token of a download path is replaced by `<token>`.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        context.logger.info(
            "Handled request",
            metadata: [
                "http.method": "\(request.method.rawValue)",
                "http.path": "\(Self.loggablePath(request.uri.path))",
                "http.status": "\(response.status.code)",
                "http.duration_ms":
                    "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            ]
        )
        return response
    }

    /// The longest path logged, in characters; longer ones are cut and marked with `…`.
    static var maximumLoggedPathLength: Int { 200 }

    /// The path with a download link's token (which grants access to a file) replaced, and cut to
    /// ``maximumLoggedPathLength`` characters.
    static func loggablePath(_ path: String) -> String {
        if path.hasPrefix("/downloads/") { return "/downloads/<token>" }
        guard path.utf8.count > maximumLoggedPathLength else { return path }
        return String(path.prefix(maximumLoggedPathLength)) + "…"
    }
}
