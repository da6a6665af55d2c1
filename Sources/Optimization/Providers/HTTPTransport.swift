public import Logging
public import NIOHTTP1

/// The seam between the HTTP providers and the network.
///
/// ``OpenAICompatibleProvider`` and ``AnthropicProvider`` send every request through a transport.
/// The library uses ``AsyncHTTPClientTransport``; a test can pass its own transport to script responses
/// and failures without a network.
///
/// A transport sends one request and returns the whole response, or throws ``HTTPTransportError``.
/// It does not retry, and it stops promptly when the calling task is cancelled.
public protocol HTTPTransport: Sendable {
    /// Sends one request and collects the whole response.
    ///
    /// - Parameters:
    ///   - request: The request to send.
    ///   - deadline: When to give up with ``HTTPTransportError/Code/timeout``.
    ///   - logger: Where to log; request bodies and headers must not be logged.
    /// - Returns: The status, headers and body, whatever the status is.
    /// - Throws: ``HTTPTransportError`` when no response arrived.
    func send(
        _ request: HTTPTransportRequest,
        deadline: ContinuousClock.Instant,
        logger: Logger
    ) async throws -> HTTPTransportResponse
}

/// One HTTP request as a provider builds it.
///
/// Its description shows the method, URL and header names only: header values may hold credentials and
/// the body holds prompt text.
public struct HTTPTransportRequest: Sendable, CustomStringConvertible {
    /// The HTTP method, such as `POST`.
    public var method: HTTPMethod
    /// The absolute URL.
    public var url: String
    /// The request headers, credentials included.
    public var headers: HTTPHeaders
    /// The encoded body.
    public var body: [UInt8]
    /// The largest response body the transport may collect.
    public var maximumResponseBytes: Int

    /// Creates a request.
    public init(
        method: HTTPMethod = .POST,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        maximumResponseBytes: Int = 16 * 1024 * 1024
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.maximumResponseBytes = maximumResponseBytes
    }

    public var description: String {
        let names = headers.map(\.name).joined(separator: ", ")
        return "\(method.rawValue) \(url) [headers: \(names)] [body: \(body.count) bytes]"
    }
}

/// One complete HTTP response.
public struct HTTPTransportResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The response headers.
    public var headers: HTTPHeaders
    /// The whole body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response whose body is the UTF-8 of `text`.
    public init(status: Int, headers: HTTPHeaders = [:], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }
}

/// Why a transport got no response.
public struct HTTPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure, as a value a program can switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case timeout, connection, cancelled, invalidURL, responseTooLarge
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connect timeout or the deadline passed.
        public static let timeout = Code(.timeout)
        /// The connection could not be made or broke before the response was complete.
        public static let connection = Code(.connection)
        /// The calling task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The URL cannot be requested (bad scheme, no host).
        public static let invalidURL = Code(.invalidURL)
        /// The response body is larger than the request's `maximumResponseBytes`.
        public static let responseTooLarge = Code(.responseTooLarge)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// What happened, for a person. Never contains header values or the body.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "HTTPTransportError.\(code): \(message)" }
}
