/// Why ``ResumeOptimizer/optimize(_:logger:progress:)`` failed.
///
/// Switch on ``code``; show ``message`` to a person. The message never contains resume or job text,
/// so it may be stored, logged and served: for ``Code-swift.struct/unsupportedClaims`` it names the
/// kinds of claims and their counts, and only ``warnings``, for the caller that owns the resume, quote
/// the tailored text.
public struct OptimizationError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a value a program can switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidInput
            case emptyOutput
            case truncatedOutput
            case contentFiltered
            case unsupportedClaims
            case provider
            case cancelled
            case outputDocument
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The resume or the job description is empty or too long.
        public static let invalidInput = Code(.invalidInput)
        /// The model returned nothing usable.
        public static let emptyOutput = Code(.emptyOutput)
        /// The model's answer was cut off by the output limit, even after one retry with more room.
        public static let truncatedOutput = Code(.truncatedOutput)
        /// The provider withheld the answer for its content policy.
        public static let contentFiltered = Code(.contentFiltered)
        /// The fact-check policy rejected claims the resume does not support; see ``OptimizationError/warnings``.
        public static let unsupportedClaims = Code(.unsupportedClaims)
        /// The AI provider failed; see ``OptimizationError/providerError``.
        public static let provider = Code(.provider)
        /// The calling task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The output document could not be written (``OutputFormat/docx``).
        public static let outputDocument = Code(.outputDocument)

        /// A stable identifier, such as `truncatedOutput`, for logs and APIs.
        public var identifier: String { base.rawValue }
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// What happened and what to do, for a person.
    public var message: String
    /// The provider's error, for ``Code-swift.struct/provider``.
    public var providerError: AIProviderError?
    /// The unsupported claims, for ``Code-swift.struct/unsupportedClaims``.
    public var warnings: [FabricationWarning]

    /// Whether running the same optimization again may succeed (a retryable provider failure).
    public var isRetryable: Bool { providerError?.isRetryable ?? false }

    /// Creates an error.
    public init(code: Code, message: String, providerError: AIProviderError? = nil, warnings: [FabricationWarning] = [])
    {
        self.code = code
        self.message = message
        self.providerError = providerError
        self.warnings = warnings
    }

    /// Wraps a provider's error.
    public init(_ providerError: AIProviderError) {
        if providerError.kind == .cancelled {
            self.init(code: .cancelled, message: "The optimization was cancelled.", providerError: providerError)
        } else if providerError.kind == .contentFiltered {
            self.init(
                code: .contentFiltered,
                message:
                    "The AI provider withheld its answer for its content policy. Try another model, or the offline tailor.",
                providerError: providerError
            )
        } else {
            let name = providerError.providerName ?? "The AI provider"
            self.init(
                code: .provider,
                message: "\(name) failed: \(providerError.message)",
                providerError: providerError
            )
        }
    }

    public var description: String { "OptimizationError.\(code): \(message)" }
}
