public import AsyncHTTPClient
import Foundation
public import Logging
import NIOHTTP1

/// An ``AIProvider`` for the OpenAI Chat Completions API and every server that speaks it.
///
/// It sends `POST {baseURL}/chat/completions` with `Authorization: Bearer <key>`. One base URL switch
/// reaches many services; each has a preset on ``Configuration``:
///
/// | Service | Base URL | Key |
/// |---|---|---|
/// | OpenAI | `https://api.openai.com/v1` | `OPENAI_API_KEY`; optional organization and project |
/// | Ollama | `http://localhost:11434/v1` | ignored; the preset sends `ollama` |
/// | vLLM (`vllm serve`) | `http://localhost:8000/v1` | the server's `--api-key`, if set |
/// | LM Studio | `http://localhost:1234/v1` | ignored; the preset sends `lm-studio` |
/// | OpenRouter | `https://openrouter.ai/api/v1` | an OpenRouter key; models named like `openai/gpt-4o-mini` |
/// | Azure OpenAI | `https://<resource>.openai.azure.com` | `api-key` header; deployment in the path, `api-version` query |
///
/// ```swift
/// let provider = OpenAICompatibleProvider(
///     configuration: .openAI(apiKey: APIKey(environment: "OPENAI_API_KEY") ?? "", model: "gpt-4o-mini")
/// )
/// let completion = try await provider.complete(
///     CompletionRequest(system: "You are terse.", messages: [.user("Say hello.")], maxOutputTokens: 50)
/// )
/// ```
///
/// Failures are retried as the official SDKs do (see ``RetryPolicy``) and thrown as ``AIProviderError``.
public struct OpenAICompatibleProvider: AIProvider {
    /// How to reach and call one OpenAI-compatible service.
    public struct Configuration: Sendable, Hashable {
        /// Which URL layout and authentication header the service expects.
        public enum API: Sendable, Hashable {
            /// `{baseURL}/chat/completions` with `Authorization: Bearer`: OpenAI and the compatible servers.
            case openAI
            /// `{baseURL}/openai/deployments/{deployment}/chat/completions?api-version=…` with an `api-key`
            /// header: Azure OpenAI. `baseURL` is the resource endpoint.
            case azure(deployment: String, apiVersion: String)
        }

        /// Which body field carries ``CompletionRequest/maxOutputTokens``.
        public enum TokenLimitField: String, Sendable, Hashable {
            /// `max_completion_tokens`: OpenAI's current field, required by reasoning models.
            case maxCompletionTokens = "max_completion_tokens"
            /// `max_tokens`: the older field that Ollama, vLLM, LM Studio and most compatible servers read.
            case maxTokens = "max_tokens"
        }

        /// A short name for messages and logs, such as `OpenAI` or `Ollama`. Default `OpenAI`.
        public var name: String
        /// The key sent as the bearer token (or as `api-key` for Azure); `nil` sends no credentials.
        public var apiKey: APIKey?
        /// The URL the API paths are appended to. Default `https://api.openai.com/v1`.
        public var baseURL: String
        /// The model used when a request names none.
        public var model: String
        /// The URL layout and authentication. Default ``API/openAI``.
        public var api: API
        /// The body field for the output limit. Default ``TokenLimitField/maxCompletionTokens``.
        public var tokenLimitField: TokenLimitField
        /// Sent as `OpenAI-Organization` when set.
        public var organization: String?
        /// Sent as `OpenAI-Project` when set.
        public var project: String?
        /// More headers to send, such as OpenRouter's `HTTP-Referer` and `X-Title`.
        public var extraHeaders: [String: String]
        /// Whether JSON-schema answers ask for strict schema adherence. Default `true`.
        public var strictJSONSchema: Bool
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
            name: String = "OpenAI",
            apiKey: APIKey? = nil,
            baseURL: String = "https://api.openai.com/v1",
            model: String,
            api: API = .openAI,
            tokenLimitField: TokenLimitField = .maxCompletionTokens,
            organization: String? = nil,
            project: String? = nil,
            extraHeaders: [String: String] = [:],
            strictJSONSchema: Bool = true,
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
            self.api = api
            self.tokenLimitField = tokenLimitField
            self.organization = organization
            self.project = project
            self.extraHeaders = extraHeaders
            self.strictJSONSchema = strictJSONSchema
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.retryPolicy = retryPolicy
            self.maximumResponseBytes = maximumResponseBytes
            self.includesProviderMessagesInErrors = includesProviderMessagesInErrors
        }

