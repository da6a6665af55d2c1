/// The one error every ``AIProvider`` throws.
///
/// Switch on ``kind`` to react in code; show ``message`` to a person. The error never carries
/// the API key, authorization headers or prompt text.
public struct AIProviderError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a value a program can switch on.
    public struct Kind: Hashable, Sendable, CaseIterable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case authentication
            case permissionDenied
            case notFound
            case rateLimited
            case quotaExceeded
            case badRequest
            case contextTooLong
            case overloaded
            case serverError
            case timeout
            case connection
            case invalidResponse
            case contentFiltered
            case cancelled
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The API key is missing, wrong or revoked (HTTP 401).
        public static let authentication = Kind(.authentication)
        /// The key may not use this model or resource (HTTP 403).
        public static let permissionDenied = Kind(.permissionDenied)
        /// The model or endpoint does not exist (HTTP 404).
        public static let notFound = Kind(.notFound)
        /// Too many requests; ``AIProviderError/retryAfter`` holds the suggested wait when the server gave one.
        public static let rateLimited = Kind(.rateLimited)
        /// The account has no credit left; retrying does not help.
        public static let quotaExceeded = Kind(.quotaExceeded)
        /// The provider refused the request as malformed (HTTP 400, 413, 422).
        public static let badRequest = Kind(.badRequest)
        /// The prompt and output limit exceed the model's context window.
        public static let contextTooLong = Kind(.contextTooLong)
        /// The provider is temporarily overloaded (for example Anthropic's 529).
        public static let overloaded = Kind(.overloaded)
        /// The provider failed (HTTP 5xx); ``AIProviderError/httpStatus`` says which.
        public static let serverError = Kind(.serverError)
        /// The connect timeout, the request timeout or the request's deadline passed.
        public static let timeout = Kind(.timeout)
        /// The connection could not be made or broke.
        public static let connection = Kind(.connection)
        /// The provider answered with something that is not the expected shape.
        public static let invalidResponse = Kind(.invalidResponse)
        /// The provider withheld the answer for its content policy.
        public static let contentFiltered = Kind(.contentFiltered)
        /// The calling task was cancelled.
        public static let cancelled = Kind(.cancelled)

        /// Every kind, for exhaustive tests and documentation.
        public static let allCases: [Kind] = [
            .authentication, .permissionDenied, .notFound, .rateLimited, .quotaExceeded, .badRequest,
            .contextTooLong, .overloaded, .serverError, .timeout, .connection, .invalidResponse,
            .contentFiltered, .cancelled,
        ]

        /// A stable identifier, such as `rateLimited`, for logs and APIs.
        public var identifier: String { base.rawValue }
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var kind: Kind
    /// What happened and what to do, for a person. Never contains credentials or prompt text.
    public var message: String
    /// Whether trying the same request again may succeed.
    public var isRetryable: Bool
    /// The HTTP status, when the provider answered.
    public var httpStatus: Int?
    /// The provider's error type, such as `rate_limit_error`.
    public var providerErrorType: String?
    /// The provider's error code, such as `insufficient_quota`.
    public var providerErrorCode: String?
    /// The provider's request id, for support tickets.
    public var requestID: String?
    /// How long the server asked the caller to wait before trying again.
    public var retryAfter: Duration?
    /// The name of the provider that failed.
    public var providerName: String?
    /// How many times the provider sent the request, its own retries included (see ``RetryPolicy``);
    /// `1` when it did not retry. A caller that retries on its own should not retry a request that the
    /// provider already retried, or one failure multiplies the requests sent.
    public var attempts: Int

    /// Creates an error.
    public init(
        kind: Kind,
        message: String,
        isRetryable: Bool,
        httpStatus: Int? = nil,
        providerErrorType: String? = nil,
        providerErrorCode: String? = nil,
        requestID: String? = nil,
        retryAfter: Duration? = nil,
        providerName: String? = nil,
        attempts: Int = 1
    ) {
        self.kind = kind
        self.message = message
        self.isRetryable = isRetryable
        self.httpStatus = httpStatus
        self.providerErrorType = providerErrorType
        self.providerErrorCode = providerErrorCode
        self.requestID = requestID
        self.retryAfter = retryAfter
        self.providerName = providerName
        self.attempts = attempts
    }

    public var description: String {
        var parts = ["AIProviderError.\(kind)"]
        if let providerName { parts.append("provider: \(providerName)") }
        if let httpStatus { parts.append("status: \(httpStatus)") }
        if let providerErrorCode { parts.append("code: \(providerErrorCode)") }
        if let requestID { parts.append("request id: \(requestID)") }
        return parts.joined(separator: ", ") + ": " + message
    }
}
