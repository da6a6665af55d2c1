import Optimization
import XCTest

/// Building providers from command-line style settings.
final class AIProviderKindTests: XCTestCase {
    func testMakeProvider_forOpenAI_readsTheKeyAndAppliesTimeoutAndRetries() throws {
        let provider = try AIProviderKind.openAI.makeProvider(
            model: "gpt-4.1-mini",
            timeout: .seconds(30),
            maxRetries: 0,
            environment: ["OPENAI_API_KEY": "sk-from-env"]
        )

        let openAI = try XCTUnwrap(provider as? OpenAICompatibleProvider)
        XCTAssertEqual(openAI.configuration.apiKey?.value, "sk-from-env")
        XCTAssertEqual(openAI.configuration.model, "gpt-4.1-mini")
        XCTAssertEqual(openAI.configuration.requestTimeout, .seconds(30))
        XCTAssertEqual(openAI.configuration.retryPolicy.maxRetries, 0)
        XCTAssertEqual(openAI.configuration.baseURL, "https://api.openai.com/v1")
    }

    func testMakeProvider_forAnthropic_usesTheDefaultsWhenNothingIsGiven() throws {
        let provider = try AIProviderKind.anthropic.makeProvider(environment: ["ANTHROPIC_API_KEY": "sk-ant"])

        let anthropic = try XCTUnwrap(provider as? AnthropicProvider)
        XCTAssertEqual(anthropic.configuration.model, AIProviderKind.anthropic.defaultModel)
        XCTAssertEqual(anthropic.configuration.requestTimeout, .seconds(600))
        XCTAssertEqual(anthropic.configuration.retryPolicy, .default)
    }

    func testMakeProvider_withoutAKeyForTheHostedService_throwsAuthenticationNamingTheVariable() {
        XCTAssertThrowsError(try AIProviderKind.anthropic.makeProvider(environment: [:])) { error in
            let providerError = error as? AIProviderError
            XCTAssertEqual(providerError?.kind, .authentication)
            XCTAssertTrue(providerError?.message.contains("ANTHROPIC_API_KEY") ?? false)
        }
    }

    func testMakeProvider_withACustomBaseURL_needsNoKey() throws {
        let provider = try AIProviderKind.openAI.makeProvider(
            model: "llama3.2",
            baseURL: "http://localhost:11434/v1",
            environment: [:]
        )

        let openAI = try XCTUnwrap(provider as? OpenAICompatibleProvider)
        XCTAssertEqual(openAI.configuration.baseURL, "http://localhost:11434/v1")
        XCTAssertNil(openAI.configuration.apiKey)
    }

    func testMakeProvider_forStub_echoesTheLastUserMessage() async throws {
        let provider = try AIProviderKind.stub.makeProvider()

        let completion = try await provider.complete(
            CompletionRequest(messages: [.user("first"), .assistant("reply"), .user("echo me")])
        )

        XCTAssertEqual(completion.text, "echo me")
        XCTAssertEqual(AIProviderKind(rawValue: "stub"), .stub)
        XCTAssertEqual(AIProviderKind.allCases.map(\.rawValue), ["openai", "anthropic", "stub"])
    }
}
