import Foundation
import NIOHTTP1
@testable import Optimization
import XCTest

/// Contract tests: the Messages API over real HTTP (AsyncHTTPClient) against an in-process server on 127.0.0.1.
final class AnthropicProviderLoopbackTests: XCTestCase {
    private let answer = LoopbackHTTPServer.Reply(
        status: 200,
        headers: [("Content-Type", "application/json"), ("request-id", "req_loop")],
        body:
            #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hi from loopback"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":11,"output_tokens":4}}"#
    )

    private func error(_ status: Int, _ type: String, headers: [(String, String)] = []) -> LoopbackHTTPServer.Reply {
        .init(
            status: status,
            headers: [("Content-Type", "application/json")] + headers,
            body: #"{"type":"error","error":{"type":"\#(type)","message":"scripted"},"request_id":"req_e"}"#
        )
    }

    private func configuration(_ server: LoopbackHTTPServer) -> AnthropicProvider.Configuration {
        AnthropicProvider.Configuration(
            apiKey: "sk-ant-loopback-secret",
            baseURL: server.baseURL,
            model: "claude-sonnet-4-5",
            requestTimeout: .seconds(5)
        )
    }

    private func providerWithRecordedWaits(_ server: LoopbackHTTPServer, _ sleeps: SleepRecorder) -> AnthropicProvider {
        AnthropicProvider(
            configuration: configuration(server),
            transport: AsyncHTTPClientTransport.shared(),
            environment: sleeps.environment()
        )
    }

    func testSuccess_sendsTheMessagesRequestOverHTTPAndDecodesTheAnswer() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [answer])
        defer { server.stop() }
        let provider = AnthropicProvider(configuration: configuration(server))

        let completion = try await provider.complete(
            CompletionRequest(system: "Be kind.", messages: [.user("Hello?")], maxOutputTokens: 20)
        )

        XCTAssertEqual(completion.text, "Hi from loopback")
        XCTAssertEqual(completion.finishReason, .stop)
        XCTAssertEqual(completion.requestID, "req_loop")
        let received = try XCTUnwrap(server.received.first)
        XCTAssertEqual(received.uri, "/v1/messages")
        XCTAssertEqual(received.headers.first(name: "x-api-key"), "sk-ant-loopback-secret")
        XCTAssertEqual(received.headers.first(name: "anthropic-version"), "2023-06-01")
        XCTAssertEqual(received.bodyJSON["system"] as? String, "Be kind.")
        XCTAssertEqual(received.bodyJSON["max_tokens"] as? Int, 20)
    }

    func testOverloaded529ThenSuccess_retriesOnceAndAnswers() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [error(529, "overloaded_error"), answer])
        defer { server.stop() }
        let sleeps = SleepRecorder()

        let completion = try await providerWithRecordedWaits(server, sleeps).complete(
            CompletionRequest(messages: [.user("hi")])
        )

        XCTAssertEqual(completion.text, "Hi from loopback")
        XCTAssertEqual(server.received.count, 2)
        XCTAssertEqual(sleeps.delays, [.milliseconds(500)])
    }

    func testRateLimitWithRetryAfter_waitsTheRequestedTimeThenSucceeds() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [
            error(429, "rate_limit_error", headers: [("retry-after", "2")]), answer,
        ])
        defer { server.stop() }
        let sleeps = SleepRecorder()

        let completion = try await providerWithRecordedWaits(server, sleeps).complete(
            CompletionRequest(messages: [.user("hi")])
        )

        XCTAssertEqual(completion.text, "Hi from loopback")
        XCTAssertEqual(sleeps.delays, [.seconds(2)])
    }

    func testServerErrorsUntilRetriesRunOut_sendsThreeRequestsThenThrowsServerError() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [
            error(500, "api_error"), error(500, "api_error"), error(500, "api_error"), answer,
        ])
        defer { server.stop() }
        let sleeps = SleepRecorder()

        await XCTAssertThrowsAIProviderError(.serverError) {
            try await providerWithRecordedWaits(server, sleeps).complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertEqual(error.requestID, "req_e")
        }
        XCTAssertEqual(server.received.count, 3)
    }

    func testUnauthorized_isNotRetried() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [error(401, "authentication_error"), answer])
        defer { server.stop() }
        let provider = AnthropicProvider(configuration: configuration(server))

        await XCTAssertThrowsAIProviderError(.authentication) {
            try await provider.complete(CompletionRequest(messages: [.user("hi")]))
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
        let provider = AnthropicProvider(configuration: configuration)

        await XCTAssertThrowsAIProviderError(.timeout) {
            try await provider.complete(CompletionRequest(messages: [.user("hi")]))
        }
    }

    func testSlowServer_pastTheRequestsDeadline_throwsTimeout() async throws {
        var slow = answer
        slow.delay = .seconds(3)
        let server = try await LoopbackHTTPServer.start(replies: [slow, slow, slow])
        defer { server.stop() }
        let provider = AnthropicProvider(configuration: configuration(server))

        await XCTAssertThrowsAIProviderError(.timeout) {
            try await provider.complete(
                CompletionRequest(messages: [.user("hi")], deadline: .now.advanced(by: .milliseconds(250)))
            )
        } onError: { error in
            XCTAssertFalse(error.isRetryable)
        }
        XCTAssertLessThanOrEqual(server.received.count, 1, "no retry after the deadline")
    }

    func testMalformed200Body_throwsInvalidResponse() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [
            .init(status: 200, body: #"{"content":"not blocks"}"#)
        ])
        defer { server.stop() }
        let provider = AnthropicProvider(configuration: configuration(server))

        await XCTAssertThrowsAIProviderError(.invalidResponse) {
            try await provider.complete(CompletionRequest(messages: [.user("hi")]))
        }
    }
}
