public import Logging

/// A source of text completions: a hosted model behind HTTP, a local model, or a test double.
///
/// The resume pipeline and the job system reach AI models only through this protocol.
/// Implementations must be safe to call from many tasks at once and must stop their work
/// promptly when the calling task is cancelled (throwing an ``AIProviderError`` whose kind is
/// ``AIProviderError/Kind/cancelled``).
///
/// The package ships ``OpenAICompatibleProvider``, ``AnthropicProvider`` and ``StubProvider``.
public protocol AIProvider: Sendable {
    /// A short, human-readable name used in status messages, such as `OpenAI` or `Anthropic`.
    var name: String { get }

    /// Whether requests leave this process for a model run by someone else: then the optimizer replaces
    /// the resume's personal data with placeholders by default (see ``PersonalDataRedactor``). The
    /// default is `true`; ``StubProvider`` says `false`.
    var sendsDataOffDevice: Bool { get }

    /// Asks the model for one completion.
    ///
    /// - Parameters:
    ///   - request: What to send: instructions, messages, model and limits.
    ///   - logger: Where to log; prompt text and credentials are never logged.
    /// - Returns: The model's answer with its finish reason and token usage.
    /// - Throws: ``AIProviderError`` for every failure, with a kind a program can switch on.
    func complete(_ request: CompletionRequest, logger: Logger) async throws -> Completion
}

extension AIProvider {
    /// `true`: a provider is taken to send its requests to a remote model unless it says otherwise.
    public var sendsDataOffDevice: Bool { true }

    /// Asks the model for one completion without logging.
    public func complete(_ request: CompletionRequest) async throws -> Completion {
        try await self.complete(
            request,
            logger: Logger(label: "resume-optimizer.ai", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }
}
