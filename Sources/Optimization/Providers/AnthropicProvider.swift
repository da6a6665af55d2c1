public import AsyncHTTPClient
import Foundation
public import Logging
import NIOHTTP1

/// An ``AIProvider`` for Anthropic's Messages API.
///
/// It sends `POST {baseURL}/v1/messages` with the `x-api-key` and `anthropic-version: 2023-06-01`
/// headers, puts the system instructions in the top-level `system` field and always sends
/// `max_tokens`.
///
/// ```swift
/// let provider = AnthropicProvider(
///     configuration: .init(apiKey: APIKey(environment: "ANTHROPIC_API_KEY") ?? "", model: "claude-sonnet-4-5")
/// )
/// let completion = try await provider.complete(
///     CompletionRequest(system: "You are terse.", messages: [.user("Say hello.")], maxOutputTokens: 50)
/// )
/// ```
///
/// Failures, including the 529 `overloaded_error`, are retried as the official SDK does (see
/// ``RetryPolicy``) and thrown as ``AIProviderError``.
public struct AnthropicProvider: AIProvider {
    /// How to reach and call the Messages API.
    public struct Configuration: Sendable, Hashable {
        /// How a request's ``CompletionRequest/ResponseFormat/jsonSchema(name:schemaJSON:)`` is sent.
        public enum StructuredOutput: Sendable, Hashable {
            /// The schema is appended to the system prompt with an instruction to answer with matching JSON
            /// only. Works with every model and API version.
            case instructions
            /// The schema is sent as `output_config.format` (`type: json_schema`), Anthropic's structured
            /// outputs, which guarantees the shape on models that support it.
            case outputConfig
        }

        /// A short name for messages and logs. Default `Anthropic`.
        public var name: String
        /// The key sent as `x-api-key`.
        public var apiKey: APIKey?
        /// The URL `/v1/messages` is appended to. Default `https://api.anthropic.com`.
        public var baseURL: String
        /// The model used when a request names none.
        public var model: String
        /// The `anthropic-version` header. Default `2023-06-01`.
        public var version: String
        /// How JSON-schema answers are requested. Default ``StructuredOutput/instructions``.
        public var structuredOutput: StructuredOutput
        /// More headers to send, such as `anthropic-beta`.
        public var extraHeaders: [String: String]
        /// The longest one attempt may take, connection included. Default 600 seconds.
        /// A request's ``CompletionRequest/deadline`` can shorten it.
        public var requestTimeout: Duration
        /// The longest connection setup may take when the library's shared client is used. Default 5 seconds.
        public var connectTimeout: Duration
        /// How failures are retried. Default ``RetryPolicy/default`` (two retries).
        public var retryPolicy: RetryPolicy
        /// The largest response body accepted. Default 16 MiB.
        public var maximumResponseBytes: Int
        /// Whether error messages include the provider's own error text (scrubbed of the key). Default
        /// `false`, because that text can quote the request. Turn on while debugging.
        public var includesProviderMessagesInErrors: Bool

        /// Creates a configuration; every argument but the model has a documented default.
        public init(
            name: String = "Anthropic",
            apiKey: APIKey? = nil,
            baseURL: String = "https://api.anthropic.com",
            model: String,
            version: String = "2023-06-01",
            structuredOutput: StructuredOutput = .instructions,
            extraHeaders: [String: String] = [:],
            requestTimeout: Duration = .seconds(600),
            connectTimeout: Duration = .seconds(5),
            retryPolicy: RetryPolicy = .default,
            maximumResponseBytes: Int = 16 * 1024 * 1024,
            includesProviderMessagesInErrors: Bool = false
        ) {
            self.name = name
            self.apiKey = apiKey
            self.baseURL = baseURL
            self.model = model
            self.version = version
            self.structuredOutput = structuredOutput
            self.extraHeaders = extraHeaders
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.retryPolicy = retryPolicy
            self.maximumResponseBytes = maximumResponseBytes
            self.includesProviderMessagesInErrors = includesProviderMessagesInErrors
        }
    }

    /// How this provider was configured.
    public let configuration: Configuration
    let executor: HTTPProviderExecutor

    public var name: String { configuration.name }

    /// Creates a provider that sends through `httpClient`, or through the library's shared client
    /// (``AsyncHTTPClientTransport/shared(connectTimeout:)``) when it is `nil`.
    public init(configuration: Configuration, httpClient: HTTPClient? = nil) {
        let transport =
            httpClient.map { AsyncHTTPClientTransport(client: $0) }
            ?? AsyncHTTPClientTransport.shared(connectTimeout: configuration.connectTimeout)
        self.init(configuration: configuration, transport: transport)
    }

    /// Creates a provider that sends through `transport`, for example a scripted transport in tests.
    public init(configuration: Configuration, transport: any HTTPTransport) {
        self.init(configuration: configuration, transport: transport, environment: .live)
    }

    init(configuration: Configuration, transport: any HTTPTransport, environment: RetryEnvironment) {
        self.configuration = configuration
        self.executor = HTTPProviderExecutor(
            providerName: configuration.name,
            transport: transport,
            retryPolicy: configuration.retryPolicy,
            requestTimeout: configuration.requestTimeout,
            redaction: ErrorRedaction(
                includesProviderMessages: configuration.includesProviderMessagesInErrors,
                secrets: configuration.apiKey.map { [$0.value] } ?? []
            ),
            environment: environment
        )
    }

    public func complete(_ request: CompletionRequest, logger: Logger) async throws -> Completion {
        let httpRequest = try makeHTTPRequest(for: request)
        let name = configuration.name
        return try await executor.execute(httpRequest, deadline: request.deadline, logger: logger) {
            (response) throws(AIProviderError) -> Completion in
            try Self.decodeCompletion(response, providerName: name)
        }
    }

    /// The HTTP request this provider sends for `request`: URL, headers and JSON body.
    public func makeHTTPRequest(for request: CompletionRequest) throws(AIProviderError) -> HTTPTransportRequest {
        let body = try encodeBody(for: request)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "anthropic-version", value: configuration.version)
        if let key = configuration.apiKey, !key.isEmpty {
            headers.add(name: "x-api-key", value: key.value)
        }
        for (name, value) in configuration.extraHeaders.sorted(by: { $0.key < $1.key }) {
            headers.replaceOrAdd(name: name, value: value)
        }
        let base =
            configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        return HTTPTransportRequest(
            method: .POST,
            url: base + "/v1/messages",
            headers: headers,
            body: body,
            maximumResponseBytes: configuration.maximumResponseBytes
        )
    }
}
