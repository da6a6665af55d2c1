import Foundation

/// A change of a job's visible state: the one place where records move from one revision to the next.
enum JobTransition: Sendable, Hashable {
    /// A new `PROCESSING` message naming the current stage.
    case progressed(message: String)
    /// A retryable failure: the next attempt starts after a backoff.
    case retrying(nextAttempt: Int, maximumAttempts: Int)
    /// A job whose previous attempt was interrupted runs again.
    case resumed
    /// The job completed.
    case completed(message: String, result: JobResultDescription?, details: String?)
    /// The job failed.
    case failed(JobFailure)
    /// The job's owner cancelled it.
    case cancelled(message: String)
}

extension JobRecord {
    /// The record after `transition`, made at `now`: one revision newer; a terminal record has its
    /// finishing time and no lease.
    func applying(_ transition: JobTransition, at now: Date) -> JobRecord {
        var record = self
        record.updatedAt = now
        record.revision += 1
        switch transition {
        case .progressed(let message):
            record.message = message
        case .retrying(let next, let maximum):
            record.message = "Retrying after a temporary problem (attempt \(next) of \(maximum))"
            record.attempts = max(record.attempts, next)
        case .resumed:
            record.message = "Resuming after an interruption"
        case .completed(let message, let result, let details):
            record.status = .completed
            record.message = message
            record.result = result
            record.details = details
            record.errorCode = nil
        case .failed(let failure):
            record.status = .failed
            record.message = failure.message
            record.errorCode = failure.code
            record.result = nil
            record.details = nil
        case .cancelled(let message):
            record.status = .cancelled
            record.message = message
        }
        if record.status.isTerminal {
            record.finishedAt = now
            record.leaseOwner = nil
            record.leaseExpiresAt = nil
        }
        return record
    }
}
