import Foundation
import NIOHTTP1
@testable import Optimization
import XCTest

/// Contract tests: the provider over real HTTP (AsyncHTTPClient) against an in-process server on 127.0.0.1.
final class OpenAICompatibleProviderLoopbackTests: XCTestCase {
    private let answer = LoopbackHTTPServer.Reply(
        status: 200,
        headers: [("Content-Type", "application/json"), ("x-request-id", "req_loop")],
        body:
            #"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"local-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hi from loopback"},"finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}"#
    )

    private func configuration(_ server: LoopbackHTTPServer) -> OpenAICompatibleProvider.Configuration {
        var configuration = OpenAICompatibleProvider.Configuration(
            name: "Loopback",
            apiKey: "sk-loopback-secret",
            baseURL: server.baseURL + "/v1",
            model: "local-model"
        )
        configuration.requestTimeout = .seconds(5)
        return configuration
    }

    func testSuccess_sendsTheRequestOverHTTPAndDecodesTheAnswer() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [answer])
        defer { server.stop() }
        let provider = OpenAICompatibleProvider(configuration: configuration(server))

        let completion = try await provider.complete(
            CompletionRequest(system: "Be kind.", messages: [.user("Hello?")], maxOutputTokens: 20)
        )

        XCTAssertEqual(completion.text, "Hi from loopback")
        XCTAssertEqual(completion.usage, TokenUsage(inputTokens: 9, outputTokens: 4))
        XCTAssertEqual(completion.requestID, "req_loop")
        let received = try XCTUnwrap(server.received.first)
        XCTAssertEqual(received.method, "POST")
        XCTAssertEqual(received.uri, "/v1/chat/completions")
        XCTAssertEqual(received.headers.first(name: "authorization"), "Bearer sk-loopback-secret")
        XCTAssertEqual(received.headers.first(name: "content-type"), "application/json")
        XCTAssertEqual(received.bodyJSON["model"] as? String, "local-model")
        XCTAssertEqual(received.bodyJSON["max_completion_tokens"] as? Int, 20)
    }

    func testRateLimitWithRetryAfter_waitsTheRequestedTimeThenSucceeds() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [
            .init(
                status: 429,
                headers: [("Content-Type", "application/json"), ("retry-after", "1")],
                body:
                    #"{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#
            ),
            answer,
        ])
        defer { server.stop() }
        let sleeps = SleepRecorder()
        let provider = OpenAICompatibleProvider(
            configuration: configuration(server),
            transport: AsyncHTTPClientTransport.shared(),
            environment: sleeps.environment()
        )

        let completion = try await provider.complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertEqual(completion.text, "Hi from loopback")
        XCTAssertEqual(server.received.count, 2)
        XCTAssertEqual(sleeps.delays, [.seconds(1)])
    }

    func testServerErrorsUntilRetriesRunOut_sendsThreeRequestsThenThrowsServerError() async throws {
        let failure = LoopbackHTTPServer.Reply(
            status: 500,
            body: #"{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}"#
        )
        let server = try await LoopbackHTTPServer.start(replies: [failure, failure, failure, answer])
        defer { server.stop() }
        let sleeps = SleepRecorder()
        let provider = OpenAICompatibleProvider(
            configuration: configuration(server),
            transport: AsyncHTTPClientTransport.shared(),
            environment: sleeps.environment()
        )

        await XCTAssertThrowsAIProviderError(.serverError) {
            try await provider.complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertEqual(error.httpStatus, 500)
        }
        XCTAssertEqual(server.received.count, 3)
        XCTAssertEqual(sleeps.delays, [.milliseconds(500), .seconds(1)])
    }

    func testUnauthorized_isNotRetried() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [
            .init(
                status: 401,
                body:
                    #"{"error":{"message":"Incorrect API key provided: sk-loo***cret","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#
            ),
            answer,
        ])
        defer { server.stop() }
        let provider = OpenAICompatibleProvider(configuration: configuration(server))

        await XCTAssertThrowsAIProviderError(.authentication) {
            try await provider.complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertFalse(error.isRetryable)
            XCTAssertEqual(error.providerErrorCode, "invalid_api_key")
            XCTAssertFalse(error.description.contains("sk-loopback-secret"))
        }
        XCTAssertEqual(server.received.count, 1)
    }

    func testSlowServer_pastTheRequestTimeout_throwsTimeout() async throws {
        var slow = answer
        slow.delay = .seconds(3)
        let server = try await LoopbackHTTPServer.start(replies: [slow])
        defer { server.stop() }
        var configuration = configuration(server)
        configuration.requestTimeout = .milliseconds(250)
        configuration.retryPolicy = .none
        let provider = OpenAICompatibleProvider(configuration: configuration)

        let started = ContinuousClock.now
        await XCTAssertThrowsAIProviderError(.timeout) {
            try await provider.complete(CompletionRequest(messages: [.user("hi")]))
        }
        XCTAssertLessThan(started.duration(to: .now), .seconds(2))
    }

    func testMalformed200Body_throwsInvalidResponse() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [
            .init(
                status: 200,
                headers: [("Content-Type", "text/html")],
                body: "<html><body>Captive portal</body></html>"
            )
        ])
        defer { server.stop() }
        let provider = OpenAICompatibleProvider(configuration: configuration(server))

        await XCTAssertThrowsAIProviderError(.invalidResponse) {
            try await provider.complete(CompletionRequest(messages: [.user("hi")]))
        }
        XCTAssertEqual(server.received.count, 1)
    }

    func testCancellingTheTask_cancelsTheInFlightRequestPromptly() async throws {
        var slow = answer
        slow.delay = .seconds(5)
        let server = try await LoopbackHTTPServer.start(replies: [slow])
        defer { server.stop() }
        let provider = OpenAICompatibleProvider(configuration: configuration(server))

        let task = Task { try await provider.complete(CompletionRequest(messages: [.user("hi")])) }
        while server.received.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let cancelledAt = ContinuousClock.now
        task.cancel()

        await XCTAssertThrowsAIProviderError(.cancelled) { try await task.value }
        XCTAssertLessThan(cancelledAt.duration(to: .now), .seconds(2))
    }

    func testNothingListening_throwsConnection() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [])
        let baseURL = server.baseURL
        server.stop()
        try await Task.sleep(for: .milliseconds(50))
        var configuration = OpenAICompatibleProvider.Configuration(baseURL: baseURL + "/v1", model: "m")
        configuration.retryPolicy = .none
        let provider = OpenAICompatibleProvider(configuration: configuration)

        await XCTAssertThrowsAIProviderError(.connection) {
            try await provider.complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertTrue(error.isRetryable)
        }
    }
}
