import Foundation
import NIOHTTP1

// The Messages API wire format: the request body we send and the parts of the answer we read.

extension AnthropicProvider {
    struct MessagesRequestBody: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }

        struct OutputConfig: Encodable {
            struct Format: Encodable {
                var type: String
                var schema: JSONValue
            }

            var format: Format
        }

        var model: String
        var maxTokens: Int
        var system: String?
        var messages: [Message]
        var temperature: Double?
        var outputConfig: OutputConfig?

        enum CodingKeys: String, CodingKey {
            case model, system, messages, temperature
            case maxTokens = "max_tokens"
            case outputConfig = "output_config"
        }
    }

    struct MessagesResponseBody: Decodable {
        struct Block: Decodable {
            var type: String
            var text: String?
        }

        struct Usage: Decodable {
            var inputTokens: Int?
            var outputTokens: Int?

            enum CodingKeys: String, CodingKey {
                case inputTokens = "input_tokens"
                case outputTokens = "output_tokens"
            }
        }

        var id: String?
        var type: String?
        var model: String?
        var content: [Block]
        var stopReason: String?
        var usage: Usage?

        enum CodingKeys: String, CodingKey {
            case id, type, model, content, usage
            case stopReason = "stop_reason"
        }
    }

    func encodeBody(for request: CompletionRequest) throws(AIProviderError) -> [UInt8] {
        var system = request.system.flatMap { $0.isEmpty ? nil : $0 }
        var outputConfig: MessagesRequestBody.OutputConfig?
        if case .jsonSchema(let name, let schemaJSON) = request.responseFormat {
            guard let schema = JSONValue.parse(schemaJSON), schema.isObject else {
                throw AIProviderError.invalidSchema(providerName: configuration.name)
            }
            switch configuration.structuredOutput {
            case .outputConfig:
                outputConfig = .init(format: .init(type: "json_schema", schema: schema))
            case .instructions:
                let compact = (try? WireJSON.encode(schema)).map { String(decoding: $0, as: UTF8.self) } ?? schemaJSON
                let instruction =
                    "Answer with a single JSON object only, no prose and no code fence. "
                    + "It must conform to this JSON Schema named \"\(name)\":\n\(compact)"
                system = system.map { $0 + "\n\n" + instruction } ?? instruction
            }
        }
        let body = MessagesRequestBody(
            model: request.model ?? configuration.model,
            maxTokens: request.maxOutputTokens,
            system: system,
            messages: request.messages.map { .init(role: $0.role.rawValue, content: $0.content) },
            temperature: request.temperature,
            outputConfig: outputConfig
        )
        return try WireJSON.encodeRequestBody(body, providerName: configuration.name)
    }

    static func decodeCompletion(_ response: HTTPTransportResponse, providerName: String) throws(AIProviderError)
        -> Completion
    {
        let requestID = response.headers.first(name: "request-id")
        let body = try WireJSON.decodeResponseBody(
            MessagesResponseBody.self,
            from: response,
            providerName: providerName,
            requestID: requestID
        )
        if let type = body.type, type != "message" {
            throw AIProviderError.invalidResponse(
                providerName: providerName,
                status: response.status,
                requestID: requestID
            )
        }
        let text = body.content.filter { $0.type == "text" }.compactMap(\.text).joined()
        let finishReason: Completion.FinishReason
        switch body.stopReason {
        case "end_turn"?, "stop_sequence"?: finishReason = .stop
        case "max_tokens"?, "model_context_window_exceeded"?: finishReason = .length
        case "refusal"?: finishReason = .contentFilter
        default: finishReason = .other
        }
        if text.isEmpty && finishReason == .contentFilter {
            throw AIProviderError.contentFiltered(
                providerName: providerName,
                status: response.status,
                requestID: requestID
            )
        }
        return Completion(
            text: text,
            finishReason: finishReason,
            usage: TokenUsage(inputTokens: body.usage?.inputTokens ?? 0, outputTokens: body.usage?.outputTokens ?? 0),
            requestID: requestID ?? body.id,
            model: body.model ?? ""
        )
    }
}
