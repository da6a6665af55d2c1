import Foundation
import Logging

/// A log handler that keeps every message and its metadata as text, to assert on what was logged.
struct CapturingLogHandler: LogHandler {
    /// The captured lines, shared by every copy of the handler; `lock` guards them.
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var _lines: [String] = []

        var lines: [String] { lock.withLock { _lines } }
        var text: String { lines.joined(separator: "\n") }

        func append(_ line: String) { lock.withLock { _lines.append(line) } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(store: Store) {
        self.store = store
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        store.append("\(event.level) \(event.message) \(rendered)")
    }

    /// A logger at trace level that writes into a fresh store.
    static func logger() -> (Logger, Store) {
        let store = Store()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(store: store) }
        return (logger, store)
    }
}
