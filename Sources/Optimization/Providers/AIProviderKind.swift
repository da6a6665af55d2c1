public import AsyncHTTPClient
import Foundation

/// Which provider to build from plain settings, such as a command line's
/// `--provider openai|anthropic|ollama|vllm|lmstudio|openrouter|azure|stub`.
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
///
/// The local presets (`ollama`, `vllm`, `lmstudio`) and OpenRouter send the output limit as `max_tokens`,
/// the field those servers read. So does `openai` with a base URL on any host other than
/// `api.openai.com`: compatible servers (llama.cpp, LocalAI, text-generation-webui, …) ignore OpenAI's
/// newer `max_completion_tokens`, and a model that never sees its limit writes to the end of its context.
public enum AIProviderKind: String, Sendable, Hashable, CaseIterable {
    /// ``OpenAICompatibleProvider``; the key comes from `OPENAI_API_KEY`.
    case openAI = "openai"
    /// ``AnthropicProvider``; the key comes from `ANTHROPIC_API_KEY`.
    case anthropic
    /// A local Ollama server (``OpenAICompatibleProvider/Configuration/ollama(model:baseURL:apiKey:)``).
    case ollama
    /// A vLLM server (``OpenAICompatibleProvider/Configuration/vLLM(model:baseURL:apiKey:)``); the key,
    /// when the server wants one, comes from `VLLM_API_KEY`.
    case vLLM = "vllm"
    /// LM Studio's local server (``OpenAICompatibleProvider/Configuration/lmStudio(model:baseURL:apiKey:)``).
    case lmStudio = "lmstudio"
    /// OpenRouter (``OpenAICompatibleProvider/Configuration/openRouter(apiKey:model:appURL:appTitle:)``); the
    /// key comes from `OPENROUTER_API_KEY`.
    case openRouter = "openrouter"
    /// Azure OpenAI (``OpenAICompatibleProvider/Configuration/azure(endpoint:deployment:apiVersion:apiKey:)``):
    /// the base URL is the resource endpoint (or `AZURE_OPENAI_ENDPOINT`), the model the deployment, and the
    /// key comes from `AZURE_OPENAI_API_KEY`.
    case azure
    /// ``StubProvider`` answering every request with its last user message, for offline runs.
    case stub

    /// The environment variable holding the API key, or `nil` when the provider needs none.
    public var apiKeyEnvironmentVariable: String? {
        switch self {
        case .openAI: "OPENAI_API_KEY"
        case .anthropic: "ANTHROPIC_API_KEY"
        case .vLLM: "VLLM_API_KEY"
        case .openRouter: "OPENROUTER_API_KEY"
        case .azure: "AZURE_OPENAI_API_KEY"
        case .ollama, .lmStudio, .stub: nil
        }
    }

    /// The model used when none is given.
    public var defaultModel: String {
        switch self {
        case .openAI: "gpt-4o-mini"
        case .anthropic: "claude-sonnet-4-5"
        case .ollama: "llama3.1"
        case .vLLM: "Qwen/Qwen2.5-7B-Instruct"
        case .lmStudio: "qwen2.5-7b-instruct"
        case .openRouter: "openai/gpt-4o-mini"
        case .azure: "gpt-4o-mini"
        case .stub: "stub"
        }
    }

    /// Whether the provider sends the resume to a model outside this process (every kind but the stub),
    /// so that personal data is redacted by default.
    public var isRemote: Bool { self != .stub }

