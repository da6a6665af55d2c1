import Foundation
import HTTPTypes

@testable import resume_optimizer_server

/// A JSON value, decoded strictly: `true` is never a number and `1.5` is never an integer.
enum JSONValue: Decodable, Equatable, CustomStringConvertible {
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

    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array(let values): "[\(values.map(\.description).joined(separator: ", "))]"
        case .object(let object):
            "{\(object.keys.sorted().map { "\"\($0)\": \(object[$0]!)" }.joined(separator: ", "))}"
        }
    }
}

/// Where a response breaks the contract.
struct ContractViolation: Error, CustomStringConvertible {
    var description: String
}

/// A validator for the subset of JSON Schema (2020-12) the OpenAPI document uses.
///
/// A keyword outside the subset is a violation too, so the document cannot use a rule this
/// validator would silently skip.
struct JSONSchemaValidator {
    /// The document, for `$ref` to `#/components/...`.
    let root: JSONValue

    static let annotations: Set<String> = [
        "description", "title", "default", "examples", "example", "format", "contentEncoding", "contentMediaType",
        "deprecated", "readOnly", "writeOnly",
    ]
    static let keywords: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "items", "enum", "const", "minimum",
        "maximum",
        "minLength", "maxLength", "pattern", "minItems", "maxItems", "oneOf", "anyOf", "allOf",
    ]

    func validate(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard case .object(let rules) = schema else {
            if schema == .bool(true) { return [] }
            if schema == .bool(false) { return ["\(path): no value is allowed here"] }
            return ["\(path): the schema is not an object"]
        }
        var problems: [String] = []
        for key in rules.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            problems.append("\(path): the schema uses '\(key)', which the contract test does not support")
        }
        if let reference = rules["$ref"]?.string {
            guard let target = resolve(reference) else { return problems + ["\(path): unresolved $ref \(reference)"] }
            problems += validate(value, against: target, at: path)
        }
        if let type = rules["type"] {
            let allowed: [String] =
                switch type {
                case .string(let name): [name]
                case .array(let names): names.compactMap(\.string)
                default: []
                }
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                return problems + ["\(path): expected \(allowed.joined(separator: " or ")), got \(value)"]
            }
        }
        if let options = rules["enum"], case .array(let values) = options, !values.contains(value) {
            problems.append("\(path): \(value) is not one of \(options)")
        }
        if let constant = rules["const"], constant != value {
            problems.append("\(path): expected \(constant), got \(value)")
        }
        problems += validateNumber(value, rules, path)
        problems += validateString(value, rules, path)
        problems += validateArray(value, rules, path)
        problems += validateObject(value, rules, path)
        if case .array(let schemas) = rules["allOf"] {
            for schema in schemas { problems += validate(value, against: schema, at: path) }
        }
        if case .array(let schemas) = rules["anyOf"] {
            if !schemas.contains(where: { validate(value, against: $0, at: path).isEmpty }) {
                problems.append("\(path): matches none of anyOf")
            }
        }
        if case .array(let schemas) = rules["oneOf"] {
            let matching = schemas.filter { validate(value, against: $0, at: path).isEmpty }.count
            if matching != 1 { problems.append("\(path): matches \(matching) of oneOf, not exactly one") }
        }
        return problems
    }

    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = root
        for part in reference.dropFirst(2).split(separator: "/") {
            node =
                node?[String(part).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("integer", .integer), ("number", .integer), ("number", .number),
            ("string", .string), ("array", .array), ("object", .object):
            true
        default:
            false
        }
    }

    private func validateNumber(_ value: JSONValue, _ rules: [String: JSONValue], _ path: String) -> [String] {
        let number: Double
        switch value {
        case .integer(let integer): number = Double(integer)
        case .number(let double): number = double
        default: return []
        }
        var problems: [String] = []
        if let minimum = Self.double(rules["minimum"]), number < minimum {
            problems.append("\(path): \(number) < \(minimum)")
        }
        if let maximum = Self.double(rules["maximum"]), number > maximum {
            problems.append("\(path): \(number) > \(maximum)")
        }
        return problems
    }

    private func validateString(_ value: JSONValue, _ rules: [String: JSONValue], _ path: String) -> [String] {
        guard case .string(let text) = value else { return [] }
        var problems: [String] = []
        if let minimum = Self.double(rules["minLength"]), Double(text.count) < minimum {
            problems.append("\(path): shorter than \(Int(minimum)) characters")
        }
        if let maximum = Self.double(rules["maxLength"]), Double(text.count) > maximum {
            problems.append("\(path): longer than \(Int(maximum)) characters")
        }
        if let pattern = rules["pattern"]?.string, !Self.matches(text, pattern: pattern) {
            problems.append("\(path): \"\(text)\" does not match /\(pattern)/")
        }
        return problems
    }

    private func validateArray(_ value: JSONValue, _ rules: [String: JSONValue], _ path: String) -> [String] {
        guard case .array(let items) = value else { return [] }
        var problems: [String] = []
        if let minimum = Self.double(rules["minItems"]), Double(items.count) < minimum {
            problems.append("\(path): fewer than \(Int(minimum)) items")
        }
        if let maximum = Self.double(rules["maxItems"]), Double(items.count) > maximum {
            problems.append("\(path): more than \(Int(maximum)) items")
        }
        if let schema = rules["items"] {
            for (index, item) in items.enumerated() {
                problems += validate(item, against: schema, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    private func validateObject(_ value: JSONValue, _ rules: [String: JSONValue], _ path: String) -> [String] {
        guard case .object(let object) = value else { return [] }
        var problems: [String] = []
        if case .array(let required) = rules["required"] {
            for name in required.compactMap(\.string) where object[name] == nil {
                problems.append("\(path): missing required property '\(name)'")
            }
        }
        let properties: [String: JSONValue]
        if case .object(let declared) = rules["properties"] { properties = declared } else { properties = [:] }
        for (name, property) in object {
            if let schema = properties[name] {
                problems += validate(property, against: schema, at: "\(path).\(name)")
            } else if let additional = rules["additionalProperties"] {
                if additional == .bool(false) {
                    problems.append("\(path): property '\(name)' is not in the document")
                } else {
                    problems += validate(property, against: additional, at: "\(path).\(name)")
                }
            }
        }
        return problems
    }

    static func double(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let integer): Double(integer)
        case .number(let double): double
        default: nil
        }
    }

    static func matches(_ text: String, pattern: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

/// The server's OpenAPI document (the one `GET /openapi.json` serves) and the checks of a response
/// against it.
struct OpenAPIContract {
    let document: JSONValue
    let validator: JSONSchemaValidator

    /// The document bundled with the server.
    static let bundled: OpenAPIContract = {
        do {
            return try OpenAPIContract(data: WebClientRoutes.openAPIDocument())
        } catch {
            fatalError("The server's openapi.json cannot be read: \(error)")
        }
    }()

    init(data: Data) throws {
        document = try JSONValue.parse(data)
        validator = JSONSchemaValidator(root: document)
    }

    /// The document's path template for a request path, such as `/jobs/{jobId}` for `/jobs/3f25…`;
    /// a literal path wins over a template.
    func pathTemplate(for path: String) -> String? {
        guard case .object(let paths) = document["paths"] else { return nil }
        if paths[path] != nil { return path }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return paths.keys.sorted().first { template in
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == segments.count
                && zip(parts, segments).allSatisfy { part, segment in
                    (part.hasPrefix("{") && part.hasSuffix("}") && !segment.isEmpty) || part == segment
                }
        }
    }

    /// Checks one exchange: the route and method are documented, the status is documented for
    /// them, the content type is one the document lists, the body validates against its schema and
    /// the required headers are present and well-formed.
    ///
    /// A request to a path the document does not have must be refused as JSON (404 or 405).
    func check(method: HTTPRequest.Method, uri: String, status: HTTPResponse.Status, headers: HTTPFields, body: Data)
        throws
    {
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        let exchange = "\(method) \(path) → \(status.code)"
        guard let template = pathTemplate(for: path) else {
            guard [404, 405].contains(status.code) else {
                throw ContractViolation(
                    description: "\(exchange): the path is not in the document, yet it did not answer 404/405"
                )
            }
            try checkBody(body, contentType: headers[.contentType], against: errorSchema, exchange: exchange)
            return
        }
        guard let pathItem = document["paths"]?[template] else {
            throw ContractViolation(description: "\(exchange): no path item")
        }
        var methodKey = method.rawValue.lowercased()
        // HEAD is implicit wherever GET is documented (RFC 9110): the GET operation's statuses and
        // headers, without a body.
        if method == .head, pathItem["head"] == nil, pathItem["get"] != nil { methodKey = "get" }
        guard let operation = pathItem[methodKey] else {
            // Methods the route does not have are refused with 405, and Allow lists the documented
            // ones (with HEAD where GET is).
            guard status.code == 405 else {
                throw ContractViolation(description: "\(exchange): \(method) is not documented for \(template)")
            }
            guard case .object(let operations) = pathItem else {
                throw ContractViolation(description: "\(exchange): the path item is not an object")
            }
            var documented = Set(operations.keys.map { $0.uppercased() }).intersection(Self.methods)
            if documented.contains("GET") { documented.insert("HEAD") }
            let allowed = Set(
                (headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            )
            guard allowed == documented else {
                throw ContractViolation(
                    description: "\(exchange): Allow lists \(allowed.sorted()), the document \(documented.sorted())"
                )
            }
            try checkBody(body, contentType: headers[.contentType], against: errorSchema, exchange: exchange)
            return
        }
        guard let response = resolved(operation["responses"]?["\(status.code)"]) else {
            throw ContractViolation(
                description: "\(exchange): status \(status.code) is not documented for \(method) \(template)"
            )
        }
        if case .object(let documentedHeaders) = response["headers"] {
            for (name, header) in documentedHeaders {
                let header = resolved(header) ?? header
                let value = HTTPField.Name(name).flatMap { headers[$0] }
                if header["required"] == .bool(true), value == nil {
                    throw ContractViolation(description: "\(exchange): the required header \(name) is missing")
                }
                if let value, let schema = header["schema"] {
                    let problems = validator.validate(.string(value), against: schema, at: name)
                    if !problems.isEmpty {
                        throw ContractViolation(description: "\(exchange): header \(problems.joined(separator: "; "))")
                    }
                }
            }
        }
        guard case .object(let content) = response["content"], !content.isEmpty else {
            if !body.isEmpty { throw ContractViolation(description: "\(exchange): a body where the document has none") }
            return
        }
        if method == .head {
            if !body.isEmpty { throw ContractViolation(description: "\(exchange): HEAD answered with a body") }
            return
        }
        guard let contentType = headers[.contentType] else {
            throw ContractViolation(description: "\(exchange): no Content-Type")
        }
        let mediaType = Self.mediaType(contentType)
        guard let entry = content[mediaType] else {
            throw ContractViolation(
                description: "\(exchange): Content-Type \(contentType) is not among \(content.keys.sorted())"
            )
        }
        if mediaType == "application/json", let schema = entry["schema"] {
            try checkBody(body, contentType: contentType, against: schema, exchange: exchange)
        }
    }

    /// The HTTP methods a path item may hold operations for.
    static let methods: Set<String> = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY"]

    var errorSchema: JSONValue { .object(["$ref": .string("#/components/schemas/Error")]) }

    private func checkBody(_ body: Data, contentType: String?, against schema: JSONValue, exchange: String) throws {
        guard let contentType, Self.mediaType(contentType) == "application/json" else {
            throw ContractViolation(
                description: "\(exchange): expected a JSON body, got Content-Type \(contentType ?? "none")"
            )
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            throw ContractViolation(description: "\(exchange): the body is not JSON")
        }
        let problems = validator.validate(value, against: schema)
        if !problems.isEmpty {
            throw ContractViolation(description: "\(exchange): \(problems.joined(separator: "; "))")
        }
    }

    /// Follows a `$ref` to `#/components/...`, once.
    private func resolved(_ value: JSONValue?) -> JSONValue? {
        guard let value else { return nil }
        if let reference = value["$ref"]?.string { return validator.resolve(reference) }
        return value
    }

    static func mediaType(_ contentType: String) -> String {
        String(contentType.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }
}
