import Foundation
import Logging
import NIOHTTP1
@testable import Optimization
import XCTest

/// Unit tests with a scripted transport: what goes on the wire and how every failure is handled.
final class OpenAICompatibleProviderTests: XCTestCase {
    private let key: APIKey = "sk-test-0123456789abcdef"

    /// A provider on a scripted transport whose retry waits are recorded, not slept.
    private func makeProvider(
        _ configuration: OpenAICompatibleProvider.Configuration,
        _ transport: ScriptedTransport,
        _ sleeps: SleepRecorder = SleepRecorder(),
        randomFraction: Double = 0,
        now: Date = Date()
    ) -> OpenAICompatibleProvider {
        OpenAICompatibleProvider(
            configuration: configuration,
            transport: transport,
            environment: sleeps.environment(randomFraction: randomFraction, now: now)
        )
    }

    // MARK: - The request on the wire

    func testComplete_postsToChatCompletionsWithBearerKeyAndJSONBody() async throws {
        let transport = ScriptedTransport([.respond(.openAIAnswer("Hello!"))])
        let provider = makeProvider(.openAI(apiKey: key, model: "gpt-4o-mini"), transport)

        _ = try await provider.complete(
            CompletionRequest(
                system: "Be terse.",
                messages: [.user("Say hello.")],
                maxOutputTokens: 50,
                temperature: 0.2
            )
        )

        let sent = try XCTUnwrap(transport.sent.first)
        XCTAssertEqual(sent.request.method, .POST)
        XCTAssertEqual(sent.request.url, "https://api.openai.com/v1/chat/completions")
        XCTAssertEqual(sent.request.headers.first(name: "authorization"), "Bearer sk-test-0123456789abcdef")
        XCTAssertEqual(sent.request.headers.first(name: "content-type"), "application/json")
        let body = sent.bodyJSON
        XCTAssertEqual(body["model"] as? String, "gpt-4o-mini")
        XCTAssertEqual(body["max_completion_tokens"] as? Int, 50)
        XCTAssertNil(body["max_tokens"])
        XCTAssertEqual(body["temperature"] as? Double, 0.2)
        XCTAssertNil(body["response_format"])
        let messages = try XCTUnwrap(body["messages"] as? [[String: String]])
        XCTAssertEqual(
            messages,
            [["role": "system", "content": "Be terse."], ["role": "user", "content": "Say hello."]]
        )
    }

    func testComplete_withoutAnAPIKey_sendsNoAuthorizationHeader() async throws {
        let transport = ScriptedTransport([.respond(.openAIAnswer("ok"))])
        let configuration = OpenAICompatibleProvider.Configuration(baseURL: "http://localhost:8080/v1", model: "local")

        _ = try await makeProvider(configuration, transport).complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertNil(transport.sent.first?.request.headers.first(name: "authorization"))
    }

    func testComplete_withOrganizationProjectAndExtraHeaders_sendsThem() async throws {
        let transport = ScriptedTransport([.respond(.openAIAnswer("ok"))])
        var configuration = OpenAICompatibleProvider.Configuration.openAI(
            apiKey: key,
            organization: "org-1",
            project: "proj-1"
        )
        configuration.extraHeaders = ["X-Trace": "abc"]

        _ = try await makeProvider(configuration, transport).complete(CompletionRequest(messages: [.user("hi")]))

        let headers = try XCTUnwrap(transport.sent.first?.request.headers)
        XCTAssertEqual(headers.first(name: "OpenAI-Organization"), "org-1")
        XCTAssertEqual(headers.first(name: "OpenAI-Project"), "proj-1")
        XCTAssertEqual(headers.first(name: "X-Trace"), "abc")
    }

    func testComplete_whenRequestNamesAModel_overridesTheConfiguredModel() async throws {
        let transport = ScriptedTransport([.respond(.openAIAnswer("ok"))])

        _ = try await makeProvider(.openAI(apiKey: key, model: "gpt-4o-mini"), transport)
            .complete(CompletionRequest(messages: [.user("hi")], model: "gpt-4.1"))

        XCTAssertEqual(transport.sent.first?.bodyJSON["model"] as? String, "gpt-4.1")
    }

