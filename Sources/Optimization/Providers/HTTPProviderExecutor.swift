import Foundation
import Logging

/// The clock-dependent parts of the retry loop, replaceable so tests check waits without waiting.
struct RetryEnvironment: Sendable {
    /// Sleeps before a retry; throws when the task is cancelled.
    var sleep: @Sendable (Duration) async throws -> Void
    /// A number in `0..<1` that shortens the computed backoff.
    var randomFraction: @Sendable () -> Double
    /// The wall-clock time, to read `retry-after` dates.
    var now: @Sendable () -> Date

    static let live = RetryEnvironment(
        sleep: { try await Task.sleep(for: $0) },
        randomFraction: { Double.random(in: 0..<1) },
        now: { Date() }
    )
}

/// Sends one provider request with the SDKs' retry, timeout and error rules.
///
/// Shared by the HTTP providers; each provider supplies how to decode a successful body.
struct HTTPProviderExecutor: Sendable {
    var providerName: String
    var transport: any HTTPTransport
    var retryPolicy: RetryPolicy
    var requestTimeout: Duration
    var redaction: ErrorRedaction
    var environment: RetryEnvironment

    /// Sends `request` until it succeeds, fails for good, runs out of retries or passes `deadline`.
    func execute<Result: Sendable>(
        _ request: HTTPTransportRequest,
        deadline: ContinuousClock.Instant?,
        logger baseLogger: Logger,
        decode: (HTTPTransportResponse) throws(AIProviderError) -> Result
    ) async throws(AIProviderError) -> Result {
        var logger = baseLogger
        logger[metadataKey: "ai.provider"] = "\(providerName)"
        var retryIndex = 0

        while true {
            if Task.isCancelled { throw cancelledError() }
            let now = ContinuousClock.now
            if let deadline, deadline <= now {
                throw timeoutError(
                    isRetryable: false,
                    reason: "The request's deadline passed before an answer arrived."
                )
            }
            var attemptDeadline = now.advanced(by: requestTimeout)
            var limitedByRequestDeadline = false
            if let deadline, deadline < attemptDeadline {
                attemptDeadline = deadline
                limitedByRequestDeadline = true
            }

            logger[metadataKey: "ai.attempt"] = "\(retryIndex + 1)"
            logger.debug("Sending provider request")

            var failure: AIProviderError
            do {
                let response = try await sendBeforeDeadline(request, deadline: attemptDeadline, logger: logger)
                if (200..<300).contains(response.status) {
                    let result = try decode(response)
                    logger.debug("Provider request succeeded", metadata: ["ai.http.status": "\(response.status)"])
                    return result
                }
                failure = AIProviderError.fromHTTPResponse(
                    response,
                    providerName: providerName,
                    redaction: redaction,
                    now: environment.now()
                )
            } catch let error as AIProviderError {
                failure = error
            } catch let error as HTTPTransportError {
                failure = providerError(for: error, limitedByRequestDeadline: limitedByRequestDeadline)
            } catch {
                failure =
                    Task.isCancelled
                    ? cancelledError()
                    : AIProviderError(
                        kind: .connection,
                        message:
                            "The connection to \(providerName) failed. Check the base URL and the network, then retry.",
                        isRetryable: true,
                        providerName: providerName
                    )
            }

            if Task.isCancelled || failure.kind == .cancelled { throw cancelledError() }
            failure.attempts = retryIndex + 1

            var failureMetadata: Logger.Metadata = ["ai.error.kind": "\(failure.kind)"]
            if let status = failure.httpStatus { failureMetadata["ai.http.status"] = "\(status)" }
            if let requestID = failure.requestID { failureMetadata["ai.request_id"] = "\(requestID)" }

            guard failure.isRetryable, retryIndex < retryPolicy.maxRetries else {
                logger.debug("Provider request failed", metadata: failureMetadata)
                throw failure
            }
            let delay = retryPolicy.delay(
                beforeRetry: retryIndex,
                serverRequested: failure.retryAfter,
                randomFraction: environment.randomFraction()
            )
            if let deadline, ContinuousClock.now.advanced(by: delay) >= deadline {
                logger.debug("Provider request failed; no time left to retry", metadata: failureMetadata)
                throw failure
            }
            failureMetadata["ai.retry.delay_ms"] = "\(Self.milliseconds(delay))"
            logger.info("Retrying provider request", metadata: failureMetadata)
            do {
                try await environment.sleep(delay)
            } catch {
                throw cancelledError()
            }
            retryIndex += 1
        }
    }

    private enum AttemptOutcome: Sendable {
        case response(HTTPTransportResponse)
        case timedOut
    }

    /// Runs the transport against a timer, so a server that stalls mid-body still times out.
    private func sendBeforeDeadline(
        _ request: HTTPTransportRequest,
        deadline: ContinuousClock.Instant,
        logger: Logger
    ) async throws -> HTTPTransportResponse {
        let transport = self.transport
        let outcome = try await withThrowingTaskGroup(of: AttemptOutcome.self, returning: AttemptOutcome.self) {
            group in
            group.addTask {
                .response(try await transport.send(request, deadline: deadline, logger: logger))
            }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return .timedOut
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { return AttemptOutcome.timedOut }
            return first
        }
        switch outcome {
        case .response(let response): return response
        case .timedOut: throw HTTPTransportError(code: .timeout, message: "No response before the deadline.")
        }
    }

    private func providerError(for error: HTTPTransportError, limitedByRequestDeadline: Bool) -> AIProviderError {
        switch error.code {
        case .timeout:
            if limitedByRequestDeadline {
                return timeoutError(
                    isRetryable: false,
                    reason: "The request's deadline passed before an answer arrived."
                )
            }
            return timeoutError(
                isRetryable: true,
                reason: "No answer within the request timeout of \(AIProviderError.formatted(requestTimeout))."
            )
        case .cancelled:
            return cancelledError()
        case .invalidURL:
            return AIProviderError(
                kind: .connection,
                message: "The base URL for \(providerName) cannot be requested. Use an absolute http or https URL.",
                isRetryable: false,
                providerName: providerName
            )
        case .responseTooLarge:
            return AIProviderError(
                kind: .invalidResponse,
                message:
                    "\(providerName) sent a response larger than the configured limit. Raise maximumResponseBytes if this is expected.",
                isRetryable: false,
                providerName: providerName
            )
        default:
            return AIProviderError(
                kind: .connection,
                message:
                    "The connection to \(providerName) failed or broke. Check the base URL and the network, then retry.",
                isRetryable: true,
                providerName: providerName
            )
        }
    }

    private func timeoutError(isRetryable: Bool, reason: String) -> AIProviderError {
        AIProviderError(
            kind: .timeout,
            message: "\(reason) Raise the timeout or try again when \(providerName) is less busy.",
            isRetryable: isRetryable,
            providerName: providerName
        )
    }

    private func cancelledError() -> AIProviderError {
        AIProviderError(
            kind: .cancelled,
            message: "The request to \(providerName) was cancelled.",
            isRetryable: false,
            providerName: providerName
        )
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
