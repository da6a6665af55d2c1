import Foundation

/// How one attempt of a job ended, as far as the state machine cares.
enum AttemptResult: Sendable, Hashable {
    case succeeded
    case failed(JobFailure)
    case timedOut
    case deadlineExceeded
    case stopped(StopReason)

    /// The outcome's name in metrics and spans.
    var outcome: String {
        switch self {
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .timedOut: "timed_out"
        case .deadlineExceeded: "deadline_exceeded"
        case .stopped: "stopped"
        }
    }
}

/// Why an attempt was stopped from outside.
enum StopReason: Sendable, Hashable {
    /// The job's owner cancelled it.
    case cancelled
    /// The service is shutting down; the job is left unfinished for another center.
    case shutdown
    /// The store says the lease is gone: another center took the job over, or it ended elsewhere.
    case leaseLost
}

/// The job center's scheduling and lifecycle rules, without I/O: the center's lifecycle (the one owner
/// of shutdown state), how many jobs it may claim from the store, what it does with a claimed job (run
/// it, or fail it as interrupted), what cancellation and a lost lease do in each phase, what an
/// attempt's outcome leads to (complete, fail, retry, discard, release).
///
/// The queue itself lives in the store (``JobStore/claimJobs(_:)``: fairness between users and the
/// per-user limit across centers); this machine bounds the center's own concurrency. The actor feeds it
/// events and performs the actions it returns.
struct JobStateMachine {
    struct Limits: Hashable {
        var maximumConcurrentJobs: Int
        var maximumConcurrentJobsPerUser: Int
    }

    enum Lifecycle: Hashable {
        /// Created; `run()` has not started. Submissions are accepted (they wait in the store).
        case idle
        /// Claiming and running jobs.
        case running
        /// Shutting down: no new jobs, nothing new starts; running jobs may finish.
        case draining
        /// `run()` returned. Nothing is accepted.
        case stopped
    }

    enum Phase: Hashable {
        case running
        /// A terminal outcome was decided (or the job was cancelled, or its lease lost, while running);
        /// its write is in flight or its attempt is still stopping.
        case finishing
    }

    private struct Job {
        var userID: String
        var phase: Phase
    }

    enum StartAction: Hashable {
        case start
        /// `run()` was called before: a center runs once.
        case alreadyRan
    }

    /// What the store said about a claimed job, for ``claimed(_:)``.
    struct ClaimFacts: Hashable {
        var id: JobID
        var userID: String
        /// The attempt this claim starts (``JobRecord/attempts`` after the claim).
        var attempt: Int
        var wasInterrupted: Bool
        var deadlinePassed: Bool
        var hasReadableInput: Bool
        var inputWasKept: Bool
        var kindCanResume: Bool
        var maximumAttempts: Int
    }

    enum ClaimAction: Hashable {
        /// Start the attempt.
        case run
        /// Record `FAILED` with this failure (fenced by the claim's lease); the job holds a slot until
        /// ``finished(_:)``.
        case fail(JobFailure)
        /// Shutting down: do not start it; the lease is released with the others.
        case release
    }

    enum CancelAction: Hashable {
        /// The center does not run this job (it may be queued or run elsewhere).
        case notActive
        /// The job is running: record it cancelled and stop its attempt.
        case stopRunning
        /// The job is already ending; nothing to do.
        case alreadyFinishing
    }

    enum LeaseLostAction: Hashable {
        /// Stop the attempt; write nothing more.
        case stopAttempt
        /// The job is already ending here; nothing to do.
        case ignore
    }

    enum AttemptAction: Hashable {
        /// Record `COMPLETED`.
        case complete
        /// Record `FAILED` with this failure.
        case fail(JobFailure)
        /// Keep `PROCESSING`, wait, then run attempt `nextAttempt`.
        case retry(after: Duration, nextAttempt: Int)
        /// The job ended elsewhere (cancelled, or its lease was lost): write nothing; free the worker.
        case discard
        /// The service is stopping: leave the job `PROCESSING` for another center; free the worker.
        case release
    }

    let limits: Limits
    let timeoutFailure: JobFailure
    let deadlineFailure: JobFailure
    private(set) var lifecycle: Lifecycle = .idle
    private var jobs: [JobID: Job] = [:]
    /// Jobs holding a worker (running or finishing).
    var runningCount: Int { jobs.count }

    init(limits: Limits, attemptTimeout: Duration = .seconds(300), deadline: Duration = .seconds(1800)) {
        self.timeoutFailure = Self.timeoutFailure(limit: attemptTimeout)
        self.deadlineFailure = Self.deadlineFailure(limit: deadline)
        self.limits = Limits(
            maximumConcurrentJobs: max(1, limits.maximumConcurrentJobs),
            maximumConcurrentJobsPerUser: max(1, limits.maximumConcurrentJobsPerUser)
        )
    }

    /// The jobs the center holds (running or finishing).
    var activeCount: Int { jobs.count }

    /// Whether no job holds a worker.
    var isIdle: Bool { jobs.isEmpty }

    /// Whether `submit` takes new jobs.
    var isAccepting: Bool { lifecycle == .idle || lifecycle == .running }

    func phase(of id: JobID) -> Phase? { jobs[id]?.phase }

    // MARK: Lifecycle

    mutating func start() -> StartAction {
        guard lifecycle == .idle else { return .alreadyRan }
        lifecycle = .running
        return .start
    }

    /// Stops claiming and starting jobs; returns whether this call began the shutdown.
    mutating func beginDraining() -> Bool {
        guard lifecycle == .running || lifecycle == .idle else { return false }
        lifecycle = .draining
        return true
    }

    /// `run()` ended.
    mutating func stopped() {
        lifecycle = .stopped
        jobs.removeAll()
    }

