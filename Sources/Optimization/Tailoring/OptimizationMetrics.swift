import Metrics

/// The names of the metrics a ``ResumeOptimizer`` records through swift-metrics, with the dimension
/// `provider` (the provider's name).
public enum OptimizationMetricsLabel {
    /// Timer: one model call, with the dimension `outcome` (`succeeded`, or the failure's
    /// ``AIProviderError/Kind/identifier``, such as `rateLimited`).
    public static let providerLatency = "resume_optimizer_provider_request_duration_seconds"
    /// Counter: tokens of the model calls, with the dimension `type` (`input` or `output`).
    public static let providerTokens = "resume_optimizer_provider_tokens_total"
}

/// The optimizer's metrics, from its factory.
struct OptimizationMetrics: Sendable {
    let factory: any MetricsFactory

    func providerCall(_ provider: String, outcome: String, after duration: Duration, usage: TokenUsage?) {
        Timer(
            label: OptimizationMetricsLabel.providerLatency,
            dimensions: [("provider", provider), ("outcome", outcome)],
            factory: factory
        ).record(duration: duration)
        guard let usage else { return }
        for (type, tokens) in [("input", usage.inputTokens), ("output", usage.outputTokens)] where tokens > 0 {
            Counter(
                label: OptimizationMetricsLabel.providerTokens,
                dimensions: [("provider", provider), ("type", type)],
                factory: factory
            ).increment(by: tokens)
        }
    }
}
