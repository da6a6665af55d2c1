import Foundation
import Logging

/// The command line's log handler.
///
/// With `--verbose`, every record at `debug` level and above goes to standard error as
/// `<level> <label>: <message> key=value…` (the libraries never log resume or job text). Without it, the
/// only records shown are the provider's waits before a retry, as status lines that say why:
/// `PROCESSING: the model request failed (rateLimited, HTTP 429); retry 1 in 2.0 s`.
struct StatusLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level

    private let label: String
    private let verbose: Bool
    private let status: @Sendable (String) -> Void
    private let write: @Sendable (String) -> Void

    /// Creates a handler; `status` receives the retry lines, `write` (standard error by default) the
    /// verbose records.
    init(
        label: String,
        verbose: Bool,
        status: @escaping @Sendable (String) -> Void,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) {
        self.label = label
        self.verbose = verbose
        self.status = status
        self.write = write
        self.logLevel = verbose ? .debug : .info
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let own = event.metadata { all.merge(own) { _, new in new } }

        if verbose {
            let pairs = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            write("\(event.level) \(label): \(event.message)" + (pairs.isEmpty ? "" : " " + pairs))
        } else if let line = Self.retryLine(all) {
            status(line)
        }
    }

    /// The status line for a provider's retry wait (a record with `ai.retry.delay_ms`), or `nil`.
    static func retryLine(_ metadata: Logger.Metadata) -> String? {
        guard let delay = metadata["ai.retry.delay_ms"].flatMap({ Double("\($0)") }) else { return nil }
        var reason = metadata["ai.error.kind"].map { "\($0)" } ?? "error"
        if let status = metadata["ai.http.status"] { reason += ", HTTP \(status)" }
        let attempt = metadata["ai.attempt"].flatMap { Int("\($0)") }.map { " \($0)" } ?? ""
        let seconds = String(format: "%.1f", delay / 1000)
        return "PROCESSING: the model request failed (\(reason)); retry\(attempt) in \(seconds) s"
    }
}
