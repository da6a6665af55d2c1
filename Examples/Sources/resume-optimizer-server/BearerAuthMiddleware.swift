import Foundation
import Hummingbird
import Logging

/// Requires `Authorization: Bearer <JWT>` and stores the token's user as the request's user.
///
/// Every refusal is 401 with `WWW-Authenticate: Bearer error="invalid_token"` (or without the error
/// when no token was sent, RFC 6750) and a JSON message that says what is wrong.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    let verifier: BearerTokenVerifier

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = Self.authorization(of: request) else {
            throw APIError.unauthorized("Missing 'Authorization: Bearer <token>' header.", invalidToken: false)
        }
        let utf8 = header.utf8
        guard utf8.count > 7, utf8.prefix(7).elementsEqual("bearer ".utf8, by: { $0 | 0x20 == $1 | 0x20 }) else {
            throw APIError.unauthorized("The Authorization header must use the Bearer scheme.")
        }
        let token = String(Substring(header).dropFirst(7).drop { $0 == " " })
        let user: String
        do {
            user = try await verifier.verify(token)
        } catch {
            context.logger.debug("Refused a bearer token", metadata: ["auth.refusal": "\(error.kind.rawValue)"])
            throw APIError.unauthorized(error.message)
        }
        var context = context
        context.userID = user
        context.logger[metadataKey: "user.id"] = .string(user)
        return try await next(request, context)
    }

    /// The request's `Authorization` value. The usual case of one such field is read as it is; the
    /// headers' subscript would first gather every field of the name and join their values.
    static func authorization(of request: Request) -> String? {
        var value: String?
        var count = 0
        for field in request.headers where field.name == .authorization {
            value = field.value
            count += 1
        }
        return count > 1 ? request.headers[.authorization] : value
    }
}
