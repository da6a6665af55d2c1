import Foundation
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
        XCTAssertEqual(
            AIProviderKind.allCases.map(\.rawValue),
            ["openai", "anthropic", "ollama", "vllm", "lmstudio", "openrouter", "azure", "stub"]
        )
    }

    func testMakeProvider_withACustomBaseURLOnAnotherHost_sendsMaxTokens() throws {
        let provider = try AIProviderKind.openAI.makeProvider(
            model: "gemma",
            baseURL: "http://127.0.0.1:8765/v1",
            environment: [:]
        )

        let openAI = try XCTUnwrap(provider as? OpenAICompatibleProvider)
        XCTAssertEqual(openAI.configuration.tokenLimitField, .maxTokens)
        let body = try Self.body(of: openAI, maxOutputTokens: 777)
        XCTAssertEqual(body["max_tokens"] as? Int, 777)
        XCTAssertNil(body["max_completion_tokens"])
    }

    func testMakeProvider_withOpenAIsOwnBaseURL_keepsMaxCompletionTokens() throws {
        let provider = try AIProviderKind.openAI.makeProvider(
            baseURL: "https://api.openai.com/v1/",
            environment: ["OPENAI_API_KEY": "sk"]
        )

        let openAI = try XCTUnwrap(provider as? OpenAICompatibleProvider)
        let body = try Self.body(of: openAI, maxOutputTokens: 777)
        XCTAssertEqual(body["max_completion_tokens"] as? Int, 777)
        XCTAssertNil(body["max_tokens"])
    }

    func testMakeProvider_forTheLocalPresets_usesTheirDefaultURLsAndMaxTokens() throws {
        let expected: [(AIProviderKind, String, String)] = [
            (.ollama, "http://localhost:11434/v1", "Ollama"),
            (.vLLM, "http://localhost:8000/v1", "vLLM"),
            (.lmStudio, "http://localhost:1234/v1", "LM Studio"),
        ]
        for (kind, baseURL, name) in expected {
            let openAI = try XCTUnwrap(try kind.makeProvider(environment: [:]) as? OpenAICompatibleProvider)
            XCTAssertEqual(openAI.configuration.baseURL, baseURL, "\(kind)")
            XCTAssertEqual(openAI.configuration.name, name)
            XCTAssertEqual(openAI.configuration.tokenLimitField, .maxTokens)
            XCTAssertEqual(openAI.configuration.model, kind.defaultModel)
        }
        let custom = try XCTUnwrap(
            try AIProviderKind.ollama.makeProvider(model: "qwen2.5", baseURL: "http://127.0.0.1:9/v1", environment: [:])
                as? OpenAICompatibleProvider
        )
        XCTAssertEqual(custom.configuration.baseURL, "http://127.0.0.1:9/v1")
        XCTAssertEqual(custom.configuration.model, "qwen2.5")
    }

    func testMakeProvider_forOpenRouterAndAzure_readTheirOwnKeys() throws {
        let openRouter = try XCTUnwrap(
            try AIProviderKind.openRouter.makeProvider(environment: ["OPENROUTER_API_KEY": "or-key"])
                as? OpenAICompatibleProvider
        )
        XCTAssertEqual(openRouter.configuration.apiKey?.value, "or-key")
        XCTAssertEqual(openRouter.configuration.baseURL, "https://openrouter.ai/api/v1")
        XCTAssertThrowsError(try AIProviderKind.openRouter.makeProvider(environment: [:]))

        let azure = try XCTUnwrap(
            try AIProviderKind.azure.makeProvider(
                model: "my-deployment",
                environment: ["AZURE_OPENAI_API_KEY": "az", "AZURE_OPENAI_ENDPOINT": "https://r.openai.azure.com"]
            ) as? OpenAICompatibleProvider
        )
        XCTAssertEqual(azure.configuration.api, .azure(deployment: "my-deployment", apiVersion: "2024-10-21"))
        XCTAssertEqual(azure.configuration.baseURL, "https://r.openai.azure.com")
        XCTAssertThrowsError(try AIProviderKind.azure.makeProvider(environment: ["AZURE_OPENAI_API_KEY": "az"])) {
            XCTAssertEqual(($0 as? AIProviderError)?.kind, .badRequest)
        }
    }

    private static func body(of provider: OpenAICompatibleProvider, maxOutputTokens: Int) throws -> [String: Any] {
        let request = try provider.makeHTTPRequest(
            for: CompletionRequest(messages: [.user("hi")], maxOutputTokens: maxOutputTokens)
        )
        let object = try JSONSerialization.jsonObject(with: Data(request.body))
        return try XCTUnwrap(object as? [String: Any])
    }
}
