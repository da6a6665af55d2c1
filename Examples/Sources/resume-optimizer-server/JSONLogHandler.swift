import Foundation
import Logging

/// Writes each log record as one JSON object on a line of standard error (`--log-format json`), for log
/// collectors: `timestamp` (ISO 8601, UTC, milliseconds), `level`, `label`, `message`, then the metadata's
/// keys as they are (`job.id`, `user.id`, `http.status`, …), values as strings.
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info

    private let label: String
    private let write: @Sendable (String) -> Void

    init(
        label: String,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) {
        self.label = label
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in mergedMetadata(of: event) { fields[key] = "\(value)" }
        fields["timestamp"] = Date.now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = "\(event.message)"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(fields) else { return }
        write(String(decoding: data, as: UTF8.self))
    }
}
