import Hummingbird
import Logging

/// The per-request context: Hummingbird's core storage plus the authenticated user.
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The `sub` claim of the verified bearer token; `nil` on routes that need no token.
    var userID: String?

    /// Every JSON answer is written by the server's one encoder (``ServerJSONEncoder``).
    var responseEncoder: ServerJSONEncoder { ServerJSONEncoder() }

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.userID = nil
    }

    /// The authenticated user, for routes behind ``BearerAuthMiddleware``.
    func requireUserID() throws -> String {
        guard let userID else { throw APIError.unauthorized("A bearer token is required.") }
        return userID
    }
}
