/// A step of ``ResumeOptimizer/optimize(_:logger:progress:)``, reported as it starts.
public enum OptimizationStage: Sendable, Hashable, Codable {
    /// The model (or the offline tailor) is rewriting the resume.
    case tailoring(providerName: String)
    /// The fabrication guard is comparing the result with the original.
    case checkingFacts
    /// One more model call is removing unsupported claims.
    case repairing(providerName: String)
    /// The output file is being produced.
    case writingResult

    /// The status message for people, such as `Tailoring with OpenAI` or `Checking facts`.
    public var message: String {
        switch self {
        case .tailoring(let providerName): "Tailoring with \(providerName)"
        case .checkingFacts: "Checking facts"
        case .repairing(let providerName): "Removing unsupported claims with \(providerName)"
        case .writingResult: "Writing result"
        }
    }
}
