import Hummingbird
import Logging
import NIOCore

/// Turns every error a route throws into a JSON response `{"message": "..."}`.
///
/// ``APIError`` keeps its status and message. Hummingbird's own errors (unknown route, body too
/// large) keep their status. Anything else is a fault of the server: it answers 500 with a generic
/// message and logs only the error's type, never request content.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return APIError.jsonResponse(status: error.status, message: error.message, headers: error.headers)
        } catch let error as HTTPError {
            let message = error.body ?? Self.defaultMessage(for: error.status)
            return APIError.jsonResponse(status: error.status, message: message, headers: error.headers)
        } catch is NIOTooManyBytesError {
            return APIError.jsonResponse(status: .contentTooLarge, message: "The request body is too large.")
        } catch let error as any HTTPResponseError {
            return APIError.jsonResponse(status: error.status, message: Self.defaultMessage(for: error.status))
        } catch {
            context.logger.error(
                "Request failed with an unexpected error",
                metadata: ["error.type": "\(String(reflecting: type(of: error)))"]
            )
            return APIError.jsonResponse(
                status: .internalServerError,
                message: "The server failed to handle the request. Try again later."
            )
        }
    }

    static func defaultMessage(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "No such route. See the API reference for the available routes."
        case .methodNotAllowed: "This route does not accept this method."
        case .contentTooLarge: "The request body is too large."
        default: status.reasonPhrase
        }
    }
}
