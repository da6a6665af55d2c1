/// A model's answer to a ``CompletionRequest``.
public struct Completion: Sendable, Hashable {
    /// Why the model stopped.
    public enum FinishReason: String, Sendable, Hashable {
        /// The model finished its answer.
        case stop
        /// The answer was cut off by the output-token limit.
        case length
        /// The provider withheld or cut the answer for its content policy.
        case contentFilter
        /// Anything else the provider reported.
        case other
    }

    /// The text of the answer.
    public var text: String
    /// Why the model stopped.
    public var finishReason: FinishReason
    /// Tokens consumed.
    public var usage: TokenUsage
    /// The provider's id for the request, for support tickets.
    public var requestID: String?
    /// The model that answered, as the provider names it.
    public var model: String

    /// Creates a completion.
    public init(
        text: String,
        finishReason: FinishReason,
        usage: TokenUsage = .init(),
        requestID: String? = nil,
        model: String
    ) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.requestID = requestID
        self.model = model
    }
}

/// Tokens consumed by one or more completions.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Tokens sent to the model.
    public var inputTokens: Int
    /// Tokens the model produced.
    public var outputTokens: Int
    /// Input plus output.
    public var totalTokens: Int { inputTokens + outputTokens }

    /// Creates a usage record.
    public init(inputTokens: Int = 0, outputTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    /// Adds two usage records, for a result made of several calls.
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(inputTokens: lhs.inputTokens + rhs.inputTokens, outputTokens: lhs.outputTokens + rhs.outputTokens)
    }
}
