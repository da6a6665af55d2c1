import Logging

extension JobCenter {
    /// Warns, through the center's background logger, that a job was stored while this center is not
    /// running: nothing here will run it until ``run()`` starts (in a `ServiceGroup` or
    /// ``withRunningJobCenter(_:isolation:_:)``). Submitting first and running later is allowed (the job
    /// waits, safely stored), and another process sharing the store may run it; the warning makes the
    /// usual mistake, a center that nobody runs, visible at once instead of a job that never moves.
    func warnIfNotRunning(_ id: JobID, userID: String) {
        guard machine.lifecycle == .idle else { return }
        logger.warning(
            "Job submitted to a job center that is not running; it waits in the store until a center's run() claims it. Run the center in a ServiceGroup or with withRunningJobCenter.",
            metadata: ["job.id": "\(id)", "user.id": "\(userID)", "jobs.kind": "\(Kind.identifier)"]
        )
    }
}
