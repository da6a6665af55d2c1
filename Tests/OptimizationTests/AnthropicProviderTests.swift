import Foundation
import NIOHTTP1
@testable import Optimization
import XCTest

/// Unit tests with a scripted transport: the Messages API request and Anthropic's error types.
final class AnthropicProviderTests: XCTestCase {
    private let key: APIKey = "sk-ant-test-0123456789"

    private func makeProvider(
        _ configuration: AnthropicProvider.Configuration,
        _ transport: ScriptedTransport,
        _ sleeps: SleepRecorder = SleepRecorder()
    ) -> AnthropicProvider {
        AnthropicProvider(configuration: configuration, transport: transport, environment: sleeps.environment())
    }

    // MARK: - The request on the wire

    func testComplete_postsToMessagesWithApiKeyVersionTopLevelSystemAndMaxTokens() async throws {
        let transport = ScriptedTransport([.respond(.anthropicAnswer("Hello!"))])
        let provider = makeProvider(.init(apiKey: key, model: "claude-sonnet-4-5"), transport)

        _ = try await provider.complete(
            CompletionRequest(
                system: "Be terse.",
                messages: [.user("Say hello."), .assistant("Hello"), .user("Again.")],
                maxOutputTokens: 64,
                temperature: 0.3
            )
        )

        let sent = try XCTUnwrap(transport.sent.first)
        XCTAssertEqual(sent.request.url, "https://api.anthropic.com/v1/messages")
        XCTAssertEqual(sent.request.method, .POST)
        XCTAssertEqual(sent.request.headers.first(name: "x-api-key"), key.value)
        XCTAssertEqual(sent.request.headers.first(name: "anthropic-version"), "2023-06-01")
        XCTAssertNil(sent.request.headers.first(name: "authorization"))
        let body = sent.bodyJSON
        XCTAssertEqual(body["model"] as? String, "claude-sonnet-4-5")
        XCTAssertEqual(body["system"] as? String, "Be terse.")
        XCTAssertEqual(body["max_tokens"] as? Int, 64)
        XCTAssertEqual(body["temperature"] as? Double, 0.3)
        XCTAssertEqual(
            body["messages"] as? [[String: String]],
            [
                ["role": "user", "content": "Say hello."], ["role": "assistant", "content": "Hello"],
                ["role": "user", "content": "Again."],
            ]
        )
    }

    func testComplete_withoutSystemOrTemperature_omitsThemButStillSendsMaxTokens() async throws {
        let transport = ScriptedTransport([.respond(.anthropicAnswer("ok"))])

        _ = try await makeProvider(.init(apiKey: key, model: "claude-haiku-4-5"), transport)
            .complete(CompletionRequest(messages: [.user("hi")]))

        let body = try XCTUnwrap(transport.sent.first?.bodyJSON)
        XCTAssertNil(body["system"])
        XCTAssertNil(body["temperature"])
        XCTAssertEqual(body["max_tokens"] as? Int, 4096)
    }

    func testComplete_withABetaHeaderAndCustomBaseURL_sendsThem() async throws {
        let transport = ScriptedTransport([.respond(.anthropicAnswer("ok"))])
        let configuration = AnthropicProvider.Configuration(
            apiKey: key,
            baseURL: "https://gateway.example.com/anthropic/",
            model: "claude-sonnet-4-5",
            extraHeaders: ["anthropic-beta": "structured-outputs-2025-11-13"]
        )

        _ = try await makeProvider(configuration, transport).complete(CompletionRequest(messages: [.user("hi")]))

        let sent = try XCTUnwrap(transport.sent.first)
        XCTAssertEqual(sent.request.url, "https://gateway.example.com/anthropic/v1/messages")
        XCTAssertEqual(sent.request.headers.first(name: "anthropic-beta"), "structured-outputs-2025-11-13")
    }

