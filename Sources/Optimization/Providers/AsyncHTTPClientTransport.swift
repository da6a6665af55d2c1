public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// An ``HTTPTransport`` backed by AsyncHTTPClient.
///
/// Pass your application's `HTTPClient` to share its connection pool; its configuration then decides the
/// connect timeout. For API calls configure it like the library does:
///
/// ```swift
/// var pool = HTTPClient.Configuration.ConnectionPool()
/// pool.retryConnectionEstablishment = false  // let the provider's retry policy decide
/// let configuration = HTTPClient.Configuration(
///     redirectConfiguration: .disallow,
///     timeout: .init(connect: .seconds(5)),
///     connectionPool: pool
/// )
/// let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
/// let provider = OpenAICompatibleProvider(configuration: .openAI(apiKey: key), httpClient: client)
/// ```
///
/// Without a client, providers use ``AsyncHTTPClientTransport/shared(connectTimeout:)``.
public struct AsyncHTTPClientTransport: HTTPTransport {
    /// The client that sends the requests.
    public let client: HTTPClient

    /// Sends requests with `client`. The caller keeps ownership and shuts it down.
    public init(client: HTTPClient) {
        self.client = client
    }

    /// A transport on a process-wide client that is never shut down, one per connect timeout.
    ///
    /// The client fails a connection attempt at once instead of retrying it until the deadline, so the
    /// provider's ``RetryPolicy`` decides, and it does not follow redirects (the request carries
    /// credentials).
    public static func shared(connectTimeout: Duration = .seconds(5)) -> AsyncHTTPClientTransport {
        AsyncHTTPClientTransport(client: SharedHTTPClients.client(connectTimeout: connectTimeout))
    }

    public func send(
        _ request: HTTPTransportRequest,
        deadline: ContinuousClock.Instant,
        logger: Logger
    ) async throws -> HTTPTransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers = request.headers
        if !request.body.isEmpty {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let remaining = ContinuousClock.now.duration(to: deadline)
        let nioDeadline = NIODeadline.now() + TimeAmount(remaining)
        do {
            let response = try await client.execute(outgoing, deadline: nioDeadline, logger: logger)
            let body = try await response.body.collect(upTo: request.maximumResponseBytes)
            return HTTPTransportResponse(
                status: Int(response.status.code),
                headers: response.headers,
                body: Array(buffer: body)
            )
        } catch {
            throw Self.transportError(for: error, request: request)
        }
    }

    static func transportError(for error: any Error, request: HTTPTransportRequest) -> HTTPTransportError {
        if let error = error as? HTTPTransportError { return error }
        if Task.isCancelled || error is CancellationError {
            return HTTPTransportError(code: .cancelled, message: "The request was cancelled.")
        }
        if error is NIOTooManyBytesError {
            return HTTPTransportError(
                code: .responseTooLarge,
                message: "The response body exceeded \(request.maximumResponseBytes) bytes."
            )
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return HTTPTransportError(
                    code: .timeout,
                    message: "No response before the timeout (\(error.shortDescription))."
                )
            case .cancelled:
                return HTTPTransportError(code: .cancelled, message: "The request was cancelled.")
            case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
                return HTTPTransportError(
                    code: .invalidURL,
                    message: "The URL cannot be requested (\(error.shortDescription))."
                )
            default:
                if error.shortDescription.hasPrefix("Unsupported scheme") {
                    return HTTPTransportError(
                        code: .invalidURL,
                        message: "The URL cannot be requested (\(error.shortDescription))."
                    )
                }
                return HTTPTransportError(
                    code: .connection,
                    message: "The connection failed (\(error.shortDescription))."
                )
            }
        }
        return HTTPTransportError(
            code: .connection,
            message: "The connection failed (\(String(describing: type(of: error))))."
        )
    }
}

/// The process-wide clients behind ``AsyncHTTPClientTransport/shared(connectTimeout:)``.
enum SharedHTTPClients {
    // A lock-protected dictionary; NSLock makes the mutable storage safe to share.
    private final class Storage: @unchecked Sendable {
        let lock = NSLock()
        var clients: [Duration: HTTPClient] = [:]
    }

    private static let storage = Storage()

    /// The configuration of the shared clients: the connect timeout, no connection-establishment retries
    /// (the provider's retry policy decides) and no redirects (requests carry credentials).
    static func configuration(connectTimeout: Duration) -> HTTPClient.Configuration {
        var pool = HTTPClient.Configuration.ConnectionPool()
        pool.retryConnectionEstablishment = false
        return HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connectTimeout)),
            connectionPool: pool
        )
    }

    static func client(connectTimeout: Duration) -> HTTPClient {
        storage.lock.lock()
        defer { storage.lock.unlock() }
        if let client = storage.clients[connectTimeout] { return client }
        let configuration = Self.configuration(connectTimeout: connectTimeout)
        // Lives for the whole process, like `HTTPClient.shared`; it is never shut down.
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        storage.clients[connectTimeout] = client
        return client
    }
}
