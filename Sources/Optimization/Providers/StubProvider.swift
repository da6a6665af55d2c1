import Foundation
public import Logging

/// A deterministic, scriptable ``AIProvider`` for tests and offline runs.
///
/// Script it with a queue of replies, or with a closure that answers each request. It records every
/// request, so a test can assert on what the code under test sent. It can wait before answering
/// (``latency``), and it can fail with any ``AIProviderError`` kind.
///
/// ```swift
/// let stub = StubProvider(replies: [
///     .failure(.rateLimited),
///     .text("{\"summary\": \"Swift engineer\"}"),
/// ])
/// let optimizer = MyFeature(provider: stub)
/// try await optimizer.run()
/// let sent = await stub.requests
/// XCTAssertEqual(sent.first?.messages.first?.content, "…")
/// ```
///
/// Replies are used in order; when the queue is empty the stub throws an ``AIProviderError`` of kind
/// ``AIProviderError/Kind/invalidResponse`` that says so. A closure-driven stub never runs out.
/// The stub does not retry: a scripted failure is thrown as is.
public actor StubProvider: AIProvider {
    /// One scripted answer.
    public enum Reply: Sendable {
        /// Answer with this completion.
        case completion(Completion)
        /// Answer with this text, finish reason ``Completion/FinishReason/stop`` and a usage estimate of
        /// one token per four UTF-8 bytes.
        case text(String)
        /// Fail with this error.
        case error(AIProviderError)

        /// Fail with a representative error of `kind`: the HTTP status and retryability an HTTP provider
        /// would report, and `retryAfter` for rate limits.
        public static func failure(_ kind: AIProviderError.Kind, retryAfter: Duration? = nil) -> Reply {
            .error(StubProvider.error(kind, retryAfter: retryAfter))
        }
    }

    /// The closure form: answer a request or throw.
    public typealias Handler = @Sendable (CompletionRequest) async throws -> Completion

    /// The provider name in errors and logs.
    public nonisolated let name: String
    /// How long each call waits before answering. The wait ends early, with a timeout, at the request's
    /// deadline, and with ``AIProviderError/Kind/cancelled`` when the task is cancelled.
    public private(set) var latency: Duration
    /// Every request received, oldest first.
    public private(set) var requests: [CompletionRequest] = []

    private var replies: [Reply]
    private var nextReply = 0
    private let handler: Handler?

    /// Creates a stub that answers with `replies`, in order.
    ///
    /// - Parameters:
    ///   - name: The provider name in errors and logs. Default `Stub`.
    ///   - replies: The answers, used once each.
    ///   - latency: How long each call waits first. Default zero.
    /// `false`: the stub answers in process, so personal data is not redacted unless a request asks.
    public nonisolated var sendsDataOffDevice: Bool { false }

    public init(name: String = "Stub", replies: [Reply] = [], latency: Duration = .zero) {
        self.name = name
        self.replies = replies
        self.latency = latency
        self.handler = nil
    }

    /// Creates a stub that answers each request with `handler`.
    ///
    /// An ``AIProviderError`` thrown by the handler is passed on; any other error becomes
    /// ``AIProviderError/Kind/invalidResponse``.
    public init(name: String = "Stub", latency: Duration = .zero, handler: @escaping Handler) {
        self.name = name
        self.replies = []
        self.latency = latency
        self.handler = handler
    }

    /// Appends replies to the queue.
    public func enqueue(_ newReplies: Reply...) {
        replies.append(contentsOf: newReplies)
    }

    /// Changes the wait before each answer.
    public func setLatency(_ latency: Duration) {
        self.latency = latency
    }

    /// How many queued replies are still unused.
    public var remainingReplies: Int { replies.count - nextReply }

    /// How many requests the stub has received.
    public var callCount: Int { requests.count }

    public func complete(_ request: CompletionRequest, logger: Logger) async throws -> Completion {
        requests.append(request)
        var logger = logger
        logger[metadataKey: "ai.provider"] = "\(name)"
        logger[metadataKey: "ai.attempt"] = "1"
        logger.debug("Stub provider answering")

        try await wait(for: request)

        if let handler {
            do {
                return try await handler(request)
            } catch let error as AIProviderError {
                throw error
            } catch {
                if Task.isCancelled || error is CancellationError { throw Self.error(.cancelled) }
                throw AIProviderError(
                    kind: .invalidResponse,
                    message: "The stub's handler threw \(type(of: error)).",
                    isRetryable: false,
                    providerName: name
                )
            }
        }

        guard nextReply < replies.count else {
            throw AIProviderError(
                kind: .invalidResponse,
                message:
                    "The stub has no scripted reply left after \(nextReply) replies. Enqueue more replies or use a handler.",
                isRetryable: false,
                providerName: name
            )
        }
        let reply = replies[nextReply]
        nextReply += 1
        switch reply {
        case .completion(let completion):
            return completion
        case .text(let text):
            let input = (request.system ?? "").utf8.count + request.messages.reduce(0) { $0 + $1.content.utf8.count }
            return Completion(
                text: text,
                finishReason: .stop,
                usage: TokenUsage(inputTokens: (input + 3) / 4, outputTokens: (text.utf8.count + 3) / 4),
                requestID: "stub-\(requests.count)",
                model: request.model ?? "stub"
            )
        case .error(var error):
            if error.providerName == nil { error.providerName = name }
            throw error
        }
    }

    private func wait(for request: CompletionRequest) async throws {
        if Task.isCancelled { throw Self.error(.cancelled, providerName: name) }
        guard latency > .zero else { return }
        let clock = ContinuousClock()
        let wakeUp = clock.now.advanced(by: latency)
        let deadline = request.deadline.map { min($0, wakeUp) } ?? wakeUp
        do {
            try await Task.sleep(until: deadline, clock: clock)
        } catch {
            throw Self.error(.cancelled, providerName: name)
        }
        if deadline < wakeUp {
            throw Self.error(.timeout, providerName: name)
        }
    }

    /// A representative error of `kind`, as an HTTP provider would report it.
    static func error(_ kind: AIProviderError.Kind, retryAfter: Duration? = nil, providerName: String? = nil)
        -> AIProviderError
    {
        let (status, retryable, message) = representative[kind] ?? (nil, false, "The stub failed.")
        return AIProviderError(
            kind: kind,
            message: message,
            isRetryable: retryable,
            httpStatus: status,
            retryAfter: retryAfter,
            providerName: providerName
        )
    }

    private static let representative: [AIProviderError.Kind: (Int?, Bool, String)] = [
        .authentication: (401, false, "Scripted failure: the API key was rejected."),
        .permissionDenied: (403, false, "Scripted failure: access denied."),
        .notFound: (404, false, "Scripted failure: model not found."),
        .rateLimited: (429, true, "Scripted failure: rate limited."),
        .quotaExceeded: (429, false, "Scripted failure: quota exceeded."),
        .badRequest: (400, false, "Scripted failure: bad request."),
        .contextTooLong: (400, false, "Scripted failure: context too long."),
        .overloaded: (529, true, "Scripted failure: overloaded."),
        .serverError: (500, true, "Scripted failure: server error."),
        .timeout: (nil, true, "Scripted failure: timed out."),
        .connection: (nil, true, "Scripted failure: connection failed."),
        .invalidResponse: (200, false, "Scripted failure: invalid response."),
        .contentFiltered: (400, false, "Scripted failure: content filtered."),
        .cancelled: (nil, false, "The request was cancelled."),
    ]
}
