import Foundation
@testable import Optimization
import XCTest

/// Representative request bodies for both providers.
///
/// Each test checks the body's essentials. When `PROVIDER_REQUEST_SAMPLES_DIR` is set, the bodies are also
/// written there, so `Scripts/validate-provider-requests.py` can check them against the providers' published
/// OpenAPI schemas.
final class RequestBodySampleTests: XCTestCase {
    private let schema =
        #"{"type":"object","properties":{"summary":{"type":"string"},"keywords":{"type":"array","items":{"type":"string"}}},"required":["summary","keywords"],"additionalProperties":false}"#

    private var requests: [(String, CompletionRequest)] {
        [
            ("minimal", CompletionRequest(messages: [.user("Summarize my resume.")])),
            (
                "conversation",
                CompletionRequest(
                    system: "You tailor resumes. Never invent experience.",
                    messages: [.user("Draft a summary."), .assistant("Here is a draft."), .user("Shorter, please.")],
                    model: "custom-model",
                    maxOutputTokens: 512,
                    temperature: 0.2
                )
            ),
            (
                "json-schema",
                CompletionRequest(
                    system: "Extract keywords.",
                    messages: [.user("Job posting text")],
                    maxOutputTokens: 1024,
                    temperature: 0,
                    responseFormat: .jsonSchema(name: "keywords", schemaJSON: schema)
                )
            ),
        ]
    }

    func testOpenAICompatibleBodies_haveModelMessagesAndATokenLimit() throws {
        let providers: [(String, OpenAICompatibleProvider.Configuration)] = [
            ("openai", .openAI(apiKey: "sk-sample")),
            ("ollama", .ollama(model: "llama3.2")),
            ("azure", .azure(endpoint: "https://example.openai.azure.com", deployment: "gpt4o", apiKey: "sample")),
        ]
        for (variant, configuration) in providers {
            let provider = OpenAICompatibleProvider(configuration: configuration, transport: ScriptedTransport([]))
            for (name, request) in requests {
                let httpRequest = try provider.makeHTTPRequest(for: request)
                let body = try XCTUnwrap(
                    try JSONSerialization.jsonObject(with: Data(httpRequest.body)) as? [String: Any]
                )
                XCTAssertNotNil(body["model"] as? String)
                XCTAssertFalse((body["messages"] as? [Any] ?? []).isEmpty)
                XCTAssertEqual(
                    (body["max_completion_tokens"] ?? body["max_tokens"]) as? Int,
                    request.maxOutputTokens
                )
                try write(
                    provider: "openai",
                    name: "\(variant)-\(name)",
                    path: "/chat/completions",
                    request: httpRequest,
                    newerFields: []
                )
            }
        }
    }

    func testAnthropicBodies_haveModelMessagesAndMaxTokens() throws {
        let variants: [(String, AnthropicProvider.Configuration.StructuredOutput)] = [
            ("instructions", .instructions), ("output-config", .outputConfig),
        ]
        for (variant, mode) in variants {
            var configuration = AnthropicProvider.Configuration(apiKey: "sk-ant-sample", model: "claude-sonnet-4-5")
            configuration.structuredOutput = mode
            let provider = AnthropicProvider(configuration: configuration, transport: ScriptedTransport([]))
            for (name, request) in requests {
                let httpRequest = try provider.makeHTTPRequest(for: request)
                let body = try XCTUnwrap(
                    try JSONSerialization.jsonObject(with: Data(httpRequest.body)) as? [String: Any]
                )
                XCTAssertNotNil(body["model"] as? String)
                XCTAssertEqual(body["max_tokens"] as? Int, request.maxOutputTokens)
                XCTAssertFalse((body["messages"] as? [Any] ?? []).isEmpty)
                let newer = body["output_config"] == nil ? [String]() : ["output_config"]
                try write(
                    provider: "anthropic",
                    name: "\(variant)-\(name)",
                    path: "/v1/messages",
                    request: httpRequest,
                    newerFields: newer
                )
            }
        }
    }

    /// Writes `{provider, path, url, headers, body, newerThanSpec}`; header values are redacted except the
    /// ones a schema check needs (`anthropic-version`, the auth scheme).
    private func write(
        provider: String,
        name: String,
        path: String,
        request: HTTPTransportRequest,
        newerFields: [String]
    ) throws {
        guard let directory = ProcessInfo.processInfo.environment["PROVIDER_REQUEST_SAMPLES_DIR"] else { return }
        var headers: [String: String] = [:]
        for (headerName, value) in request.headers {
            switch headerName.lowercased() {
            case "authorization": headers[headerName] = value.hasPrefix("Bearer ") ? "Bearer <redacted>" : "<redacted>"
            case "x-api-key", "api-key": headers[headerName] = "<redacted>"
            default: headers[headerName] = value
            }
        }
        let sample: [String: Any] = [
            "provider": provider,
            "path": path,
            "url": request.url,
            "headers": headers,
            "body": try JSONSerialization.jsonObject(with: Data(request.body)),
            "newerThanSpec": newerFields,
        ]
        let data = try JSONSerialization.data(withJSONObject: sample, options: [.prettyPrinted, .sortedKeys])
        let url = URL(fileURLWithPath: directory).appendingPathComponent("\(provider)-\(name).json")
        try data.write(to: url)
    }
}
