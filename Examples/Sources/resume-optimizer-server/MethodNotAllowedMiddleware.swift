import HTTPTypes
import Hummingbird

/// The methods each route path answers, read from the router once its routes are registered.
///
/// Paths are Hummingbird route patterns; a capture segment matches any one non-empty segment.
/// `HEAD` is listed wherever `GET` is, as the router answers it (`autoGenerateHeadEndpoints`).
struct RouteMethods: Sendable {
    private struct Entry: Sendable {
        var segments: [String]
        var methods: [HTTPRequest.Method]
    }

    private var entries: [Entry] = []

    /// The methods of a router's routes.
    init(_ routes: [Router<some RequestContext>.RouteDescription]) {
        for route in routes { add(route.path.description, route.method) }
    }

    /// Records that `path` answers `method`.
    private mutating func add(_ path: String, _ method: HTTPRequest.Method) {
        let segments = Self.segments(of: path).map(String.init)
        var added: [HTTPRequest.Method] = [method]
        if method == .get { added.append(.head) }
        if let index = entries.firstIndex(where: { $0.segments == segments }) {
            for method in added where !entries[index].methods.contains(method) {
                entries[index].methods.append(method)
            }
        } else {
            entries.append(Entry(segments: segments, methods: added))
        }
    }

    /// The methods the route matching `path` answers; `nil` when no route has this path.
    func methods(forPath path: String) -> [HTTPRequest.Method]? {
        let segments = Self.segments(of: path)
        return entries.first { entry in
            entry.segments.count == segments.count
                && zip(entry.segments, segments).allSatisfy { pattern, segment in
                    Self.isCapture(pattern) ? !segment.isEmpty : pattern == segment
                }
        }?.methods
    }

    /// `:name`, `{name}` (as the router describes its captures) or `*`.
    private static func isCapture(_ pattern: String) -> Bool {
        pattern.hasPrefix(":") || (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == "*"
    }

    private static func segments(of path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

/// Answers a method that a route does not have with 405 and an `Allow` header listing the ones it
/// has, instead of the router's 404.
///
/// Only requests that no route took reach the check: the router answers them with a 404
/// `HTTPError`, which this middleware sees before ``JSONErrorMiddleware`` renders it.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteMethods

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let methods = routes.methods(forPath: request.uri.path), !methods.contains(request.method) else {
                throw error
            }
            let allowed = methods.map(\.rawValue).joined(separator: ", ")
            throw APIError(
                status: .methodNotAllowed,
                message: "This route does not accept this method; it accepts \(allowed).",
                headers: [.allow: allowed]
            )
        }
    }
}
