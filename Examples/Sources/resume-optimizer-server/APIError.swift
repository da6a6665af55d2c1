import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A refusal the server sends as `{"message": "..."}` with a 4xx status.
///
/// Messages say what is wrong and what to do; they never repeat the caller's resume, job
/// description or token.
struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields = [:]

    var description: String { "APIError(\(status.code)): \(message)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.jsonResponse(status: status, message: message, headers: headers)
    }

    /// Builds the JSON error body every refusal uses.
    static func jsonResponse(status: HTTPResponse.Status, message: String, headers: HTTPFields = [:]) -> Response {
        // Encoding an object of one string cannot fail.
        let body = (try? ServerJSONEncoder.encode(["message": message])) ?? ByteBuffer()
        return ServerJSONEncoder.response(body: body, status: status, headers: headers)
    }

    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, message: message) }

    /// 401 with `WWW-Authenticate: Bearer`, and `error="invalid_token"` when a token was sent but
    /// refused.
    static func unauthorized(_ message: String, invalidToken: Bool = true) -> APIError {
        let challenge =
            invalidToken
            ? #"Bearer realm="resume-optimizer", error="invalid_token""#
            : #"Bearer realm="resume-optimizer""#
        return APIError(status: .unauthorized, message: message, headers: [.wwwAuthenticate: challenge])
    }

    static func forbidden(_ message: String) -> APIError { APIError(status: .forbidden, message: message) }

    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, message: message) }

    static func conflict(_ message: String) -> APIError { APIError(status: .conflict, message: message) }

    static func contentTooLarge(_ message: String) -> APIError { APIError(status: .contentTooLarge, message: message) }

    static func unsupportedMediaType(_ message: String) -> APIError {
        APIError(status: .unsupportedMediaType, message: message)
    }

    static func tooManyRequests(_ message: String, retryAfterSeconds: Int) -> APIError {
        APIError(status: .tooManyRequests, message: message, headers: [.retryAfter: "\(retryAfterSeconds)"])
    }

    static func serviceUnavailable(_ message: String, retryAfterSeconds: Int = 5) -> APIError {
        APIError(status: .serviceUnavailable, message: message, headers: [.retryAfter: "\(retryAfterSeconds)"])
    }

    static func jobNotFound() -> APIError {
        .notFound("No job with this id exists for your account. Check the jobId returned by POST /optimize.")
    }
}
