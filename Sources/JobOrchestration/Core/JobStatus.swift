/// Where a job is in its life.
///
/// The raw values are the original Lambda design's wire values (`PROCESSING`, `COMPLETED`, `FAILED`, `CANCELLED`).
/// A job starts `PROCESSING` and ends in exactly one of the three terminal statuses.
public enum JobStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The job is queued or running; the report's message names the stage.
    case processing = "PROCESSING"
    /// The job finished and its result can be downloaded.
    case completed = "COMPLETED"
    /// The job ended with an error; the report carries an error code and a message a person can act on.
    case failed = "FAILED"
    /// The job was cancelled by its owner.
    case cancelled = "CANCELLED"

    /// Whether the job has ended; a terminal status never changes again.
    public var isTerminal: Bool {
        self != .processing
    }

    public var description: String { rawValue }
}
