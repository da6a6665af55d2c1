import Logging

/// Keeps a logger's metadata (the `user.id` and request id every request adds) as a dictionary and hands
/// it to the wrapped handler only when a line is written.
///
/// swift-log's `StreamLogHandler` (`--log-format text`) formats its metadata as text again at every
/// change, so each authenticated request would pay for that even when nothing is logged. The lines are
/// the same: the handler's metadata, then the provider's, then the statement's own, the later winning.
struct DeferredMetadataLogHandler: LogHandler {
    private var base: any LogHandler
    var metadata: Logger.Metadata
    var metadataProvider: Logger.MetadataProvider?

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    /// Wraps `base`, taking over its metadata and metadata provider.
    init(wrapping base: any LogHandler) {
        var base = base
        metadata = base.metadata
        metadataProvider = base.metadataProvider
        base.metadata = [:]
        base.metadataProvider = nil
        self.base = base
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = mergedMetadata(of: event)
        var event = event
        event.metadata = all.isEmpty ? nil : all
        base.log(event: event)
    }
}

extension LogHandler {
    /// The metadata of a line: the handler's, then its provider's, then the statement's own, the later
    /// winning.
    func mergedMetadata(of event: LogEvent) -> Logger.Metadata {
        var all = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            all.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            all.merge(explicit) { _, explicit in explicit }
        }
        return all
    }
}
