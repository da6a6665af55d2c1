import Foundation
import Logging
import NIOHTTP1
@testable import Optimization

/// An ``HTTPTransport`` that answers from a script and records what it was asked to send.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    // Mutable state is guarded by `lock`; the transport is shared between the test and the provider's task.

    /// One scripted outcome of a send.
    enum Step: Sendable {
        /// Answer with this response.
        case respond(HTTPTransportResponse)
        /// Fail with this transport error.
        case fail(HTTPTransportError)
        /// Never answer: wait until the deadline or cancellation, like a server that hangs.
        case hang
    }

    struct Sent: Sendable {
        var request: HTTPTransportRequest
        var deadline: ContinuousClock.Instant
        var sentAt: ContinuousClock.Instant

        var bodyJSON: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        }
    }

    private let lock = NSLock()
    private var steps: [Step]
    private var _sent: [Sent] = []

    init(_ steps: [Step]) {
        self.steps = steps
    }

    var sent: [Sent] { lock.withLock { _sent } }
    var attempts: Int { sent.count }

    func send(
        _ request: HTTPTransportRequest,
        deadline: ContinuousClock.Instant,
        logger: Logger
    ) async throws -> HTTPTransportResponse {
        let step: Step = lock.withLock {
            _sent.append(Sent(request: request, deadline: deadline, sentAt: .now))
            return steps.isEmpty ? .respond(.init(status: 599, text: "script exhausted")) : steps.removeFirst()
        }
        switch step {
        case .respond(let response):
            return response
        case .fail(let error):
            throw error
        case .hang:
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                throw HTTPTransportError(code: .cancelled, message: "cancelled")
            }
            throw HTTPTransportError(code: .timeout, message: "hung")
        }
    }
}

/// Records the waits a provider asks for instead of sleeping.
final class SleepRecorder: @unchecked Sendable {
    // `lock` guards `_delays`.
    private let lock = NSLock()
    private var _delays: [Duration] = []

    var delays: [Duration] { lock.withLock { _delays } }

    /// An environment that records sleeps, returns at once and uses a fixed jitter fraction.
    func environment(randomFraction: Double = 0, now: Date = Date()) -> RetryEnvironment {
        RetryEnvironment(
            sleep: { [self] delay in
                lock.withLock { _delays.append(delay) }
                try Task.checkCancellation()
            },
            randomFraction: { randomFraction },
            now: { now }
        )
    }
}

extension HTTPTransportResponse {
    /// A JSON response.
    static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> HTTPTransportResponse {
        var all = HTTPHeaders([("Content-Type", "application/json")])
        all.add(contentsOf: headers)
        return HTTPTransportResponse(status: status, headers: all, text: body)
    }

    /// A successful Chat Completions answer.
    static func openAIAnswer(_ text: String, finishReason: String = "stop", requestID: String = "req_123")
        -> HTTPTransportResponse
    {
        .json(
            200,
            """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":\(jsonString(text))},
                         "finish_reason":"\(finishReason)","logprobs":null}],
             "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}
            """,
            headers: [("x-request-id", requestID)]
        )
    }

    /// A successful Messages answer.
    static func anthropicAnswer(_ text: String, stopReason: String = "end_turn", requestID: String = "req_abc")
        -> HTTPTransportResponse
    {
        .json(
            200,
            """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":\(jsonString(text))}],
             "stop_reason":"\(stopReason)","stop_sequence":null,
             "usage":{"input_tokens":20,"output_tokens":7}}
            """,
            headers: [("request-id", requestID)]
        )
    }

    /// An OpenAI-style error body.
    static func openAIError(
        _ status: Int,
        type: String,
        code: String? = nil,
        message: String = "error",
        headers: [(String, String)] = []
    ) -> HTTPTransportResponse {
        let codeJSON = code.map(jsonString) ?? "null"
        return .json(
            status,
            #"{"error":{"message":\#(jsonString(message)),"type":"\#(type)","param":null,"code":\#(codeJSON)}}"#,
            headers: headers
        )
    }

    /// An Anthropic-style error body.
    static func anthropicError(
        _ status: Int,
        type: String,
        message: String = "error",
        headers: [(String, String)] = []
    ) -> HTTPTransportResponse {
        .json(
            status,
            #"{"type":"error","error":{"type":"\#(type)","message":\#(jsonString(message))},"request_id":"req_err"}"#,
            headers: headers
        )
    }
}

func jsonString(_ text: String) -> String {
    String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
}
