import DequeModule
import Foundation

/// How one attempt of a job ended, as far as the state machine cares.
enum AttemptResult: Sendable, Hashable {
    case succeeded
    case failed(JobFailure)
    case timedOut
    case deadlineExceeded
    case stopped(StopReason)
}

/// Why an attempt was stopped from outside.
enum StopReason: Sendable, Hashable {
    /// The job's owner cancelled it.
    case cancelled
    /// The service is shutting down; the job is left unfinished for the next start.
    case shutdown
}

/// The job center's scheduling and lifecycle rules, without I/O: which job runs next (bounded
/// concurrency, a per-user limit, round-robin between users), what cancellation does in each phase,
/// what an attempt's outcome leads to (complete, fail, retry, discard, release), and shutdown.
///
/// The actor feeds it events and performs the actions it returns.
struct JobStateMachine {
    struct Limits: Hashable {
        var maximumConcurrentJobs: Int
        var maximumConcurrentJobsPerUser: Int
    }

    enum Lifecycle: Hashable {
        /// Taking new jobs and starting them.
        case accepting
        /// Shutting down: no new jobs, nothing new starts; running jobs may finish.
        case draining
    }

    enum Phase: Hashable {
        case queued
        case running
        /// A terminal outcome was decided (or the job was cancelled while running); its write is in flight
        /// or its attempt is still stopping.
        case finishing
    }

    private struct Job {
        var userID: String
        var phase: Phase
    }

    enum EnqueueAction: Hashable {
        case enqueued
        case rejected
    }

    enum CancelAction: Hashable {
        /// The center does not hold this job (it may still be unfinished in the store).
        case notActive
        /// The job was waiting: record it cancelled; nothing runs.
        case cancelQueued
        /// The job is running: record it cancelled and stop its attempt.
        case stopRunning
        /// The job is already ending; nothing to do.
        case alreadyFinishing
    }

    enum AttemptAction: Hashable {
        /// Record `COMPLETED`.
        case complete
        /// Record `FAILED` with this failure.
        case fail(JobFailure)
        /// Keep `PROCESSING`, wait, then run attempt `nextAttempt`.
        case retry(after: Duration, nextAttempt: Int)
        /// The job was cancelled while running: its `CANCELLED` record is already written; free the worker.
        case discard
        /// The service is stopping: leave the job `PROCESSING` for the next start; free the worker.
        case release
    }

    let limits: Limits
    let timeoutFailure: JobFailure
    let deadlineFailure: JobFailure
    private(set) var lifecycle: Lifecycle = .accepting
    private var jobs: [JobID: Job] = [:]
    private var pending: [String: Deque<JobID>] = [:]
    private var readyUsers: Deque<String> = []
    private var readySet: Set<String> = []
    private var runningPerUser: [String: Int] = [:]
    /// Jobs holding a worker (running or finishing after having run).
    private(set) var runningCount = 0

    init(limits: Limits, attemptTimeout: Duration = .seconds(300), deadline: Duration = .seconds(1800)) {
        self.timeoutFailure = Self.timeoutFailure(limit: attemptTimeout)
        self.deadlineFailure = Self.deadlineFailure(limit: deadline)
        self.limits = Limits(
            maximumConcurrentJobs: max(1, limits.maximumConcurrentJobs),
            maximumConcurrentJobsPerUser: max(1, limits.maximumConcurrentJobsPerUser)
        )
    }

    /// The jobs the center holds (queued, running or finishing).
    var activeCount: Int { jobs.count }

    /// Whether no job holds a worker.
    var isIdle: Bool { runningCount == 0 }

    func phase(of id: JobID) -> Phase? { jobs[id]?.phase }

    // MARK: Submission and dispatch

    mutating func enqueue(_ id: JobID, userID: String) -> EnqueueAction {
        guard lifecycle == .accepting else { return .rejected }
        guard jobs[id] == nil else { return .enqueued }
        jobs[id] = Job(userID: userID, phase: .queued)
        pending[userID, default: []].append(id)
        markReadyIfPossible(userID)
        return .enqueued
    }

    /// Starts as many queued jobs as the limits allow (at most `maximum`), taking users in turn.
    mutating func takeRunnable(maximum: Int = .max) -> [JobID] {
        guard lifecycle == .accepting else { return [] }
        var started: [JobID] = []
        while runningCount < limits.maximumConcurrentJobs, started.count < maximum, let userID = readyUsers.popFirst() {
            readySet.remove(userID)
            guard let id = popQueued(of: userID) else { continue }
            jobs[id]?.phase = .running
            runningCount += 1
            runningPerUser[userID, default: 0] += 1
            started.append(id)
            markReadyIfPossible(userID)
        }
        return started
    }

    // MARK: Cancellation

    mutating func cancel(_ id: JobID) -> CancelAction {
        guard let job = jobs[id] else { return .notActive }
        switch job.phase {
        case .queued:
            jobs.removeValue(forKey: id)
            pending[job.userID]?.removeAll { $0 == id }
            if pending[job.userID]?.isEmpty == true { pending.removeValue(forKey: job.userID) }
            return .cancelQueued
        case .running:
            jobs[id]?.phase = .finishing
            return .stopRunning
        case .finishing:
            return .alreadyFinishing
        }
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
            // Cancelled while running: the cancellation already wrote the terminal record.
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
        case .stopped(.cancelled):
            // A stop for cancellation always goes through `cancel`, which marks the job finishing.
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

    // MARK: Shutdown

    /// Stops accepting and starting jobs. Returns the queued jobs, which are dropped from memory and
    /// stay unfinished in the store for the next start.
    mutating func beginDraining() -> [JobID] {
        guard lifecycle == .accepting else { return [] }
        lifecycle = .draining
        var dropped: [JobID] = []
        for (id, job) in jobs where job.phase == .queued {
            dropped.append(id)
        }
        for id in dropped { jobs.removeValue(forKey: id) }
        pending.removeAll()
        readyUsers.removeAll()
        readySet.removeAll()
        return dropped
    }

    /// The jobs that still hold a worker.
    var runningJobs: [JobID] {
        jobs.compactMap { $0.value.phase == .queued ? nil : $0.key }
    }

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
        guard let job = jobs.removeValue(forKey: id) else { return }
        guard job.phase != .queued else { return }
        runningCount -= 1
        let remaining = (runningPerUser[job.userID] ?? 1) - 1
        if remaining > 0 {
            runningPerUser[job.userID] = remaining
        } else {
            runningPerUser.removeValue(forKey: job.userID)
        }
        markReadyIfPossible(job.userID)
    }

    private mutating func popQueued(of userID: String) -> JobID? {
        while let id = pending[userID]?.popFirst() {
            if pending[userID]?.isEmpty == true { pending.removeValue(forKey: userID) }
            if jobs[id]?.phase == .queued { return id }
        }
        pending.removeValue(forKey: userID)
        return nil
    }

    private mutating func markReadyIfPossible(_ userID: String) {
        guard lifecycle == .accepting, !readySet.contains(userID), pending[userID]?.isEmpty == false,
            runningPerUser[userID, default: 0] < limits.maximumConcurrentJobsPerUser
        else { return }
        readySet.insert(userID)
        readyUsers.append(userID)
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