        /// OpenAI itself.
        public static func openAI(
            apiKey: APIKey,
            model: String = "gpt-4o-mini",
            organization: String? = nil,
            project: String? = nil
        ) -> Configuration {
            Configuration(apiKey: apiKey, model: model, organization: organization, project: project)
        }

        /// A local Ollama server (`ollama serve`). Ollama ignores the key; like Ollama's own examples, the
        /// preset sends the placeholder `ollama`.
        public static func ollama(
            model: String,
            baseURL: String = "http://localhost:11434/v1",
            apiKey: APIKey = "ollama"
        ) -> Configuration {
            Configuration(name: "Ollama", apiKey: apiKey, baseURL: baseURL, model: model, tokenLimitField: .maxTokens)
        }

        /// A vLLM server (`vllm serve <model>`); pass the key only when the server was started with `--api-key`.
        public static func vLLM(model: String, baseURL: String = "http://localhost:8000/v1", apiKey: APIKey? = nil)
            -> Configuration
        {
            Configuration(name: "vLLM", apiKey: apiKey, baseURL: baseURL, model: model, tokenLimitField: .maxTokens)
        }

        /// LM Studio's local server. It ignores the key; like LM Studio's own examples, the preset sends the
        /// placeholder `lm-studio`.
        public static func lmStudio(
            model: String,
            baseURL: String = "http://localhost:1234/v1",
            apiKey: APIKey = "lm-studio"
        ) -> Configuration {
            Configuration(
                name: "LM Studio",
                apiKey: apiKey,
                baseURL: baseURL,
                model: model,
                tokenLimitField: .maxTokens
            )
        }

        /// OpenRouter. `appURL` and `appTitle` become the optional `HTTP-Referer` and `X-Title` headers.
        public static func openRouter(
            apiKey: APIKey,
            model: String,
            appURL: String? = nil,
            appTitle: String? = nil
        ) -> Configuration {
            var headers: [String: String] = [:]
            if let appURL { headers["HTTP-Referer"] = appURL }
            if let appTitle { headers["X-Title"] = appTitle }
            return Configuration(
                name: "OpenRouter",
                apiKey: apiKey,
                baseURL: "https://openrouter.ai/api/v1",
                model: model,
                tokenLimitField: .maxTokens,
                extraHeaders: headers
            )
        }

        /// Azure OpenAI: `endpoint` is `https://<resource>.openai.azure.com`, `deployment` the deployment
        /// name (also sent as the model).
        public static func azure(
            endpoint: String,
            deployment: String,
            apiVersion: String = "2024-10-21",
            apiKey: APIKey
        ) -> Configuration {
            Configuration(
                name: "Azure OpenAI",
                apiKey: apiKey,
                baseURL: endpoint,
                model: deployment,
                api: .azure(deployment: deployment, apiVersion: apiVersion)
            )
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
        let base =
            configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        let url: String
        switch configuration.api {
        case .openAI:
            url = base + "/chat/completions"
            if let key = configuration.apiKey, !key.isEmpty {
                headers.add(name: "Authorization", value: "Bearer \(key.value)")
            }
        case .azure(let deployment, let apiVersion):
            let path = deployment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? deployment
            let version = apiVersion.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? apiVersion
            url = base + "/openai/deployments/\(path)/chat/completions?api-version=\(version)"
            if let key = configuration.apiKey, !key.isEmpty {
                headers.add(name: "api-key", value: key.value)
            }
        }
        if let organization = configuration.organization {
            headers.add(name: "OpenAI-Organization", value: organization)
        }
        if let project = configuration.project { headers.add(name: "OpenAI-Project", value: project) }
        for (name, value) in configuration.extraHeaders.sorted(by: { $0.key < $1.key }) {
            headers.replaceOrAdd(name: name, value: value)
        }
        return HTTPTransportRequest(
            method: .POST,
            url: url,
            headers: headers,
            body: body,
            maximumResponseBytes: configuration.maximumResponseBytes
        )
    }
}
