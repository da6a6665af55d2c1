import Foundation
import Logging
import Synchronization

/// Jobs' details as decoded values, each decoded once per revision: a status read, a history page or an
/// update stream reuses the value instead of decoding the record's JSON again on every report.
///
/// Bounded: when it holds ``capacity`` jobs it starts again empty (a cache miss costs one decode).
/// Details that cannot be decoded (written by another version of the kind) are remembered as absent,
/// and logged once per revision with the job's id and the error's type (never the details).
final class DetailsCache<Details: Decodable & Sendable>: Sendable {
    private struct Entry: Sendable {
        var revision: Int
        var text: String
        var details: Details?
    }

    let capacity: Int
    private let entries = Mutex<[JobID: Entry]>([:])

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// The record's details, decoded.
    func details(of record: JobRecord, logger: Logger) -> Details? {
        guard let text = record.details else { return nil }
        if let entry = entries.withLock({ $0[record.id] }), entry.revision == record.revision, entry.text == text {
            return entry.details
        }
        let details: Details?
        do {
            details = try JSONDecoder().decode(Details.self, from: Data(text.utf8))
        } catch {
            details = nil
            logger.warning(
                "A job's details could not be decoded; its reports leave them out",
                metadata: [
                    "job.id": "\(record.id)", "user.id": "\(record.userID)", "job.revision": "\(record.revision)",
                    "error.type": "\(type(of: error))",
                ]
            )
        }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[record.id] = Entry(revision: record.revision, text: text, details: details)
        }
        return details
    }

    /// Forgets a job (deleted).
    func remove(_ id: JobID) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }
}
