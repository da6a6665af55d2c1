import Foundation

/// A secret credential that never prints itself.
///
/// `description`, `debugDescription` and string interpolation show `APIKey(redacted)`, so a key held in a
/// configuration cannot leak into logs or error messages by accident.
///
/// ```swift
/// let key = APIKey(environment: "OPENAI_API_KEY") ?? "sk-..."
/// ```
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable, ExpressibleByStringLiteral
{
    /// The secret itself. Read it only to put it on the wire.
    public let value: String

    /// Wraps a secret.
    public init(_ value: String) {
        self.value = value
    }

    /// Wraps a secret written in code, such as a placeholder key for a local server.
    public init(stringLiteral value: String) {
        self.value = value
    }

    /// Reads a key from an environment variable, or `nil` when it is unset or empty.
    ///
    /// - Parameters:
    ///   - name: The variable, such as `OPENAI_API_KEY` or `ANTHROPIC_API_KEY`.
    ///   - environment: The environment to read; `nil` (the default) reads the process environment.
    public init?(environment name: String, in environment: [String: String]? = nil) {
        let variables = environment ?? ProcessInfo.processInfo.environment
        guard let value = variables[name], !value.isEmpty else { return nil }
        self.value = value
    }

    /// Whether the key is empty (local servers such as Ollama accept any key, even none).
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { "APIKey(redacted)" }
    public var debugDescription: String { "APIKey(redacted)" }
    /// A mirror without children, so `dump` does not print the secret either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
