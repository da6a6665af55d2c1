import Foundation

/// Any JSON value, for passing a caller's JSON Schema through to a provider unchanged.
enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses JSON text, or returns `nil` when it is not valid JSON.
    static func parse(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Parses JSON bytes, or returns `nil` when they are not valid JSON.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var stringValue: String? {
        switch self {
        case .string(let value): return value
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}

/// The encoder every provider uses for request bodies: compact, sorted keys, unescaped slashes.
enum WireJSON {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }

    /// Encodes a provider's request body, mapping any failure to the provider's typed error.
    static func encodeRequestBody(_ value: some Encodable, providerName: String) throws(AIProviderError) -> [UInt8] {
        do {
            return try encode(value)
        } catch {
            throw AIProviderError.unencodableRequest(providerName: providerName)
        }
    }

    /// Decodes a provider's response body; a body of the wrong shape is an invalid-response error.
    static func decodeResponseBody<T: Decodable>(
        _ type: T.Type,
        from response: HTTPTransportResponse,
        providerName: String,
        requestID: String?
    ) throws(AIProviderError) -> T {
        do {
            return try decode(type, from: response.body)
        } catch {
            throw AIProviderError.invalidResponse(
                providerName: providerName,
                status: response.status,
                requestID: requestID
            )
        }
    }
}
