import Foundation
import NIOHTTP1

/// The fields of a provider's error body that both OpenAI-style and Anthropic-style APIs share.
///
/// OpenAI: `{"error": {"message", "type", "param", "code"}}`.
/// Anthropic: `{"type": "error", "error": {"type", "message"}, "request_id"}`.
/// Some compatible servers send `{"error": "text"}`.
struct ProviderErrorBody: Sendable, Hashable {
    var type: String?
    var code: String?
    var message: String?
    var requestID: String?

    init(type: String? = nil, code: String? = nil, message: String? = nil, requestID: String? = nil) {
        self.type = type
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    init(bytes: [UInt8]) {
        guard let json = JSONValue.parse(bytes) else {
            self.init()
            return
        }
        switch json["error"] {
        case .object?:
            self.init(
                type: json["error"]?["type"]?.stringValue,
                code: json["error"]?["code"]?.stringValue,
                message: json["error"]?["message"]?.stringValue,
                requestID: json["request_id"]?.stringValue
            )
        case .string(let message)?:
            self.init(message: message)
        default:
            self.init(message: json["message"]?.stringValue)
        }
    }
}

/// What the error builder may include in messages.
struct ErrorRedaction: Sendable {
    /// Whether the provider's own error message is appended (a debugging aid: it may quote the request).
    var includesProviderMessages: Bool
    /// Secrets scrubbed from any text that reaches an error.
    var secrets: [String]

    func scrub(_ text: String) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: "[redacted]")
        }
        return result
    }
}

extension AIProviderError {
    /// Builds the error for a non-2xx response.
    static func fromHTTPResponse(
        _ response: HTTPTransportResponse,
        providerName: String,
        redaction: ErrorRedaction,
        now: Date
    ) -> AIProviderError {
        let status = response.status
        let body = ProviderErrorBody(bytes: response.body)
        let headers = response.headers
        let requestID = headers.first(name: "x-request-id") ?? headers.first(name: "request-id") ?? body.requestID
        let retryAfter = serverRequestedDelay(headers: headers, now: now)
        let kind = classify(status: status, body: body)
        let retryable =
            kind == .quotaExceeded
            ? false
            : RetryPolicy.shouldRetry(
                status: status,
                shouldRetryHeader: headers.first(name: "x-should-retry"),
                errorCode: body.code
            )

        var message = advice(kind: kind, status: status, providerName: providerName, retryAfter: retryAfter)
        if redaction.includesProviderMessages, let providerMessage = body.message, !providerMessage.isEmpty {
            message += " Provider said: \(redaction.scrub(String(providerMessage.prefix(500))))"
        }
        return AIProviderError(
            kind: kind,
            message: message,
            isRetryable: retryable,
            httpStatus: status,
            providerErrorType: body.type.map(redaction.scrub),
            providerErrorCode: body.code.map(redaction.scrub),
            requestID: requestID,
            retryAfter: retryAfter,
            providerName: providerName
        )
    }

    static func classify(status: Int, body: ProviderErrorBody) -> Kind {
        let type = body.type?.lowercased() ?? ""
        let code = body.code?.lowercased() ?? ""
        let text = body.message?.lowercased() ?? ""

        if code == "insufficient_quota" || type == "insufficient_quota" || type == "billing_error" || status == 402 {
            return .quotaExceeded
        }
        if status == 529 || type == "overloaded_error" {
            return .overloaded
        }
        switch status {
        case 400, 413, 422:
            if isContextTooLong(code: code, text: text) { return .contextTooLong }
            if isContentFiltered(code: code, type: type) { return .contentFiltered }
            return .badRequest
        case 401: return .authentication
        case 403:
            if isContentFiltered(code: code, type: type) { return .contentFiltered }
            return .permissionDenied
        case 404: return .notFound
        case 408, 504: return .timeout
        case 429: return .rateLimited
        case 503: return .overloaded
        case 500...: return .serverError
        default: return .badRequest
        }
    }

    private static func isContextTooLong(code: String, text: String) -> Bool {
        if code == "context_length_exceeded" || code == "string_above_max_length" { return true }
        let phrases = [
            "context length", "context_length", "context window", "context limit", "prompt is too long",
            "maximum context", "too many tokens in the prompt",
        ]
        return phrases.contains { text.contains($0) }
    }

    private static func isContentFiltered(code: String, type: String) -> Bool {
        ["content_filter", "content_policy_violation", "content_filtered"].contains(code)
            || type == "content_filter"
    }

    /// The wait the server asked for: `retry-after-ms`, then `retry-after` in seconds or as an HTTP date.
    static func serverRequestedDelay(headers: HTTPHeaders, now: Date) -> Duration? {
        if let text = headers.first(name: "retry-after-ms"),
            let milliseconds = Double(text.trimmingCharacters(in: .whitespaces)),
            milliseconds.isFinite, milliseconds >= 0
        {
            return .milliseconds(milliseconds)
        }
        guard let text = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 {
            return .milliseconds(seconds * 1000)
        }
        if let date = HTTPDate.parse(text) {
            let seconds = date.timeIntervalSince(now)
            return .milliseconds(max(0, seconds) * 1000)
        }
        return nil
    }

    private static func advice(kind: Kind, status: Int, providerName: String, retryAfter: Duration?) -> String {
        switch kind {
        case .authentication:
            return
                "\(providerName) rejected the API key (HTTP \(status)). Check that the key is set, current and issued for this provider."
        case .permissionDenied:
            return "\(providerName) denied access (HTTP \(status)). Check that the key may use this model and project."
        case .notFound:
            return
                "\(providerName) did not find the model or endpoint (HTTP \(status)). Check the model name and the base URL."
        case .rateLimited:
            let wait = retryAfter.map { " It asked to wait \(formatted($0))." } ?? ""
            return
                "\(providerName) is rate limiting this key (HTTP \(status)).\(wait) Retry later or lower the request rate."
        case .quotaExceeded:
            return
                "\(providerName) reports no quota or credit left (HTTP \(status)). Add credit or raise the plan's limit; retrying does not help."
        case .contextTooLong:
            return
                "The prompt and output limit exceed the model's context window (HTTP \(status)). Shorten the input, lower the output limit or pick a larger model."
        case .contentFiltered:
            return "\(providerName) refused the request under its content policy (HTTP \(status)). Rephrase the input."
        case .overloaded:
            return "\(providerName) is temporarily overloaded (HTTP \(status)). Try again in a few moments."
        case .serverError:
            return
                "\(providerName) failed with HTTP \(status). Try again later; if it persists, check the provider's status page."
        case .timeout:
            return "\(providerName) timed out on its side (HTTP \(status)). Try again, or raise the timeout."
        default:
            return
                "\(providerName) refused the request as invalid (HTTP \(status)). Check the model name and request parameters."
        }
    }

    static func formatted(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(Double(milliseconds) / 1000) s"
    }
}

/// Parses the HTTP date formats of RFC 9110 (IMF-fixdate first, then the two obsolete forms).
enum HTTPDate {
    private static let formats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy",
    ]

    static func parse(_ text: String) -> Date? {
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = formats[0]
        return formatter.string(from: date)
    }
}
