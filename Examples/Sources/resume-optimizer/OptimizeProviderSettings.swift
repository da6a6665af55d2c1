import ArgumentParser
import Optimization

/// Which AI provider `optimize --provider` names.
enum OptimizeProviderKind: String, Sendable, CaseIterable, ExpressibleByArgument {
    case openai
    case anthropic
    case ollama
    case vllm
    case lmstudio
    case openrouter
    case azure
    case stub
}

/// A provider that could not be set up, such as a missing API key.
struct OptimizeProviderError: Error, Sendable {
    /// What went wrong and what to do.
    var message: String
}

/// The provider options of `optimize`, turned into an ``AIProvider``.
struct OptimizeProviderSettings: Sendable {
    var kind: OptimizeProviderKind?
    var model: String?
    var baseURL: String?
    var timeout: Double?
    var maxRetries: Int?
    /// How long the `stub` provider takes to answer (tests of a long model call).
    var stubLatency: Duration = .zero
    var environment: [String: String]

    /// The provider to use, or `nil` for the offline tailor.
    ///
    /// `openai` and `anthropic` read their keys from `OPENAI_API_KEY` and `ANTHROPIC_API_KEY`, `openrouter`
    /// from `OPENROUTER_API_KEY`, `azure` from `AZURE_OPENAI_API_KEY` (with `--base-url` or
    /// `AZURE_OPENAI_ENDPOINT` as the endpoint); `ollama`, `vllm` and `lmstudio` are local servers. `stub` is a
    /// model-shaped stand-in that answers with the resume unchanged: it runs the whole model path (prompt,
    /// clean-up, fact check, scores) without a network.
    func makeProvider() throws(OptimizeProviderError) -> (any AIProvider)? {
        guard let kind else { return nil }
        switch kind {
        case .stub:
            return StubProvider(name: "Stub", latency: stubLatency) { request in
                let prompt = request.messages.last { $0.role == .user }?.content ?? ""
                return Completion(
                    text: Self.resumeBlock(in: prompt),
                    finishReason: .stop,
                    usage: TokenUsage(inputTokens: prompt.utf8.count / 4, outputTokens: prompt.utf8.count / 8),
                    model: request.model ?? "stub"
                )
            }
        default:
            guard let providerKind = AIProviderKind(rawValue: kind.rawValue) else {
                throw OptimizeProviderError(message: "Unknown provider '\(kind.rawValue)'.")
            }
            do {
                return try providerKind.makeProvider(
                    model: model,
                    baseURL: baseURL,
                    timeout: timeout.map { .milliseconds(Int64($0 * 1000)) },
                    maxRetries: maxRetries,
                    environment: environment
                )
            } catch {
                throw OptimizeProviderError(message: error.message)
            }
        }
    }

    /// The longest the model calls of one job may take, so that the job is never stopped sooner than the
    /// provider options allow: a tailoring request and a repair request, each sent up to `1 + --max-retries`
    /// times (default 2 retries), each send up to `--timeout` (the providers' default: 600 s), and up to
    /// 60 s of waiting before each retry. `nil` when no model is used.
    var longestModelTime: Duration? {
        guard kind != nil else { return nil }
        let sendSeconds = (timeout ?? 600) + 60
        let sends = Double(1 + max(0, maxRetries ?? 2))
        return .milliseconds(Int64(2 * sends * sendSeconds * 1000))
    }

    /// The text between the prompt's resume delimiters (`<<<RESUME_…>>>` … `<<<END_RESUME_…>>>`).
    static func resumeBlock(in prompt: String) -> String {
        let lines = prompt.split(separator: "\n", omittingEmptySubsequences: false)
        guard let open = lines.firstIndex(where: { $0.hasPrefix("<<<RESUME_") || $0.hasPrefix("<<<ORIGINAL_RESUME_") }),
            let close = lines[open...].firstIndex(where: { $0.hasPrefix("<<<END_") })
        else { return "" }
        return lines[(open + 1)..<close].joined(separator: "\n")
    }
}
