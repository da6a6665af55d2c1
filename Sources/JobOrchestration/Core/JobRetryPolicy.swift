/// When and how often a job is tried again after a retryable failure.
///
/// Only failures marked ``JobFailure/isRetryable`` (for example rate limits, provider outages,
/// dropped connections) are retried, with exponential backoff and jitter, and never past the job's
/// deadline. Between attempts the job stays `PROCESSING` with a message saying it will retry.
public struct JobRetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included. Default: 3. `1` disables retries.
    public var maximumAttempts: Int
    /// The wait before the second attempt. Default: 1 second.
    public var initialBackoff: Duration
    /// The factor by which each wait grows. Default: 2.
    public var multiplier: Double
    /// The longest wait between attempts (a longer `Retry-After` from the failure wins). Default: 30 seconds.
    public var maximumBackoff: Duration
    /// The random spread of each wait, as a fraction (0.2 means ±20 %). Default: 0.2.
    public var jitter: Double
    /// Whether an attempt that ran out of time is retried. Default: `false` (a job that took the whole
    /// attempt timeout once is likely to do so again).
    public var retriesTimedOutAttempts: Bool

    /// Creates a policy.
    public init(
        maximumAttempts: Int = 3,
        initialBackoff: Duration = .seconds(1),
        multiplier: Double = 2,
        maximumBackoff: Duration = .seconds(30),
        jitter: Double = 0.2,
        retriesTimedOutAttempts: Bool = false
    ) {
        self.maximumAttempts = maximumAttempts
        self.initialBackoff = initialBackoff
        self.multiplier = multiplier
        self.maximumBackoff = maximumBackoff
        self.jitter = jitter
        self.retriesTimedOutAttempts = retriesTimedOutAttempts
    }

    /// No retries: every failure is final.
    public static let none = JobRetryPolicy(maximumAttempts: 1)

    /// The wait after the given (1-based) failed attempt.
    ///
    /// - Parameters:
    ///   - attempt: The attempt that just failed.
    ///   - retryAfter: The wait the failure asked for, if any.
    ///   - random: A number in `0...1` that places the wait within the jitter band (0.5 is the middle).
    public func backoff(afterAttempt attempt: Int, retryAfter: Duration? = nil, random: Double) -> Duration {
        let base = initialBackoff.seconds * pow(multiplier, Double(max(0, attempt - 1)))
        var seconds = min(base, maximumBackoff.seconds)
        seconds *= 1 + jitter * (2 * min(max(random, 0), 1) - 1)
        if let retryAfter { seconds = max(seconds, retryAfter.seconds) }
        return .milliseconds(Int64(max(0, seconds) * 1000))
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

private func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var count = Int(exponent)
    while count > 0 {
        result *= base
        count -= 1
    }
    return result
}