    /// Builds a provider; `nil` arguments keep the provider's documented defaults.
    ///
    /// - Parameters:
    ///   - model: The model (for Azure, the deployment); ``defaultModel`` when `nil`.
    ///   - baseURL: Another server speaking the same API, such as `http://127.0.0.1:8080/v1`; for Azure,
    ///     the resource endpoint.
    ///   - timeout: The longest one attempt may take (default 600 seconds).
    ///   - maxRetries: How many times a failed request is retried (default 2).
    ///   - environment: Where to read the API key; the process environment when `nil`.
    ///   - httpClient: The client to send through; the library's shared client when `nil`.
    /// - Throws: ``AIProviderError`` of kind ``AIProviderError/Kind/authentication`` when the API key is
    ///   missing and the provider's own service is targeted (a custom base URL may need no key), and of
    ///   kind ``AIProviderError/Kind/badRequest`` when Azure has no endpoint.
    public func makeProvider(
        model: String? = nil,
        baseURL: String? = nil,
        timeout: Duration? = nil,
        maxRetries: Int? = nil,
        environment: [String: String]? = nil,
        httpClient: HTTPClient? = nil
    ) throws(AIProviderError) -> any AIProvider {
        let apiKey = apiKeyEnvironmentVariable.flatMap { APIKey(environment: $0, in: environment) }
        let model = model ?? defaultModel
        var openAIConfiguration: OpenAICompatibleProvider.Configuration
        switch self {
        case .openAI:
            openAIConfiguration = OpenAICompatibleProvider.Configuration(apiKey: apiKey, model: model)
            if let baseURL {
                openAIConfiguration.baseURL = baseURL
                if !Self.isOpenAIHost(baseURL) {
                    openAIConfiguration.name = "OpenAI-compatible"
                    openAIConfiguration.tokenLimitField = .maxTokens
                }
            }
            if apiKey == nil && baseURL == nil { throw missingKey(provider: openAIConfiguration.name) }
        case .ollama:
            openAIConfiguration = .ollama(model: model)
            if let baseURL { openAIConfiguration.baseURL = baseURL }
        case .vLLM:
            openAIConfiguration = .vLLM(model: model, apiKey: apiKey)
            if let baseURL { openAIConfiguration.baseURL = baseURL }
        case .lmStudio:
            openAIConfiguration = .lmStudio(model: model)
            if let baseURL { openAIConfiguration.baseURL = baseURL }
        case .openRouter:
            openAIConfiguration = .openRouter(apiKey: apiKey ?? "", model: model)
            if let baseURL { openAIConfiguration.baseURL = baseURL }
            if apiKey == nil && baseURL == nil { throw missingKey(provider: openAIConfiguration.name) }
        case .azure:
            let environmentEndpoint = (environment ?? ProcessInfo.processInfo.environment)["AZURE_OPENAI_ENDPOINT"]
            guard let endpoint = baseURL ?? environmentEndpoint, !endpoint.isEmpty else {
                throw AIProviderError(
                    kind: .badRequest,
                    message:
                        "Azure OpenAI needs its resource endpoint: pass the base URL (https://<resource>.openai.azure.com) or set AZURE_OPENAI_ENDPOINT.",
                    isRetryable: false,
                    providerName: "Azure OpenAI"
                )
            }
            openAIConfiguration = .azure(endpoint: endpoint, deployment: model, apiKey: apiKey ?? "")
            if apiKey == nil { throw missingKey(provider: openAIConfiguration.name) }
        case .anthropic:
            var configuration = AnthropicProvider.Configuration(apiKey: apiKey, model: model)
            if let baseURL { configuration.baseURL = baseURL }
            if let timeout { configuration.requestTimeout = timeout }
            if let maxRetries { configuration.retryPolicy.maxRetries = max(0, maxRetries) }
            if apiKey == nil && baseURL == nil { throw missingKey(provider: configuration.name) }
            return AnthropicProvider(configuration: configuration, httpClient: httpClient)
        case .stub:
            return StubProvider { request in
                Completion(
                    text: request.messages.last { $0.role == .user }?.content ?? "",
                    finishReason: .stop,
                    model: request.model ?? model
                )
            }
        }
        if let timeout { openAIConfiguration.requestTimeout = timeout }
        if let maxRetries { openAIConfiguration.retryPolicy.maxRetries = max(0, maxRetries) }
        return OpenAICompatibleProvider(configuration: openAIConfiguration, httpClient: httpClient)
    }

    /// Whether `baseURL` is on OpenAI's own API host, which reads `max_completion_tokens`.
    static func isOpenAIHost(_ baseURL: String) -> Bool {
        guard let host = URLComponents(string: baseURL)?.host?.lowercased() else { return false }
        return host == "api.openai.com"
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
