public import AsyncHTTPClient

/// Which provider to build from plain settings, such as a command line's `--provider openai|anthropic|stub`.
///
/// ```swift
/// let kind = AIProviderKind(rawValue: providerFlag) ?? .openAI
/// let provider = try kind.makeProvider(
///     model: modelFlag,
///     baseURL: baseURLFlag,
///     timeout: .seconds(timeoutFlag),
///     maxRetries: maxRetriesFlag
/// )
/// ```
public enum AIProviderKind: String, Sendable, Hashable, CaseIterable {
    /// ``OpenAICompatibleProvider``; the key comes from `OPENAI_API_KEY`.
    case openAI = "openai"
    /// ``AnthropicProvider``; the key comes from `ANTHROPIC_API_KEY`.
    case anthropic
    /// ``StubProvider`` answering every request with its last user message, for offline runs.
    case stub

    /// The environment variable holding the API key, or `nil` for the stub.
    public var apiKeyEnvironmentVariable: String? {
        switch self {
        case .openAI: "OPENAI_API_KEY"
        case .anthropic: "ANTHROPIC_API_KEY"
        case .stub: nil
        }
    }

    /// The model used when none is given.
    public var defaultModel: String {
        switch self {
        case .openAI: "gpt-4o-mini"
        case .anthropic: "claude-sonnet-4-5"
        case .stub: "stub"
        }
    }

    /// Builds a provider; `nil` arguments keep the provider's documented defaults.
    ///
    /// - Parameters:
    ///   - model: The model; ``defaultModel`` when `nil`.
    ///   - baseURL: Another server speaking the same API, such as Ollama's `http://localhost:11434/v1`.
    ///   - timeout: The longest one attempt may take (default 600 seconds).
    ///   - maxRetries: How many times a failed request is retried (default 2).
    ///   - environment: Where to read the API key; the process environment when `nil`.
    ///   - httpClient: The client to send through; the library's shared client when `nil`.
    /// - Throws: ``AIProviderError`` of kind ``AIProviderError/Kind/authentication`` when the API key is
    ///   missing and the provider's own service is targeted (a custom base URL may need no key).
    public func makeProvider(
        model: String? = nil,
        baseURL: String? = nil,
        timeout: Duration? = nil,
        maxRetries: Int? = nil,
        environment: [String: String]? = nil,
        httpClient: HTTPClient? = nil
    ) throws(AIProviderError) -> any AIProvider {
        let apiKey = apiKeyEnvironmentVariable.flatMap { APIKey(environment: $0, in: environment) }
        switch self {
        case .openAI:
            var configuration = OpenAICompatibleProvider.Configuration(apiKey: apiKey, model: model ?? defaultModel)
            if let baseURL {
                configuration.baseURL = baseURL
                configuration.name = "OpenAI-compatible"
            }
            if let timeout { configuration.requestTimeout = timeout }
            if let maxRetries { configuration.retryPolicy.maxRetries = max(0, maxRetries) }
            if apiKey == nil && baseURL == nil { throw missingKey(provider: configuration.name) }
            return OpenAICompatibleProvider(configuration: configuration, httpClient: httpClient)
        case .anthropic:
            var configuration = AnthropicProvider.Configuration(apiKey: apiKey, model: model ?? defaultModel)
            if let baseURL { configuration.baseURL = baseURL }
            if let timeout { configuration.requestTimeout = timeout }
            if let maxRetries { configuration.retryPolicy.maxRetries = max(0, maxRetries) }
            if apiKey == nil && baseURL == nil { throw missingKey(provider: configuration.name) }
            return AnthropicProvider(configuration: configuration, httpClient: httpClient)
        case .stub:
            let model = model ?? defaultModel
            return StubProvider { request in
                Completion(
                    text: request.messages.last { $0.role == .user }?.content ?? "",
                    finishReason: .stop,
                    model: request.model ?? model
                )
            }
        }
    }

    private func missingKey(provider: String) -> AIProviderError {
        AIProviderError(
            kind: .authentication,
            message:
                "No API key for \(provider). Set \(apiKeyEnvironmentVariable ?? "the API key") in the environment.",
            isRetryable: false,
            providerName: provider
        )
    }
}
