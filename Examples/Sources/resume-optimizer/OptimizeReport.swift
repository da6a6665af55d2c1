import Foundation
import JobOrchestration
import Optimization

/// The one JSON object `optimize --json` prints, and the lines it prints for people.
struct OptimizeReport: Encodable, Sendable {
    struct Warning: Encodable, Sendable {
        var kind: String
        var text: String
    }

    var jobId: String?
    var status: String
    var message: String
    var errorCode: String?
    var file: String?
    var fileType: String?
    var contentType: String?
    var matchBefore: Int?
    var matchAfter: Int?
    var missing: [String]
    var warnings: [Warning]
    var usage: TokenUsage
    var usedAI: Bool?
    /// What was redacted before the model call, counts by kind; `nil` when nothing was.
    var redaction: RedactionSummary?

    init(_ outcome: OptimizeOutcome) {
        jobId = outcome.jobID
        switch outcome.status {
        case .completed(let details, let output):
            status = "COMPLETED"
            message = details.summary
            file = output.url.path
            fileType = output.fileType
            contentType = output.contentType
            matchBefore = details.matchBefore
            matchAfter = details.matchAfter
            missing = details.missing
            warnings = details.warnings.map { Warning(kind: $0.kind.identifier, text: $0.text) }
            usage = details.usage
            usedAI = details.usedAI
            redaction = details.redaction.flatMap { $0.isEnabled ? $0 : nil }
        case .failed(let message, let code):
            status = "FAILED"
            self.message = message
            errorCode = code
            missing = []
            warnings = []
            usage = TokenUsage()
        }
    }

    private enum CodingKeys: String, CodingKey {
        case jobId, status, message, errorCode, file, fileType, contentType, matchBefore, matchAfter, missing, warnings
        case usage, usedAI, redaction
    }

    private enum UsageKeys: String, CodingKey {
        case inputTokens, outputTokens, totalTokens
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // Null only when the run failed before a job was submitted.
        try container.encode(jobId, forKey: .jobId)
        try container.encode(status, forKey: .status)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(errorCode, forKey: .errorCode)
        // Always present, null when the job failed, so scripts can read them without checking.
        try container.encode(file, forKey: .file)
        try container.encode(fileType, forKey: .fileType)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(matchBefore, forKey: .matchBefore)
        try container.encode(matchAfter, forKey: .matchAfter)
        try container.encode(missing, forKey: .missing)
        try container.encode(warnings, forKey: .warnings)
        var usageContainer = container.nestedContainer(keyedBy: UsageKeys.self, forKey: .usage)
        try usageContainer.encode(usage.inputTokens, forKey: .inputTokens)
        try usageContainer.encode(usage.outputTokens, forKey: .outputTokens)
        try usageContainer.encode(usage.totalTokens, forKey: .totalTokens)
        try container.encodeIfPresent(usedAI, forKey: .usedAI)
        try container.encodeIfPresent(redaction, forKey: .redaction)
    }

    /// The object as one line of JSON, keys sorted.
    func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The lines printed after the status lines, for people.
    func summaryLines() -> [String] {
        guard status == "COMPLETED", let matchBefore, let matchAfter else { return [] }
        var lines = ["Match score: \(matchBefore) → \(matchAfter)"]
        // What tailored it, what changed and why the score moved or did not.
        lines.append(message)
        if let redaction { lines.append("Personal data: \(redaction) (placeholders sent, originals put back)") }
        if !missing.isEmpty { lines.append("Still missing: \(missing.joined(separator: ", "))") }
        if warnings.isEmpty {
            lines.append("Fabrication warnings: none")
        } else {
            lines.append("Fabrication warnings (\(warnings.count)):")
            lines += warnings.map { "  - \($0.kind): \($0.text)" }
        }
        if usage.totalTokens > 0 {
            lines.append("Tokens: \(usage.inputTokens) in, \(usage.outputTokens) out")
        }
        return lines
    }
}
