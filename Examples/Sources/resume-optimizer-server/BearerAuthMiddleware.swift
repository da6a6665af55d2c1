import Foundation
import Hummingbird
import Logging

/// Requires `Authorization: Bearer <JWT>` (HS256) and stores the token's `sub` as the request's user.
///
/// Missing, malformed, forged and expired tokens are refused with 401 and a JSON message.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    let verifier: JSONWebToken

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("Missing 'Authorization: Bearer <token>' header.")
        }
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else {
            throw APIError.unauthorized("The Authorization header must use the Bearer scheme.")
        }
        let token = header.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces)
        let verified: JSONWebToken.Verified
        do {
            verified = try verifier.verify(token)
        } catch {
            context.logger.debug("Refused a bearer token", metadata: ["auth.refusal": "\(error.kind.rawValue)"])
            throw APIError.unauthorized(error.message)
        }
        var context = context
        context.userID = verified.subject
        context.logger[metadataKey: "user.id"] = "\(verified.subject)"
        return try await next(request, context)
    }
}
