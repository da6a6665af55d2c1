import ArgumentParser
import Optimization

/// Which AI provider `optimize --provider` names.
enum OptimizeProviderKind: String, Sendable, CaseIterable, ExpressibleByArgument {
    case openai
    case anthropic
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
    var environment: [String: String]

    /// The provider to use, or `nil` for the offline tailor.
    func makeProvider() throws(OptimizeProviderError) -> (any AIProvider)? {
        guard let kind else { return nil }
        throw OptimizeProviderError(
            message:
                "The \(kind.rawValue) provider is not available in this build; run without --provider to use the offline tailor."
        )
    }
}
