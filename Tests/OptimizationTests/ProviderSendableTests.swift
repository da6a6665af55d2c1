import Optimization
import XCTest

/// Compile-time checks that the provider types can cross concurrency domains.
final class ProviderSendableTests: XCTestCase {
    func testProviderTypes_areSendable() {
        func assertSendable<T: Sendable>(_: T.Type) {}

        assertSendable(OpenAICompatibleProvider.self)
        assertSendable(OpenAICompatibleProvider.Configuration.self)
        assertSendable(AnthropicProvider.self)
        assertSendable(AnthropicProvider.Configuration.self)
        assertSendable(StubProvider.self)
        assertSendable(StubProvider.Reply.self)
        assertSendable(RetryPolicy.self)
        assertSendable(APIKey.self)
        assertSendable(AIProviderError.self)
        assertSendable(CompletionRequest.self)
        assertSendable(Completion.self)
        assertSendable(HTTPTransportRequest.self)
        assertSendable(HTTPTransportResponse.self)
        assertSendable(HTTPTransportError.self)
        assertSendable(AsyncHTTPClientTransport.self)
    }
}
