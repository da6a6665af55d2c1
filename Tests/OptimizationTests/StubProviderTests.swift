import Optimization
import XCTest

/// How to use ``StubProvider`` in your own tests.
final class StubProviderTests: XCTestCase {
    func testComplete_answersFromTheQueueInOrderAndRecordsEachRequest() async throws {
        let stub = StubProvider(replies: [.text("first"), .text("second")])

        let first = try await stub.complete(CompletionRequest(system: "Be brief.", messages: [.user("one")]))
        let second = try await stub.complete(CompletionRequest(messages: [.user("two")], model: "small"))

        XCTAssertEqual(first.text, "first")
        XCTAssertEqual(first.finishReason, .stop)
        XCTAssertEqual(second.text, "second")
        XCTAssertEqual(second.model, "small")
        let requests = await stub.requests
        XCTAssertEqual(requests.map { $0.messages.first?.content }, ["one", "two"])
        XCTAssertEqual(requests.first?.system, "Be brief.")
        let remaining = await stub.remainingReplies
        XCTAssertEqual(remaining, 0)
    }

    func testComplete_textReplies_estimateUsageAtFourBytesPerToken() async throws {
        let stub = StubProvider(replies: [.text("12345678")])

        let completion = try await stub.complete(CompletionRequest(system: "abcd", messages: [.user("efghi")]))

        XCTAssertEqual(completion.usage, TokenUsage(inputTokens: 3, outputTokens: 2))
    }

    func testComplete_returnsAScriptedCompletionUnchanged() async throws {
        let scripted = Completion(
            text: "cut",
            finishReason: .length,
            usage: TokenUsage(inputTokens: 10, outputTokens: 1),
            requestID: "req_1",
            model: "gpt-test"
        )
        let stub = StubProvider(replies: [.completion(scripted)])

        let completion = try await stub.complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertEqual(completion, scripted)
    }

    func testComplete_canFailWithEveryErrorKind() async {
        for kind in AIProviderError.Kind.allCases {
            let stub = StubProvider(name: "Scripted", replies: [.failure(kind)])

            await XCTAssertThrowsAIProviderError(kind) {
                try await stub.complete(CompletionRequest(messages: [.user("hi")]))
            } onError: { error in
                XCTAssertEqual(error.providerName, "Scripted")
                XCTAssertFalse(error.message.isEmpty)
            }
        }
    }

    func testFailure_carriesTheRetryabilityAndStatusAnHTTPProviderWouldReport() async {
        let stub = StubProvider(replies: [.failure(.rateLimited, retryAfter: .seconds(3)), .failure(.authentication)])

        await XCTAssertThrowsAIProviderError(.rateLimited) {
            try await stub.complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertTrue(error.isRetryable)
            XCTAssertEqual(error.httpStatus, 429)
            XCTAssertEqual(error.retryAfter, .seconds(3))
        }
        await XCTAssertThrowsAIProviderError(.authentication) {
            try await stub.complete(CompletionRequest(messages: [.user("hi")]))
        } onError: { error in
            XCTAssertFalse(error.isRetryable)
            XCTAssertEqual(error.httpStatus, 401)
        }
    }

    func testComplete_whenTheQueueIsEmpty_throwsInvalidResponseThatSaysSo() async {
        let stub = StubProvider(replies: [.text("only one")])
        _ = try? await stub.complete(CompletionRequest(messages: [.user("hi")]))

        await XCTAssertThrowsAIProviderError(.invalidResponse) {
            try await stub.complete(CompletionRequest(messages: [.user("again")]))
        } onError: { error in
            XCTAssertTrue(error.message.contains("no scripted reply left"))
        }
    }

    func testEnqueue_addsRepliesAfterCreation() async throws {
        let stub = StubProvider()
        await stub.enqueue(.text("late"), .failure(.overloaded))

        let completion = try await stub.complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertEqual(completion.text, "late")
        let remaining = await stub.remainingReplies
        XCTAssertEqual(remaining, 1)
    }

    func testComplete_withAHandler_answersEachRequestFromIt() async throws {
        let stub = StubProvider { request in
            Completion(text: request.messages.last?.content.uppercased() ?? "", finishReason: .stop, model: "echo")
        }

        let completion = try await stub.complete(CompletionRequest(messages: [.user("shout this")]))

        XCTAssertEqual(completion.text, "SHOUT THIS")
        let count = await stub.callCount
        XCTAssertEqual(count, 1)
    }

    func testComplete_whenTheHandlerThrowsAnotherError_throwsInvalidResponse() async {
        struct Oops: Error {}
        let stub = StubProvider { _ in throw Oops() }

        await XCTAssertThrowsAIProviderError(.invalidResponse) {
            try await stub.complete(CompletionRequest(messages: [.user("hi")]))
        }
    }

    func testComplete_withLatencyPastTheDeadline_throwsTimeout() async {
        let stub = StubProvider(replies: [.text("too late")], latency: .seconds(30))

        await XCTAssertThrowsAIProviderError(.timeout) {
            try await stub.complete(
                CompletionRequest(messages: [.user("hi")], deadline: .now.advanced(by: .milliseconds(20)))
            )
        }
    }

    func testComplete_withLatency_isCancelledPromptly() async {
        let stub = StubProvider(replies: [.text("never")], latency: .seconds(30))

        let task = Task { try await stub.complete(CompletionRequest(messages: [.user("hi")])) }
        while await stub.callCount == 0 { await Task.yield() }
        task.cancel()

        await XCTAssertThrowsAIProviderError(.cancelled) { try await task.value }
    }

    func testComplete_withShortLatency_stillAnswers() async throws {
        let stub = StubProvider(replies: [.text("after a pause")], latency: .milliseconds(5))

        let completion = try await stub.complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertEqual(completion.text, "after a pause")
    }

    func testStub_isUsableWhereverAnAIProviderIsExpected() async throws {
        let provider: any AIProvider = StubProvider(name: "Offline", replies: [.text("ok")])

        let completion = try await provider.complete(CompletionRequest(messages: [.user("hi")]))

        XCTAssertEqual(provider.name, "Offline")
        XCTAssertEqual(completion.text, "ok")
    }
}