    // MARK: Claiming

    /// How many jobs to claim now: the free workers while running, otherwise none.
    var claimLimit: Int {
        guard lifecycle == .running else { return 0 }
        return max(0, limits.maximumConcurrentJobs - jobs.count)
    }

    /// Decides what to do with a job the store gave this center.
    mutating func claimed(_ facts: ClaimFacts) -> ClaimAction {
        guard lifecycle == .running, jobs[facts.id] == nil else { return .release }
        var reason: String?
        if !facts.inputWasKept {
            reason = "its input was not kept"
        } else if !facts.hasReadableInput {
            reason = "its stored input could not be read"
        } else if facts.deadlinePassed {
            reason = "its deadline has passed"
        } else if facts.wasInterrupted, !facts.kindCanResume {
            reason = "this kind of job cannot be resumed"
        } else if facts.attempt > facts.maximumAttempts {
            reason = "it was interrupted on every one of its \(facts.maximumAttempts) attempts"
        }
        if let reason {
            jobs[facts.id] = Job(userID: facts.userID, phase: .finishing)
            return .fail(Self.interruptedFailure(reason: reason))
        }
        jobs[facts.id] = Job(userID: facts.userID, phase: .running)
        return .run
    }

    // MARK: Cancellation and lost leases

    mutating func cancel(_ id: JobID) -> CancelAction {
        guard let job = jobs[id] else { return .notActive }
        switch job.phase {
        case .running:
            jobs[id]?.phase = .finishing
            return .stopRunning
        case .finishing:
            return .alreadyFinishing
        }
    }

    /// The store says this center's lease on the job is gone (taken over, cancelled elsewhere, deleted).
    mutating func leaseLost(_ id: JobID) -> LeaseLostAction {
        guard jobs[id]?.phase == .running else { return .ignore }
        jobs[id]?.phase = .finishing
        return .stopAttempt
    }

    // MARK: Attempts

    /// Decides what follows an attempt. `random` (0...1) places a retry's wait in its jitter band.
    mutating func attemptEnded(
        _ id: JobID,
        result: AttemptResult,
        attempt: Int,
        policy: JobRetryPolicy,
        now: ContinuousClock.Instant,
        deadline: ContinuousClock.Instant?,
        random: Double
    ) -> AttemptAction {
        guard let job = jobs[id] else { return .discard }
        if job.phase == .finishing {
            // Cancelled or lease lost while running: nothing more is written.
            release(id)
            return .discard
        }
        switch result {
        case .succeeded:
            jobs[id]?.phase = .finishing
            return .complete
        case .stopped(.shutdown):
            release(id)
            return .release
        case .stopped(.cancelled), .stopped(.leaseLost):
            // These stops always go through `cancel` or `leaseLost`, which mark the job finishing.
            release(id)
            return .discard
        case .deadlineExceeded:
            jobs[id]?.phase = .finishing
            return .fail(deadlineFailure)
        case .timedOut:
            if policy.retriesTimedOutAttempts, attempt < policy.maximumAttempts,
                let action = retry(
                    afterAttempt: attempt,
                    retryAfter: nil,
                    policy: policy,
                    now: now,
                    deadline: deadline,
                    random: random
                )
            {
                return action
            }
            jobs[id]?.phase = .finishing
            return .fail(timeoutFailure)
        case .failed(let failure):
            if failure.isRetryable, attempt < policy.maximumAttempts,
                let action = retry(
                    afterAttempt: attempt,
                    retryAfter: failure.retryAfter,
                    policy: policy,
                    now: now,
                    deadline: deadline,
                    random: random
                )
            {
                return action
            }
            jobs[id]?.phase = .finishing
            return .fail(failure)
        }
    }

    /// The job's terminal record was written (or it was released): forget it and free its worker.
    mutating func finished(_ id: JobID) {
        release(id)
    }

    /// The jobs that still hold a worker.
    var runningJobs: [JobID] { Array(jobs.keys) }

    // MARK: Private

    private func retry(
        afterAttempt attempt: Int,
        retryAfter: Duration?,
        policy: JobRetryPolicy,
        now: ContinuousClock.Instant,
        deadline: ContinuousClock.Instant?,
        random: Double
    ) -> AttemptAction? {
        let wait = policy.backoff(afterAttempt: attempt, retryAfter: retryAfter, random: random)
        if let deadline, now.advanced(by: wait) >= deadline { return nil }
        return .retry(after: wait, nextAttempt: attempt + 1)
    }

    private mutating func release(_ id: JobID) {
        jobs.removeValue(forKey: id)
    }

    /// The failure of a job that cannot run again after an interruption.
    static func interruptedFailure(reason: String) -> JobFailure {
        JobFailure(
            code: .interrupted,
            message:
                "The job was interrupted when the service stopped and could not be resumed (\(reason)). Submit it again."
        )
    }

    /// The failure of an attempt that ran out of time.
    static func timeoutFailure(limit: Duration) -> JobFailure {
        JobFailure(
            code: .timedOut,
            message:
                "The job took longer than its time limit of \(describe(limit)) and was stopped. Try again; if it keeps happening, shorten the input or ask the operator to raise the limit."
        )
    }

    /// The failure of a job that ran past its deadline.
    static func deadlineFailure(limit: Duration) -> JobFailure {
        JobFailure(
            code: .deadlineExceeded,
            message:
                "The job could not finish within \(describe(limit)) of being submitted and was stopped. Try again later."
        )
    }

    private static func describe(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 != 0 { return "\(milliseconds) milliseconds" }
        let seconds = milliseconds / 1000
        return seconds == 1 ? "1 second" : "\(seconds) seconds"
    }
}
