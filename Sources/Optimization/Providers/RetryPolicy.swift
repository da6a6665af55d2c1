/// When and how long an HTTP provider waits before trying a failed request again.
///
/// The defaults match the official OpenAI and Anthropic SDKs: two retries; before retry `k`
/// (counting from 0) wait `min(0.5 s · 2^k, 8 s)`, shortened by a random 0–25 %; a wait the server
/// asks for with `retry-after-ms` or `retry-after` is used instead when it is at most 60 seconds.
///
/// Which failures are retried is fixed, not configured: HTTP 408, 409, 429 and every 5xx (including
/// Anthropic's 529), timeouts and connection errors. A response header `x-should-retry: true|false`
/// overrides that choice, except that HTTP 400, 401, 403, 404, 413 and 422 and a 429 whose error code is
/// `insufficient_quota` are never retried.
///
/// ```swift
/// var configuration = OpenAICompatibleProvider.Configuration.openAI(apiKey: key)
/// configuration.retryPolicy.maxRetries = 5   // or .none to fail on the first error
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// How many times a failed request is sent again. Default 2; 0 disables retries.
    public var maxRetries: Int
    /// The wait before the first retry, before jitter. Default 0.5 seconds.
    public var initialDelay: Duration
    /// The longest computed wait, before jitter. Default 8 seconds.
    public var maxDelay: Duration
    /// The largest fraction by which a computed wait is randomly shortened. Default 0.25.
    public var jitter: Double
    /// The longest server-requested wait that is honoured; longer requests fall back to the computed
    /// wait. Default 60 seconds.
    public var maximumServerRequestedDelay: Duration

    /// Creates a policy; every argument defaults to the SDKs' value.
    public init(
        maxRetries: Int = 2,
        initialDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(8),
        jitter: Double = 0.25,
        maximumServerRequestedDelay: Duration = .seconds(60)
    ) {
        self.maxRetries = max(0, maxRetries)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
        self.maximumServerRequestedDelay = maximumServerRequestedDelay
    }

    /// The official SDKs' policy: two retries with exponential backoff.
    public static let `default` = RetryPolicy()

    /// No retries: the first failure is thrown.
    public static let none = RetryPolicy(maxRetries: 0)

    /// The computed wait before retry `retryIndex` (0 for the first retry).
    ///
    /// - Parameters:
    ///   - retryIndex: How many retries have already happened.
    ///   - randomFraction: A number in `0..<1`; the wait is shortened by `randomFraction · jitter`.
    public func backoffDelay(beforeRetry retryIndex: Int, randomFraction: Double) -> Duration {
        let exponent = min(max(retryIndex, 0), 30)
        let grown = initialDelay * (1 << exponent)
        let capped = min(grown, maxDelay)
        let fraction = min(max(randomFraction, 0), 1)
        return capped * (1 - fraction * jitter)
    }

    /// The wait before retry `retryIndex`: the server's request when it is present and not longer than
    /// ``maximumServerRequestedDelay``, the computed backoff otherwise.
    public func delay(beforeRetry retryIndex: Int, serverRequested: Duration?, randomFraction: Double) -> Duration {
        if let serverRequested, serverRequested >= .zero, serverRequested <= maximumServerRequestedDelay {
            return serverRequested
        }
        return backoffDelay(beforeRetry: retryIndex, randomFraction: randomFraction)
    }
}

extension RetryPolicy {
    /// HTTP statuses that are never retried, whatever the response headers say.
    static let neverRetriedStatuses: Set<Int> = [400, 401, 403, 404, 413, 422]

    /// Whether an HTTP error response may be retried, following the SDKs' rules.
    static func shouldRetry(status: Int, shouldRetryHeader: String?, errorCode: String?) -> Bool {
        if neverRetriedStatuses.contains(status) { return false }
        if status == 429, errorCode == "insufficient_quota" { return false }
        switch shouldRetryHeader?.lowercased() {
        case "true": return true
        case "false": return false
        default: break
        }
        return status == 408 || status == 409 || status == 429 || status >= 500
    }
}
