/// One request for a completion, independent of any provider's wire format.
public struct CompletionRequest: Sendable, Hashable {
    /// One turn of the conversation.
    public struct Message: Sendable, Hashable {
        /// Who speaks a message.
        public enum Role: String, Sendable, Hashable {
            case user
            case assistant
        }

        /// Who speaks.
        public var role: Role
        /// What is said.
        public var content: String

        /// Creates a message.
        public init(role: Role, content: String) {
            self.role = role
            self.content = content
        }

        /// A message from the user.
        public static func user(_ content: String) -> Message { Message(role: .user, content: content) }
        /// A message from the assistant, for example an earlier answer.
        public static func assistant(_ content: String) -> Message { Message(role: .assistant, content: content) }
    }

    /// How the model should shape its answer.
    public enum ResponseFormat: Sendable, Hashable {
        /// Free text (the default).
        case text
        /// A JSON object that matches the given JSON Schema, passed as its JSON text.
        case jsonSchema(name: String, schemaJSON: String)
    }

    /// System instructions, sent the way each provider expects them.
    public var system: String?
    /// The conversation, oldest first.
    public var messages: [Message]
    /// The model to use; `nil` takes the provider's configured default.
    public var model: String?
    /// The most tokens the model may produce. Always sent.
    public var maxOutputTokens: Int
    /// Sampling temperature; `nil` leaves the provider's default.
    public var temperature: Double?
    /// The shape of the answer.
    public var responseFormat: ResponseFormat
    /// A point in time after which the request, retries included, is abandoned with a timeout.
    public var deadline: ContinuousClock.Instant?

    /// Creates a request.
    public init(
        system: String? = nil,
        messages: [Message],
        model: String? = nil,
        maxOutputTokens: Int = 4096,
        temperature: Double? = nil,
        responseFormat: ResponseFormat = .text,
        deadline: ContinuousClock.Instant? = nil
    ) {
        self.system = system
        self.messages = messages
        self.model = model
        self.maxOutputTokens = maxOutputTokens
        self.temperature = temperature
        self.responseFormat = responseFormat
        self.deadline = deadline
    }
}