    func testComplete_withJSONSchemaAsInstructions_appendsTheSchemaToTheSystemPrompt() async throws {
        let transport = ScriptedTransport([.respond(.anthropicAnswer(#"{"score":3}"#))])
        let schema = #"{"type":"object","properties":{"score":{"type":"integer"}},"required":["score"]}"#

        _ = try await makeProvider(.init(apiKey: key, model: "claude-sonnet-4-5"), transport).complete(
            CompletionRequest(
                system: "You grade resumes.",
                messages: [.user("Grade it.")],
                responseFormat: .jsonSchema(name: "grade", schemaJSON: schema)
            )
        )

        let body = try XCTUnwrap(transport.sent.first?.bodyJSON)
        let system = try XCTUnwrap(body["system"] as? String)
        XCTAssertTrue(system.hasPrefix("You grade resumes."))
        XCTAssertTrue(system.contains(#""required":["score"]"#), system)
        XCTAssertTrue(system.contains("\"grade\""))
        XCTAssertNil(body["output_config"])
    }

    func testComplete_withJSONSchemaAsOutputConfig_sendsStructuredOutputFormat() async throws {
        let transport = ScriptedTransport([.respond(.anthropicAnswer(#"{"score":3}"#))])
        let schema =
            #"{"type":"object","properties":{"score":{"type":"integer"}},"required":["score"],"additionalProperties":false}"#
        var configuration = AnthropicProvider.Configuration(apiKey: key, model: "claude-sonnet-4-5")
        configuration.structuredOutput = .outputConfig

        _ = try await makeProvider(configuration, transport).complete(
            CompletionRequest(
                messages: [.user("Grade it.")],
                responseFormat: .jsonSchema(name: "grade", schemaJSON: schema)
            )
        )

        let body = try XCTUnwrap(transport.sent.first?.bodyJSON)
        let format = try XCTUnwrap((body["output_config"] as? [String: Any])?["format"] as? [String: Any])
        XCTAssertEqual(format["type"] as? String, "json_schema")
        XCTAssertEqual((format["schema"] as? [String: Any])?["required"] as? [String], ["score"])
        XCTAssertNil(body["system"])
    }

    // MARK: - The answer

    func testComplete_joinsTextBlocksAndReadsStopReasonUsageAndRequestID() async throws {
        let transport = ScriptedTransport([
            .respond(
                .json(
                    200,
                    #"{"id":"msg_9","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"thinking","thinking":"…","signature":"s"},{"type":"text","text":"Hello, "},{"type":"text","text":"world"}],"stop_reason":"max_tokens","stop_sequence":null,"usage":{"input_tokens":31,"output_tokens":2}}"#,
                    headers: [("request-id", "req_011")]
                )
            )
        ])

        let completion = try await makeProvider(.init(apiKey: key, model: "claude-sonnet-4-5"), transport)
            .complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertEqual(completion.text, "Hello, world")
        XCTAssertEqual(completion.finishReason, .length)
        XCTAssertEqual(completion.usage, TokenUsage(inputTokens: 31, outputTokens: 2))
        XCTAssertEqual(completion.requestID, "req_011")
        XCTAssertEqual(completion.model, "claude-sonnet-4-5-20250929")
    }

    func testComplete_whenTheModelRefusesWithNoText_throwsContentFiltered() async {
        let transport = ScriptedTransport([.respond(.anthropicAnswer("", stopReason: "refusal"))])

        await XCTAssertThrowsAIProviderError(.contentFiltered) {
            try await makeProvider(.init(apiKey: key, model: "m"), transport).complete(
                CompletionRequest(messages: [.user("hi")])
            )
        }
    }

    func testComplete_whenA200BodyIsNotAMessage_throwsInvalidResponse() async {
        for body in [
            "not json", #"{"type":"message"}"#, #"{"type":"error","error":{"type":"api_error","message":"x"}}"#,
        ] {
            let transport = ScriptedTransport([.respond(.json(200, body))])

            await XCTAssertThrowsAIProviderError(.invalidResponse) {
                try await makeProvider(.init(apiKey: key, model: "m"), transport).complete(
                    CompletionRequest(messages: [.user("hi")])
                )
            }
            XCTAssertEqual(transport.attempts, 1)
        }
    }

    // MARK: - Errors and retries

    func testComplete_whenOverloadedWith529_retriesThenSucceeds() async throws {
        let transport = ScriptedTransport([
            .respond(.anthropicError(529, type: "overloaded_error", message: "Overloaded")),
            .respond(.anthropicAnswer("ok")),
        ])
        let sleeps = SleepRecorder()

        let completion = try await makeProvider(.init(apiKey: key, model: "m"), transport, sleeps)
            .complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertEqual(completion.text, "ok")
        XCTAssertEqual(transport.attempts, 2)
        XCTAssertEqual(sleeps.delays, [.milliseconds(500)])
    }

    func testComplete_whenOverloadPersists_throwsOverloadedAfterThreeAttempts() async {
        let transport = ScriptedTransport(
            Array(repeating: .respond(.anthropicError(529, type: "overloaded_error")), count: 3)
        )

        await XCTAssertThrowsAIProviderError(.overloaded) {
            try await makeProvider(.init(apiKey: key, model: "m"), transport).complete(
                CompletionRequest(messages: [.user("hi")])
            )
        } onError: { error in
            XCTAssertEqual(error.httpStatus, 529)
            XCTAssertEqual(error.providerErrorType, "overloaded_error")
            XCTAssertEqual(error.requestID, "req_err")
            XCTAssertTrue(error.isRetryable)
        }
        XCTAssertEqual(transport.attempts, 3)
    }

    func testComplete_mapsEachAnthropicErrorTypeToItsKind() async {
        let cases: [(Int, String, String, AIProviderError.Kind, Int)] = [
            (400, "invalid_request_error", "messages: field required", .badRequest, 1),
            (400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum", .contextTooLong, 1),
            (401, "authentication_error", "invalid x-api-key", .authentication, 1),
            (402, "billing_error", "credit balance too low", .quotaExceeded, 1),
            (403, "permission_error", "no access", .permissionDenied, 1),
            (404, "not_found_error", "model: claude-9", .notFound, 1),
            (413, "request_too_large", "too large", .badRequest, 1),
            (429, "rate_limit_error", "slow down", .rateLimited, 3),
            (500, "api_error", "internal", .serverError, 3),
            (504, "timeout_error", "gateway timeout", .timeout, 3),
        ]
        for (status, type, message, kind, attempts) in cases {
            let transport = ScriptedTransport(
                Array(repeating: .respond(.anthropicError(status, type: type, message: message)), count: 3)
            )
            await XCTAssertThrowsAIProviderError(kind) {
                try await makeProvider(.init(apiKey: key, model: "m"), transport).complete(
                    CompletionRequest(messages: [.user("hi")])
                )
            } onError: { error in
                XCTAssertEqual(error.httpStatus, status)
                XCTAssertEqual(error.providerErrorType, type)
                XCTAssertEqual(error.providerName, "Anthropic")
            }
            XCTAssertEqual(transport.attempts, attempts, "\(status) \(type)")
        }
    }

    func testComplete_whenRateLimitedWithRetryAfter_waitsTheRequestedSeconds() async throws {
        let transport = ScriptedTransport([
            .respond(.anthropicError(429, type: "rate_limit_error", headers: [("retry-after", "4")])),
            .respond(.anthropicAnswer("ok")),
        ])
        let sleeps = SleepRecorder()

        _ = try await makeProvider(.init(apiKey: key, model: "m"), transport, sleeps).complete(
            CompletionRequest(messages: [.user("hi")])
        )

        XCTAssertEqual(sleeps.delays, [.seconds(4)])
    }

    func testErrors_neverContainTheKeyOrThePrompt() async {
        let prompt = "PRIVATE cover letter for Acme"
        let transport = ScriptedTransport([
            .respond(
                .anthropicError(
                    401,
                    type: "authentication_error",
                    message: "invalid x-api-key \(key.value) for \(prompt)"
                )
            )
        ])
        let (logger, logs) = CapturingLogHandler.logger()

        await XCTAssertThrowsAIProviderError(.authentication) {
            try await makeProvider(.init(apiKey: key, model: "m"), transport)
                .complete(CompletionRequest(system: prompt, messages: [.user(prompt)]), logger: logger)
        } onError: { error in
            XCTAssertFalse(error.description.contains(key.value))
            XCTAssertFalse(error.description.contains("PRIVATE"))
        }
        XCTAssertFalse(logs.text.contains(key.value))
        XCTAssertFalse(logs.text.contains("PRIVATE"))
    }
}
