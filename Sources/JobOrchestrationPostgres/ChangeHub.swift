import Foundation
import JobOrchestration
import NIOConcurrencyHelpers

/// Fans the store's change notifications out to every subscriber's stream.
final class ChangeHub: Sendable {
    private let subscribers = NIOLockedValueBox<[UInt64: AsyncStream<JobStoreChange>.Continuation]>([:])
    private let nextID = NIOLockedValueBox<UInt64>(0)

    func subscribe() -> AsyncStream<JobStoreChange> {
        let id = nextID.withLockedValue { value in
            value += 1
            return value
        }
        let (stream, continuation) = AsyncStream.makeStream(
            of: JobStoreChange.self,
            bufferingPolicy: .bufferingNewest(4096)
        )
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLockedValue { _ = $0.removeValue(forKey: id) }
        }
        subscribers.withLockedValue { $0[id] = continuation }
        return stream
    }

    func publish(_ change: JobStoreChange) {
        let continuations = subscribers.withLockedValue { Array($0.values) }
        for continuation in continuations { continuation.yield(change) }
    }

    /// Parses a payload of the `notify_job_change` trigger: `EVENT REVISION KIND ID USER`, separated by U+001F.
    static func parse(_ payload: String) -> JobStoreChange? {
        let parts = payload.split(separator: "\u{1F}", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, let revision = Int(parts[1]), let id = JobID(String(parts[3])) else { return nil }
        let event: JobStoreChange.Event
        switch parts[0] {
        case "r": event = .runnable
        case "c": event = .changed
        case "d": event = .deleted
        default: return nil
        }
        return JobStoreChange(
            jobID: id,
            userID: String(parts[4]),
            kind: String(parts[2]),
            revision: revision,
            event: event
        )
    }
}
