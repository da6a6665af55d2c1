import Foundation
import NIOHTTP1

// The Chat Completions wire format: the request body we send and the parts of the answer we read.

extension OpenAICompatibleProvider {
    struct ChatRequestBody: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }

        struct ResponseFormat: Encodable {
            struct JSONSchema: Encodable {
                var name: String
                var schema: JSONValue
                var strict: Bool
            }

            var type: String
            var jsonSchema: JSONSchema?

            enum CodingKeys: String, CodingKey {
                case type
                case jsonSchema = "json_schema"
            }
        }

        var model: String
        var messages: [Message]
        var maxCompletionTokens: Int?
        var maxTokens: Int?
        var temperature: Double?
        var responseFormat: ResponseFormat?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxCompletionTokens = "max_completion_tokens"
            case maxTokens = "max_tokens"
            case responseFormat = "response_format"
        }
    }

    struct ChatResponseBody: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var refusal: String?
            }

            var message: Message?
            var finishReason: String?

            enum CodingKeys: String, CodingKey {
                case message
                case finishReason = "finish_reason"
            }
        }

        struct Usage: Decodable {
            var promptTokens: Int?
            var completionTokens: Int?

            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
            }
        }

        var id: String?
        var model: String?
        var choices: [Choice]
        var usage: Usage?
    }

    func encodeBody(for request: CompletionRequest) throws(AIProviderError) -> [UInt8] {
        var messages: [ChatRequestBody.Message] = []
        if let system = request.system, !system.isEmpty {
            messages.append(.init(role: "system", content: system))
        }
        messages += request.messages.map { .init(role: $0.role.rawValue, content: $0.content) }

        var body = ChatRequestBody(
            model: request.model ?? configuration.model,
            messages: messages,
            temperature: request.temperature
        )
        switch configuration.tokenLimitField {
        case .maxCompletionTokens: body.maxCompletionTokens = request.maxOutputTokens
        case .maxTokens: body.maxTokens = request.maxOutputTokens
        }
        if case .jsonSchema(let name, let schemaJSON) = request.responseFormat {
            guard let schema = JSONValue.parse(schemaJSON), schema.isObject else {
                throw AIProviderError.invalidSchema(providerName: configuration.name)
            }
            body.responseFormat = .init(
                type: "json_schema",
                jsonSchema: .init(name: name, schema: schema, strict: configuration.strictJSONSchema)
            )
        }
        return try WireJSON.encodeRequestBody(body, providerName: configuration.name)
    }

    static func decodeCompletion(_ response: HTTPTransportResponse, providerName: String) throws(AIProviderError)
        -> Completion
    {
        let requestID = response.headers.first(name: "x-request-id")
        let body = try WireJSON.decodeResponseBody(
            ChatResponseBody.self,
            from: response,
            providerName: providerName,
            requestID: requestID
        )
        guard let choice = body.choices.first, let message = choice.message else {
            throw AIProviderError.invalidResponse(
                providerName: providerName,
                status: response.status,
                requestID: requestID
            )
        }
        let finishReason: Completion.FinishReason
        switch choice.finishReason {
        case "stop"?: finishReason = .stop
        case "length"?: finishReason = .length
        case "content_filter"?: finishReason = .contentFilter
        default: finishReason = .other
        }
        let text = message.content ?? ""
        if text.isEmpty && (finishReason == .contentFilter || message.refusal != nil) {
            throw AIProviderError.contentFiltered(
                providerName: providerName,
                status: response.status,
                requestID: requestID
            )
        }
        return Completion(
            text: text,
            finishReason: finishReason,
            usage: TokenUsage(
                inputTokens: body.usage?.promptTokens ?? 0,
                outputTokens: body.usage?.completionTokens ?? 0
            ),
            requestID: requestID ?? body.id,
            model: body.model ?? ""
        )
    }
}

extension AIProviderError {
    static func invalidResponse(providerName: String, status: Int, requestID: String?) -> AIProviderError {
        AIProviderError(
            kind: .invalidResponse,
            message:
                "\(providerName) answered HTTP \(status) with a body that is not the expected shape. Check that the base URL points at a compatible API.",
            isRetryable: false,
            httpStatus: status,
            requestID: requestID,
            providerName: providerName
        )
    }

    static func contentFiltered(providerName: String, status: Int, requestID: String?) -> AIProviderError {
        AIProviderError(
            kind: .contentFiltered,
            message: "\(providerName) withheld the answer under its content policy. Rephrase the input.",
            isRetryable: false,
            httpStatus: status,
            requestID: requestID,
            providerName: providerName
        )
    }

    static func invalidSchema(providerName: String) -> AIProviderError {
        AIProviderError(
            kind: .badRequest,
            message: "The response format's JSON Schema is not a JSON object. Pass the schema's JSON text.",
            isRetryable: false,
            providerName: providerName
        )
    }

    static func unencodableRequest(providerName: String) -> AIProviderError {
        AIProviderError(
            kind: .badRequest,
            message:
                "The request could not be encoded as JSON (for example a temperature that is not a finite number).",
            isRetryable: false,
            providerName: providerName
        )
    }
}
