import HTTPTypes
import Hummingbird

/// Cross-origin resource sharing for browser clients served from another origin.
///
/// Only origins in the configured list (or every origin, with `*`) receive
/// `Access-Control-Allow-*` headers; preflight `OPTIONS` requests are answered directly.
/// Requests without an `Origin` header pass through untouched.
struct CORSPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Origins allowed to call the API, such as `https://app.example.com`; `*` allows any.
    let allowedOrigins: Set<String>

    static var allowedHeaders: String { "Authorization, Content-Type, Idempotency-Key, Accept" }
    static var allowedMethods: String { "GET, HEAD, POST, DELETE, OPTIONS" }
    static var exposedHeaders: String { "Location, Retry-After, Content-Disposition" }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        let allowed = allowedOrigins.contains("*") || allowedOrigins.contains(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard allowed else {
                return APIError.jsonResponse(status: .forbidden, message: "This origin may not call the API.")
            }
            var headers = self.headers(for: origin)
            headers[.accessControlAllowHeaders] = Self.allowedHeaders
            headers[.accessControlAllowMethods] = Self.allowedMethods
            headers[.accessControlMaxAge] = "600"
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if allowed {
            for field in headers(for: origin) {
                response.headers.append(field)
            }
        }
        return response
    }

    private func headers(for origin: String) -> HTTPFields {
        [
            .accessControlAllowOrigin: allowedOrigins.contains("*") ? "*" : origin,
            .accessControlExposeHeaders: Self.exposedHeaders,
            .vary: "Origin",
        ]
    }
}
