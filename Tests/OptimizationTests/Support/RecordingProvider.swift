import Logging
import Optimization

/// A remote-looking provider (``AIProvider/sendsDataOffDevice`` keeps its default, `true`) that records
/// every request and answers with a function of the resume block it was sent.
actor RecordingProvider: AIProvider {
    nonisolated let name = "Recording"
    private let answer: @Sendable (String) -> String
    private(set) var requests: [CompletionRequest] = []

    /// A provider answering with `answer(resumeBlock)`; by default the resume block unchanged.
    init(answer: @escaping @Sendable (String) -> String = { $0 }) {
        self.answer = answer
    }

    func complete(_ request: CompletionRequest, logger: Logger) async throws -> Completion {
        requests.append(request)
        let prompt = request.messages.last { $0.role == .user }?.content ?? ""
        return Completion(text: answer(Self.block(in: prompt)), finishReason: .stop, model: "recorder")
    }

    /// Everything sent: system text and every message.
    var sentText: String {
        requests.map { ([$0.system ?? ""] + $0.messages.map(\.content)).joined(separator: "\n") }
            .joined(separator: "\n")
    }

    /// The text between the first `<<<RESUME_…>>>` or `<<<TAILORED_RESUME_…>>>` line and the next end line.
    static func block(in prompt: String) -> String {
        let lines = prompt.split(separator: "\n", omittingEmptySubsequences: false)
        guard
            let open = lines.firstIndex(where: { $0.hasPrefix("<<<RESUME_") || $0.hasPrefix("<<<TAILORED_RESUME_") }),
            let close = lines[open...].firstIndex(where: { $0.hasPrefix("<<<END_") })
        else { return "" }
        return lines[(open + 1)..<close].joined(separator: "\n")
    }
}