    func testComplete_decodesTextFinishReasonUsageRequestIDAndModel() async throws {
        let transport = ScriptedTransport([.respond(.openAIAnswer("Hello there", requestID: "req_42"))])

        let completion = try await makeProvider(.openAI(apiKey: key), transport)
            .complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertEqual(completion.text, "Hello there")
        XCTAssertEqual(completion.finishReason, .stop)
        XCTAssertEqual(completion.usage, TokenUsage(inputTokens: 12, outputTokens: 5))
        XCTAssertEqual(completion.requestID, "req_42")
        XCTAssertEqual(completion.model, "gpt-4o-mini-2024-07-18")
    }

    func testComplete_whenCutOffByTheLimit_reportsLength() async throws {
        let transport = ScriptedTransport([.respond(.openAIAnswer("Hel", finishReason: "length"))])

        let completion = try await makeProvider(.openAI(apiKey: key), transport)
            .complete(CompletionRequest(messages: [.user("hi")], maxOutputTokens: 1))

        XCTAssertEqual(completion.finishReason, .length)
        XCTAssertEqual(completion.text, "Hel")
    }

    func testComplete_withJSONSchemaFormat_sendsAStrictResponseFormat() async throws {
        let transport = ScriptedTransport([.respond(.openAIAnswer(#"{"score":3}"#))])
        let schema =
            #"{"type":"object","properties":{"score":{"type":"integer","minimum":0}},"required":["score"],"additionalProperties":false}"#

        _ = try await makeProvider(.openAI(apiKey: key), transport).complete(
            CompletionRequest(
                messages: [.user("Rate it.")],
                responseFormat: .jsonSchema(name: "rating", schemaJSON: schema)
            )
        )

        let format = try XCTUnwrap(transport.sent.first?.bodyJSON["response_format"] as? [String: Any])
        XCTAssertEqual(format["type"] as? String, "json_schema")
        let jsonSchema = try XCTUnwrap(format["json_schema"] as? [String: Any])
        XCTAssertEqual(jsonSchema["name"] as? String, "rating")
        XCTAssertEqual(jsonSchema["strict"] as? Bool, true)
        let sentSchema = try XCTUnwrap(jsonSchema["schema"] as? [String: Any])
        XCTAssertEqual(sentSchema["required"] as? [String], ["score"])
        XCTAssertEqual((sentSchema["properties"] as? [String: [String: Any]])?["score"]?["minimum"] as? Int, 0)
    }

    func testComplete_withASchemaThatIsNotJSON_throwsBadRequestWithoutSending() async {
        let transport = ScriptedTransport([])

        await XCTAssertThrowsAIProviderError(.badRequest) {
            try await makeProvider(.openAI(apiKey: key), transport).complete(
                CompletionRequest(
                    messages: [.user("hi")],
                    responseFormat: .jsonSchema(name: "x", schemaJSON: "{not json")
                )
            )
        }
        XCTAssertEqual(transport.attempts, 0)
    }

    func testOllamaPreset_postsToLocalhostWithMaxTokensAndAPlaceholderKey() async throws {
        let transport = ScriptedTransport([.respond(.openAIAnswer("ok"))])

        _ = try await makeProvider(.ollama(model: "llama3.2"), transport)
            .complete(CompletionRequest(messages: [.user("hi")], maxOutputTokens: 300))

        let sent = try XCTUnwrap(transport.sent.first)
        XCTAssertEqual(sent.request.url, "http://localhost:11434/v1/chat/completions")
        XCTAssertEqual(sent.request.headers.first(name: "authorization"), "Bearer ollama")
        XCTAssertEqual(sent.bodyJSON["max_tokens"] as? Int, 300)
        XCTAssertNil(sent.bodyJSON["max_completion_tokens"])
        XCTAssertEqual(makeProvider(.ollama(model: "llama3.2"), transport).name, "Ollama")
    }

    func testCompatiblePresets_pointAtEachServersDefaultURL() {
        XCTAssertEqual(OpenAICompatibleProvider.Configuration.vLLM(model: "m").baseURL, "http://localhost:8000/v1")
        XCTAssertEqual(OpenAICompatibleProvider.Configuration.lmStudio(model: "m").baseURL, "http://localhost:1234/v1")
        XCTAssertEqual(
            OpenAICompatibleProvider.Configuration.openRouter(apiKey: key, model: "openai/gpt-4o-mini").baseURL,
            "https://openrouter.ai/api/v1"
        )
    }

    func testOpenRouterPreset_sendsTheAppAttributionHeaders() async throws {
        let transport = ScriptedTransport([.respond(.openAIAnswer("ok"))])
        let configuration = OpenAICompatibleProvider.Configuration.openRouter(
            apiKey: key,
            model: "anthropic/claude-sonnet-4.5",
            appURL: "https://example.com",
            appTitle: "Resume Optimizer"
        )

        _ = try await makeProvider(configuration, transport).complete(CompletionRequest(messages: [.user("hi")]))

        let sent = try XCTUnwrap(transport.sent.first)
        XCTAssertEqual(sent.request.url, "https://openrouter.ai/api/v1/chat/completions")
        XCTAssertEqual(sent.request.headers.first(name: "HTTP-Referer"), "https://example.com")
        XCTAssertEqual(sent.request.headers.first(name: "X-Title"), "Resume Optimizer")
        XCTAssertEqual(sent.request.headers.first(name: "authorization"), "Bearer \(key.value)")
    }

    func testAzurePreset_postsToTheDeploymentWithApiVersionAndApiKeyHeader() async throws {
        let transport = ScriptedTransport([.respond(.openAIAnswer("ok"))])
        let configuration = OpenAICompatibleProvider.Configuration.azure(
            endpoint: "https://contoso.openai.azure.com/",
            deployment: "gpt4o-resumes",
            apiVersion: "2024-10-21",
            apiKey: key
        )

        _ = try await makeProvider(configuration, transport).complete(CompletionRequest(messages: [.user("hi")]))

        let sent = try XCTUnwrap(transport.sent.first)
        XCTAssertEqual(
            sent.request.url,
            "https://contoso.openai.azure.com/openai/deployments/gpt4o-resumes/chat/completions?api-version=2024-10-21"
        )
        XCTAssertEqual(sent.request.headers.first(name: "api-key"), key.value)
        XCTAssertNil(sent.request.headers.first(name: "authorization"))
        XCTAssertEqual(sent.bodyJSON["model"] as? String, "gpt4o-resumes")
    }

    // MARK: - Retries

    func testComplete_whenRateLimitedWithRetryAfterMs_waitsThatLongThenSucceeds() async throws {
        let transport = ScriptedTransport([
            .respond(
                .openAIError(429, type: "requests", code: "rate_limit_exceeded", headers: [("retry-after-ms", "1250")])
            ),
            .respond(.openAIAnswer("ok")),
        ])
        let sleeps = SleepRecorder()

        let completion = try await makeProvider(.openAI(apiKey: key), transport, sleeps)
            .complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertEqual(completion.text, "ok")
        XCTAssertEqual(transport.attempts, 2)
        XCTAssertEqual(sleeps.delays, [.milliseconds(1250)])
    }

    func testComplete_whenRetryAfterMsAndRetryAfterDisagree_prefersMilliseconds() async throws {
        let transport = ScriptedTransport([
            .respond(.openAIError(429, type: "requests", headers: [("retry-after", "9"), ("retry-after-ms", "300")])),
            .respond(.openAIAnswer("ok")),
        ])
        let sleeps = SleepRecorder()

        _ = try await makeProvider(.openAI(apiKey: key), transport, sleeps).complete(
            CompletionRequest(messages: [.user("hi")])
        )

        XCTAssertEqual(sleeps.delays, [.milliseconds(300)])
    }

    func testComplete_whenRetryAfterIsInSeconds_waitsThatManySeconds() async throws {
        let transport = ScriptedTransport([
            .respond(.openAIError(503, type: "server_error", headers: [("retry-after", "7")])),
            .respond(.openAIAnswer("ok")),
        ])
        let sleeps = SleepRecorder()

        _ = try await makeProvider(.openAI(apiKey: key), transport, sleeps).complete(
            CompletionRequest(messages: [.user("hi")])
        )

        XCTAssertEqual(sleeps.delays, [.seconds(7)])
    }

    func testComplete_whenRetryAfterIsAnHTTPDate_waitsUntilThatTime() async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let transport = ScriptedTransport([
            .respond(.openAIError(429, type: "requests", headers: [("retry-after", HTTPDate.format(now + 12))])),
            .respond(.openAIAnswer("ok")),
        ])
        let sleeps = SleepRecorder()

        _ = try await makeProvider(.openAI(apiKey: key), transport, sleeps, now: now)
            .complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertEqual(sleeps.delays, [.seconds(12)])
    }

    func testComplete_whenServerAsksForMoreThanSixtySeconds_usesTheBackoffInstead() async throws {
        let transport = ScriptedTransport([
            .respond(.openAIError(429, type: "requests", headers: [("retry-after", "120")])),
            .respond(.openAIAnswer("ok")),
        ])
        let sleeps = SleepRecorder()

        _ = try await makeProvider(.openAI(apiKey: key), transport, sleeps).complete(
            CompletionRequest(messages: [.user("hi")])
        )

        XCTAssertEqual(sleeps.delays, [.milliseconds(500)])
    }

    func testComplete_whenServerErrorsPersist_triesThreeTimesWithBackoffThenThrowsServerError() async {
        let transport = ScriptedTransport([
            .respond(.openAIError(500, type: "server_error")),
            .respond(.openAIError(502, type: "server_error")),
            .respond(.openAIError(500, type: "server_error", headers: [("x-request-id", "req_last")])),
        ])
        let sleeps = SleepRecorder()

        await XCTAssertThrowsAIProviderError(.serverError) {
            try await makeProvider(.openAI(apiKey: key), transport, sleeps).complete(
                CompletionRequest(messages: [.user("hi")])
            )
        } onError: { error in
            XCTAssertEqual(error.httpStatus, 500)
            XCTAssertTrue(error.isRetryable)
            XCTAssertEqual(error.requestID, "req_last")
            XCTAssertEqual(error.providerName, "OpenAI")
        }
        XCTAssertEqual(transport.attempts, 3)
        XCTAssertEqual(sleeps.delays, [.milliseconds(500), .seconds(1)])
    }

    func testComplete_withJitter_shortensEachWaitByTheRandomFraction() async {
        let transport = ScriptedTransport([
            .respond(.openAIError(500, type: "server_error")),
            .respond(.openAIError(500, type: "server_error")),
            .respond(.openAIError(500, type: "server_error")),
        ])
        let sleeps = SleepRecorder()

        await XCTAssertThrowsAIProviderError(.serverError) {
            try await makeProvider(.openAI(apiKey: key), transport, sleeps, randomFraction: 1)
                .complete(CompletionRequest(messages: [.user("hi")]))
        }
        XCTAssertEqual(sleeps.delays, [.milliseconds(375), .milliseconds(750)])
    }

    func testComplete_withMoreRetriesConfigured_capsTheWaitAtEightSeconds() async {
        let transport = ScriptedTransport(Array(repeating: .respond(.openAIError(500, type: "server_error")), count: 7))
        var configuration = OpenAICompatibleProvider.Configuration.openAI(apiKey: key)
        configuration.retryPolicy.maxRetries = 6
        let sleeps = SleepRecorder()

        await XCTAssertThrowsAIProviderError(.serverError) {
            try await makeProvider(configuration, transport, sleeps).complete(
                CompletionRequest(messages: [.user("hi")])
            )
        }
        XCTAssertEqual(transport.attempts, 7)
        XCTAssertEqual(
            sleeps.delays,
            [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8)]
        )
    }

    func testComplete_withZeroRetries_failsOnTheFirstError() async {
        let transport = ScriptedTransport([
            .respond(.openAIError(503, type: "server_error")), .respond(.openAIAnswer("ok")),
        ])
        var configuration = OpenAICompatibleProvider.Configuration.openAI(apiKey: key)
        configuration.retryPolicy = .none

        await XCTAssertThrowsAIProviderError(.overloaded) {
            try await makeProvider(configuration, transport).complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertEqual(error.attempts, 1)
        }
        XCTAssertEqual(transport.attempts, 1)
    }

    func testComplete_retriesRequestTimeoutAndConflictStatuses() async throws {
        let transport = ScriptedTransport([
            .respond(.openAIError(408, type: "timeout")),
            .respond(.openAIError(409, type: "conflict")),
            .respond(.openAIAnswer("ok")),
        ])

        let completion = try await makeProvider(.openAI(apiKey: key), transport).complete(
            CompletionRequest(messages: [.user("hi")])
        )

        XCTAssertEqual(completion.text, "ok")
        XCTAssertEqual(transport.attempts, 3)
    }

    func testComplete_neverRetriesClientErrors_andMapsEachToItsKind() async {
        let cases: [(Int, AIProviderError.Kind)] = [
            (400, .badRequest), (401, .authentication), (403, .permissionDenied), (404, .notFound),
            (413, .badRequest), (422, .badRequest),
        ]
        for (status, kind) in cases {
            let transport = ScriptedTransport([
                .respond(.openAIError(status, type: "invalid_request_error", headers: [("x-should-retry", "true")])),
                .respond(.openAIAnswer("ok")),
            ])
            await XCTAssertThrowsAIProviderError(kind) {
                try await makeProvider(.openAI(apiKey: key), transport).complete(
                    CompletionRequest(messages: [.user("hi")])
                )
            } onError: { error in
                XCTAssertFalse(error.isRetryable, "\(status)")
                XCTAssertEqual(error.httpStatus, status)
            }
            XCTAssertEqual(transport.attempts, 1, "HTTP \(status) must not be retried")
        }
    }

    func testComplete_whenQuotaIsExhausted_throwsQuotaExceededWithoutRetrying() async {
        let transport = ScriptedTransport([
            .respond(.openAIError(429, type: "insufficient_quota", code: "insufficient_quota")),
            .respond(.openAIAnswer("ok")),
        ])

        await XCTAssertThrowsAIProviderError(.quotaExceeded) {
            try await makeProvider(.openAI(apiKey: key), transport).complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertFalse(error.isRetryable)
            XCTAssertEqual(error.providerErrorCode, "insufficient_quota")
        }
        XCTAssertEqual(transport.attempts, 1)
    }

    func testComplete_whenRateLimitPersists_throwsRateLimitedWithTheSuggestedWait() async {
        let transport = ScriptedTransport(
            Array(repeating: .respond(.openAIError(429, type: "requests", headers: [("retry-after", "2")])), count: 3)
        )

        await XCTAssertThrowsAIProviderError(.rateLimited) {
            try await makeProvider(.openAI(apiKey: key), transport).complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertEqual(error.retryAfter, .seconds(2))
            XCTAssertTrue(error.isRetryable)
        }
        XCTAssertEqual(transport.attempts, 3)
    }

    func testComplete_whenServerSaysShouldRetryFalse_doesNotRetry() async {
        let transport = ScriptedTransport([
            .respond(.openAIError(500, type: "server_error", headers: [("x-should-retry", "false")])),
            .respond(.openAIAnswer("ok")),
        ])

        await XCTAssertThrowsAIProviderError(.serverError) {
            try await makeProvider(.openAI(apiKey: key), transport).complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertFalse(error.isRetryable)
        }
        XCTAssertEqual(transport.attempts, 1)
    }

    func testComplete_whenServerSaysShouldRetryTrue_retriesAnOtherwiseFinalStatus() async throws {
        let transport = ScriptedTransport([
            .respond(.openAIError(418, type: "teapot", headers: [("x-should-retry", "true")])),
            .respond(.openAIAnswer("ok")),
        ])

        let completion = try await makeProvider(.openAI(apiKey: key), transport).complete(
            CompletionRequest(messages: [.user("hi")])
        )

        XCTAssertEqual(completion.text, "ok")
        XCTAssertEqual(transport.attempts, 2)
    }

    // MARK: - Error kinds

    func testComplete_whenPromptExceedsTheContextWindow_throwsContextTooLong() async {
        let transport = ScriptedTransport([
            .respond(
                .openAIError(
                    400,
                    type: "invalid_request_error",
                    code: "context_length_exceeded",
                    message: "This model's maximum context length is 128000 tokens."
                )
            )
        ])

        await XCTAssertThrowsAIProviderError(.contextTooLong) {
            try await makeProvider(.openAI(apiKey: key), transport).complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertFalse(error.isRetryable)
            XCTAssertEqual(error.providerErrorType, "invalid_request_error")
        }
    }

    func testComplete_whenACompatibleServerReportsContextLengthInText_throwsContextTooLong() async {
        let transport = ScriptedTransport([
            .respond(
                .json(
                    400,
                    #"{"object":"error","message":"This model's maximum context length is 4096 tokens.","type":"BadRequestError","code":400}"#
                )
            )
        ])

        await XCTAssertThrowsAIProviderError(.contextTooLong) {
            try await makeProvider(.vLLM(model: "m"), transport).complete(CompletionRequest(messages: [.user("hi")]))
        }
    }

    func testComplete_whenTheInputIsFiltered_throwsContentFiltered() async {
        let transport = ScriptedTransport([
            .respond(.openAIError(400, type: "invalid_request_error", code: "content_filter"))
        ])

        await XCTAssertThrowsAIProviderError(.contentFiltered) {
            try await makeProvider(.openAI(apiKey: key), transport).complete(CompletionRequest(messages: [.user("hi")]))
        }
    }

    func testComplete_whenTheAnswerIsWithheldByTheContentFilter_throwsContentFiltered() async {
        let transport = ScriptedTransport([
            .respond(
                .json(
                    200,
                    #"{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"content_filter","logprobs":null}]}"#
                )
            )
        ])

        await XCTAssertThrowsAIProviderError(.contentFiltered) {
            try await makeProvider(.openAI(apiKey: key), transport).complete(CompletionRequest(messages: [.user("hi")]))
        }
    }

    func testComplete_whenTheModelRefuses_throwsContentFiltered() async {
        let transport = ScriptedTransport([
            .respond(
                .json(
                    200,
                    #"{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop","logprobs":null}]}"#
                )
            )
        ])

        await XCTAssertThrowsAIProviderError(.contentFiltered) {
            try await makeProvider(.openAI(apiKey: key), transport).complete(CompletionRequest(messages: [.user("hi")]))
        }
    }

    func testComplete_whenA200BodyIsNotACompletion_throwsInvalidResponseWithoutRetrying() async {
        for body in [
            "<html>proxy login</html>", "{}", #"{"choices":[]}"#, #"{"choices":[{"message":{"content":7}}]}"#, "",
        ] {
            let transport = ScriptedTransport([.respond(.json(200, body)), .respond(.openAIAnswer("ok"))])

            await XCTAssertThrowsAIProviderError(.invalidResponse) {
                try await makeProvider(.openAI(apiKey: key), transport).complete(
                    CompletionRequest(messages: [.user("hi")])
                )
            } onError: { error in
                XCTAssertEqual(error.httpStatus, 200)
                XCTAssertFalse(error.isRetryable)
            }
            XCTAssertEqual(transport.attempts, 1, body)
        }
    }

    // MARK: - Timeouts, connection errors, cancellation

    func testComplete_whenTheTransportTimesOut_retriesThenThrowsTimeout() async {
        let timeout = HTTPTransportError(code: .timeout, message: "deadline exceeded")
        let transport = ScriptedTransport([.fail(timeout), .fail(timeout), .fail(timeout)])

        await XCTAssertThrowsAIProviderError(.timeout) {
            try await makeProvider(.openAI(apiKey: key), transport).complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertTrue(error.isRetryable)
            XCTAssertNil(error.httpStatus)
        }
        XCTAssertEqual(transport.attempts, 3)
    }

    func testComplete_whenTheServerHangs_throwsTimeoutAfterTheRequestTimeout() async {
        let transport = ScriptedTransport([.hang])
        var configuration = OpenAICompatibleProvider.Configuration.openAI(apiKey: key)
        configuration.requestTimeout = .milliseconds(50)
        configuration.retryPolicy = .none

        await XCTAssertThrowsAIProviderError(.timeout) {
            try await makeProvider(configuration, transport).complete(CompletionRequest(messages: [.user("hi")]))
        }
        let sent = transport.sent[0]
        // The transport got a deadline 50 ms after the attempt started, so a little less is left when it runs.
        XCTAssertGreaterThan(sent.sentAt.duration(to: sent.deadline), .zero)
        XCTAssertLessThanOrEqual(sent.sentAt.duration(to: sent.deadline), .milliseconds(50))
    }

    func testComplete_withARequestDeadline_usesItForTheAttemptAndDoesNotRetryPastIt() async {
        let transport = ScriptedTransport([.hang, .respond(.openAIAnswer("ok"))])
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(80))

        await XCTAssertThrowsAIProviderError(.timeout) {
            try await makeProvider(.openAI(apiKey: key), transport)
                .complete(CompletionRequest(messages: [.user("hi")], deadline: deadline))
        } onError: { error in
            XCTAssertFalse(error.isRetryable)
        }
        XCTAssertEqual(transport.attempts, 1)
        XCTAssertEqual(transport.sent.first?.deadline, deadline)
    }

    func testComplete_whenTheNextWaitWouldPassTheDeadline_throwsTheLastErrorWithoutWaiting() async {
        let transport = ScriptedTransport([
            .respond(.openAIError(429, type: "requests", headers: [("retry-after", "30")])),
            .respond(.openAIAnswer("ok")),
        ])
        let sleeps = SleepRecorder()

        await XCTAssertThrowsAIProviderError(.rateLimited) {
            try await makeProvider(.openAI(apiKey: key), transport, sleeps)
                .complete(CompletionRequest(messages: [.user("hi")], deadline: .now.advanced(by: .seconds(5))))
        }
        XCTAssertEqual(transport.attempts, 1)
        XCTAssertEqual(sleeps.delays, [])
    }

    func testComplete_whenTheConnectionFails_retriesThenThrowsConnection() async {
        let refused = HTTPTransportError(code: .connection, message: "connection refused")
        let transport = ScriptedTransport([.fail(refused), .fail(refused), .fail(refused)])

        await XCTAssertThrowsAIProviderError(.connection) {
            try await makeProvider(.openAI(apiKey: key), transport).complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertTrue(error.isRetryable)
            // The error says the provider already retried, so a job does not send it three times more.
            XCTAssertEqual(error.attempts, 3)
        }
        XCTAssertEqual(transport.attempts, 3)
    }

    func testComplete_whenTheConnectionFailsOnce_succeedsOnTheRetry() async throws {
        let transport = ScriptedTransport([
            .fail(HTTPTransportError(code: .connection, message: "reset")),
            .respond(.openAIAnswer("ok")),
        ])

        let completion = try await makeProvider(.openAI(apiKey: key), transport).complete(
            CompletionRequest(messages: [.user("hi")])
        )

        XCTAssertEqual(completion.text, "ok")
    }

    func testComplete_whenTheTaskIsCancelled_stopsTheRequestAndThrowsCancelled() async {
        let transport = ScriptedTransport([.hang])
        let provider = makeProvider(.openAI(apiKey: key), transport)

        let task = Task { try await provider.complete(CompletionRequest(messages: [.user("hi")])) }
        while transport.attempts == 0 { await Task.yield() }
        task.cancel()

        await XCTAssertThrowsAIProviderError(.cancelled) { try await task.value }
        XCTAssertEqual(transport.attempts, 1)
    }

    func testComplete_whenCancelledDuringARetryWait_throwsCancelled() async {
        let transport = ScriptedTransport([
            .respond(.openAIError(500, type: "server_error")), .respond(.openAIAnswer("ok")),
        ])
        let provider = OpenAICompatibleProvider(
            configuration: .openAI(apiKey: key),
            transport: transport,
            environment: RetryEnvironment(
                sleep: { _ in try await Task.sleep(for: .seconds(3600)) },
                randomFraction: { 0 },
                now: { Date() }
            )
        )

        let task = Task { try await provider.complete(CompletionRequest(messages: [.user("hi")])) }
        while transport.attempts == 0 { await Task.yield() }
        try? await Task.sleep(for: .milliseconds(20))
        task.cancel()

        await XCTAssertThrowsAIProviderError(.cancelled) { try await task.value }
        XCTAssertEqual(transport.attempts, 1)
    }

    // MARK: - Secrets and prompts stay out of errors and logs

    func testErrorsAndLogs_neverContainTheKeyOrThePrompt() async {
        let prompt = "CONFIDENTIAL resume of Jane Roe, phone 555-0100"
        let transport = ScriptedTransport([
            .respond(.openAIError(500, type: "server_error", message: "failed for \(prompt)")),
            .respond(
                .openAIError(
                    401,
                    type: "invalid_request_error",
                    code: "invalid_api_key",
                    message: "Incorrect API key provided: \(key.value). Prompt was: \(prompt)"
                )
            ),
        ])
        let (logger, logs) = CapturingLogHandler.logger()
        let provider = makeProvider(.openAI(apiKey: key), transport)

        await XCTAssertThrowsAIProviderError(.authentication) {
            try await provider.complete(CompletionRequest(system: prompt, messages: [.user(prompt)]), logger: logger)
        } onError: { error in
            for text in [error.description, error.message, String(reflecting: error), "\(error)"] {
                XCTAssertFalse(text.contains(key.value), text)
                XCTAssertFalse(text.contains("CONFIDENTIAL"), text)
            }
        }
        XCTAssertFalse(logs.lines.isEmpty)
        XCTAssertFalse(logs.text.contains(key.value))
        XCTAssertFalse(logs.text.contains("CONFIDENTIAL"))
        XCTAssertFalse("\(provider.configuration)".contains(key.value))
        XCTAssertFalse(String(reflecting: provider.configuration).contains(key.value))
        XCTAssertFalse(transport.sent[0].request.description.contains(key.value))
        XCTAssertFalse(transport.sent[0].request.description.contains("CONFIDENTIAL"))
    }

    func testErrors_whenProviderMessagesAreOptedIn_includeThemWithTheKeyScrubbed() async {
        let transport = ScriptedTransport([
            .respond(
                .openAIError(
                    404,
                    type: "invalid_request_error",
                    code: "model_not_found",
                    message: "The model `gpt-9` does not exist (key \(key.value))"
                )
            )
        ])
        var configuration = OpenAICompatibleProvider.Configuration.openAI(apiKey: key)
        configuration.includesProviderMessagesInErrors = true

        await XCTAssertThrowsAIProviderError(.notFound) {
            try await makeProvider(configuration, transport).complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertTrue(error.message.contains("The model `gpt-9` does not exist"))
            XCTAssertFalse(error.description.contains(key.value))
            XCTAssertEqual(error.providerErrorCode, "model_not_found")
        }
    }

    func testLogs_carryPrefixedProviderAndAttemptMetadata() async throws {
        let transport = ScriptedTransport([
            .respond(.openAIError(500, type: "server_error")), .respond(.openAIAnswer("ok")),
        ])
        let (logger, logs) = CapturingLogHandler.logger()

        _ = try await makeProvider(.openAI(apiKey: key), transport).complete(
            CompletionRequest(messages: [.user("hi")]),
            logger: logger
        )

        let retryLine = try XCTUnwrap(logs.lines.first { $0.contains("Retrying") })
        XCTAssertTrue(retryLine.contains("ai.provider=OpenAI"), retryLine)
        XCTAssertTrue(retryLine.contains("ai.attempt=1"), retryLine)
        XCTAssertTrue(retryLine.contains("ai.http.status=500"), retryLine)
        XCTAssertTrue(retryLine.contains("ai.retry.delay_ms=500"), retryLine)
        XCTAssertTrue(logs.lines.contains { $0.contains("ai.attempt=2") })
    }
}
