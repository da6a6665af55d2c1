import Foundation
import Tracing
import Logging
import ServiceLifecycle

extension JobCenter {
    /// One job handed to a worker.
    struct Execution: Sendable {
        let id: JobID
        let userID: String
        let input: Kind.Input
        let attempt: Int
        let firstSignal: AsyncEvent<AttemptSignal>
        let deadline: ContinuousClock.Instant?
        /// The submitter's trace context (``JobRecord/traceContext``): each attempt's span joins its trace.
        let traceContext: [String: String]?
    }

    enum DispatchStep: Sendable {
        case claim(limit: Int)
        /// Every worker is busy: wait for one to be free.
        case full
        case stop
    }

    enum FollowUp: Sendable {
        case done
        case retry(after: Duration, nextAttempt: Int, signal: AsyncEvent<AttemptSignal>)
    }

    /// Runs jobs until graceful shutdown (or until the task is cancelled).
    ///
    /// It claims runnable jobs from the store as workers are free (users taking turns, within the
    /// per-user limit across every center sharing the store), including jobs whose center stopped or
    /// died and whose lease lapsed; it renews the leases of its jobs every
    /// ``JobCenterConfiguration/heartbeatInterval``, follows the store's change notifications (with a
    /// poll every ``JobCenterConfiguration/pollInterval`` as a fallback) and prunes expired jobs every
    /// ``JobRetention/pruneInterval``. On graceful shutdown it stops claiming, waits up to
    /// ``JobCenterConfiguration/shutdownGracePeriod`` for running jobs, stops the rest and releases their
    /// leases, so that another center (or the next start) runs them at once. Cancelling the task stops
    /// running jobs at once, with the same result.
    ///
    /// - Throws: ``JobError/Code/invalidConfiguration`` if called twice.
    public nonisolated func run() async throws {
        try await start()
        await runStarted()
    }

    /// The body of ``run()`` once ``start()`` has marked the center running: split so that
    /// ``withRunningJobCenter(_:isolation:_:)`` can start the center before its body submits anything.
    nonisolated func runStarted() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { workers in
                await withDiscardingTaskGroup { helpers in
                    helpers.addTask { await self.maintain() }
                    helpers.addTask { await self.monitor.run() }
                    helpers.addTask {
                        if await self.shutdownRequest.wait() != nil { await self.beginShutdown() }
                    }
                    if let changes = self.store.changes() {
                        helpers.addTask { await self.follow(changes) }
                    }
                    await self.dispatch(into: &workers)
                    await self.drain()
                    self.monitor.stop()
                    helpers.cancelAll()
                }
            }
        } onGracefulShutdown: {
            self.shutdownRequest.set(())
        }
        await finishRunning()
    }

    /// Asks a running center to shut down gracefully, as a `ServiceGroup` does; useful without one.
    public nonisolated func triggerGracefulShutdown() {
        shutdownRequest.set(())
    }

    // MARK: Lifecycle

    func start() throws {
        guard machine.start() == .start else {
            throw JobError(
                code: .invalidConfiguration,
                message: "A job center runs only once; create a new one to run again."
            )
        }
        logger.info(
            "Job center starting",
            metadata: ["jobs.kind": "\(Kind.identifier)", "jobs.instance": "\(instanceID)"]
        )
    }

    private func beginShutdown() {
        guard machine.beginDraining() else { return }
        logger.info("Job center shutting down", metadata: ["jobs.running": "\(machine.runningCount)"])
        wakeup.signal()
        drainWakeup.signal()
    }

    private func finishRunning() async {
        machine.stopped()
        active.removeAll()
        var released = 0
        do {
            released = try await store.releaseLeases(owner: instanceID)
        } catch {
            logger.warning(
                "Could not release job leases; other centers take the jobs over when the leases lapse",
                metadata: ["error": "\(error)"]
            )
        }
        logger.info("Job center stopped", metadata: ["jobs.released": "\(released)"])
    }

    // MARK: Claiming

    private nonisolated func dispatch(into workers: inout DiscardingTaskGroup) async {
        while true {
            switch await nextDispatch() {
            case .stop:
                return
            case .full:
                await wakeup.wait()
            case .claim(let limit):
                let request = JobClaimRequest(
                    kind: Kind.identifier,
                    owner: instanceID,
                    limit: limit,
                    maximumRunningPerUser: configuration.maximumConcurrentJobsPerUser,
                    leaseDuration: configuration.leaseDuration,
                    now: Timestamp.now()
                )
                let claims: [JobClaim]
                do {
                    claims = try await store.claimJobs(request)
                } catch {
                    logger.warning("Could not claim jobs; trying again", metadata: ["error": "\(error)"])
                    await wakeup.wait(until: ContinuousClock.now.advanced(by: configuration.pollInterval))
                    continue
                }
                for execution in await accept(claims) {
                    workers.addTask { await self.execute(execution) }
                }
                if claims.count < limit {
                    // Nothing more to claim now: sleep until a submission, a notification or the poll.
                    await wakeup.wait(until: ContinuousClock.now.advanced(by: configuration.pollInterval))
                }
            }
        }
    }

    private func nextDispatch() -> DispatchStep {
        if Task.isCancelled {
            beginShutdown()
            return .stop
        }
        guard machine.lifecycle == .running else { return .stop }
        let limit = machine.claimLimit
        return limit > 0 ? .claim(limit: min(limit, 256)) : .full
    }

    /// Takes the claimed jobs: starts those that can run, fails those that cannot.
    private func accept(_ claims: [JobClaim]) async -> [Execution] {
        var executions: [Execution] = []
        for claim in claims {
            let record = claim.record
            let lease = claim.lease
            var input: Kind.Input?
            if let data = claim.input { input = try? Kind.decodeInput(data) }
            let action = machine.claimed(
                .init(
                    id: record.id,
                    userID: record.userID,
                    attempt: record.attempts,
                    wasInterrupted: claim.wasInterrupted,
                    deadlinePassed: record.deadline.map { $0 <= Timestamp.now() } ?? false,
                    hasReadableInput: input != nil,
                    inputWasKept: claim.input != nil,
                    kindCanResume: kind.canResumeAfterInterruption,
                    maximumAttempts: configuration.retry.maximumAttempts
                )
            )
            switch action {
            case .release:
                continue
            case .fail(let failure):
                active[record.id] = ActiveJob(record: record, lease: lease, deadlineInstant: nil)
                let failed = record.applying(.failed(failure), at: Timestamp.now())
                active[record.id]?.record = failed
                if (try? await write(failed, terminal: true, condition: .leased(lease))) == true {
                    metrics.jobFailed(failure.code)
                }
                logger.notice(
                    "Failed an interrupted job that could not run again",
                    metadata: [
                        "job.id": "\(record.id)", "user.id": "\(record.userID)", "job.attempts": "\(record.attempts)",
                    ]
                )
                jobEnded(record.id)
            case .run:
                guard let input else { continue }
                var job = ActiveJob(
                    record: record,
                    lease: lease,
                    deadlineInstant: record.deadline.map(Self.instant(for:))
                )
                let signal = job.makeAttemptSignal()
                active[record.id] = job
                metrics.record(running: active.count)
                if claim.wasInterrupted {
                    let resumed = record.applying(.resumed, at: Timestamp.now())
                    active[record.id]?.record = resumed
                    _ = try? await write(resumed, terminal: false, condition: .leased(lease))
                    logger.info(
                        "Resuming an interrupted job",
                        metadata: [
                            "job.id": "\(record.id)", "user.id": "\(record.userID)",
                            "job.attempt": "\(record.attempts)",
                        ]
                    )
                }
                executions.append(
                    Execution(
                        id: record.id,
                        userID: record.userID,
                        input: input,
                        attempt: record.attempts,
                        firstSignal: signal,
                        deadline: job.deadlineInstant,
                        traceContext: record.traceContext
                    )
                )
            }
        }
        return executions
    }

    /// Waits for running jobs to end, at most for the grace period, then stops the rest.
    private nonisolated func drain() async {
        let graceDeadline = ContinuousClock.now.advanced(by: configuration.shutdownGracePeriod)
        while await self.runningJobCount > 0 {
            if Task.isCancelled || ContinuousClock.now >= graceDeadline {
                await self.stopRunningJobs()
                return
            }
            await drainWakeup.wait(until: graceDeadline)
        }
    }

    private func stopRunningJobs() {
        let running = machine.runningJobs
        if !running.isEmpty {
            logger.info(
                "Stopping running jobs; their leases are released for another center",
                metadata: ["jobs.running": "\(running.count)"]
            )
        }
        for id in running { active[id]?.stop(.shutdown) }
    }

    // MARK: Executing

    private nonisolated func execute(_ execution: Execution) async {
        var attempt = execution.attempt
        var signal = execution.firstSignal
        while true {
            let started = ContinuousClock.now
            let (result, output) = await runAttempt(execution, attempt: attempt, signal: signal)
            metrics.attemptEnded(result, after: ContinuousClock.now - started)
            let followUp = await attemptEnded(execution.id, attempt: attempt, result: result, output: output)
            guard case .retry(let wait, let next, let nextSignal) = followUp else { return }
            signal = nextSignal
            if case .stop(let reason) = await nextSignal.wait(until: ContinuousClock.now.advanced(by: wait)) {
                _ = await attemptEnded(execution.id, attempt: next, result: .stopped(reason), output: nil)
                return
            }
            if Task.isCancelled {
                _ = await attemptEnded(execution.id, attempt: next, result: .stopped(.shutdown), output: nil)
                return
            }
            attempt = next
        }
    }

    /// One attempt in a span of its own (named after the job kind, a consumer span in the submitter's
    /// trace), with the job, the attempt and the outcome as attributes; the kind's own spans are its
    /// children.
    private nonisolated func runAttempt(
        _ execution: Execution,
        attempt: Int,
        signal: AsyncEvent<AttemptSignal>
    ) async -> (AttemptResult, JobOutput<Kind.Details>?) {
        let span = startSpan(Kind.identifier, context: TraceContext.extract(execution.traceContext), ofKind: .consumer)
        defer { span.end() }
        span.attributes["job.id"] = execution.id.description
        span.attributes["job.kind"] = Kind.identifier
        span.attributes["job.attempt"] = attempt
        let event = await ServiceContext.withValue(span.context) {
            await runAttemptInSpan(execution, attempt: attempt, signal: signal)
        }
        span.attributes["job.outcome"] = event.0.outcome
        if case .failed(let failure) = event.0 {
            span.attributes["job.error_code"] = failure.code.identifier
            span.setStatus(SpanStatus(code: .error))
        } else if case .succeeded = event.0 {
            span.setStatus(SpanStatus(code: .ok))
        } else {
            span.setStatus(SpanStatus(code: .error))
        }
        return event
    }

    private nonisolated func runAttemptInSpan(
        _ execution: Execution,
        attempt: Int,
        signal: AsyncEvent<AttemptSignal>
    ) async -> (AttemptResult, JobOutput<Kind.Details>?) {
        let attemptDeadline = ContinuousClock.now.advanced(by: configuration.attemptTimeout)
        let deadline = execution.deadline.map { min($0, attemptDeadline) } ?? attemptDeadline
        let hitsJobDeadline = execution.deadline.map { $0 <= attemptDeadline } ?? false
        let timer = monitor.schedule(signal, signal: hitsJobDeadline ? .deadlineExceeded : .timedOut, at: deadline)
        defer { monitor.cancel(timer) }
        var jobLogger = logger
        jobLogger[metadataKey: "job.id"] = "\(execution.id)"
        jobLogger[metadataKey: "user.id"] = "\(execution.userID)"
        let id = execution.id
        let context = JobContext(
            jobID: id,
            userID: execution.userID,
            attempt: attempt,
            deadline: deadline,
            logger: jobLogger,
            stageReporter: { [self] message in await self.reportStage(id, message: message) }
        )
        let kind = self.kind
        let input = execution.input
        typealias Event = (AttemptResult, JobOutput<Kind.Details>?)
        return await withTaskCancellationHandler {
            await withTaskGroup(of: Event?.self) { group in
                group.addTask {
                    let event: Event
                    do {
                        event = (AttemptResult.succeeded, try await kind.run(input, context: context))
                    } catch {
                        event = (AttemptResult.failed(kind.failure(for: error)), nil)
                    }
                    return event
                }
                group.addTask {
                    guard let received = await signal.wait() else { return nil }
                    let event: Event = (Self.result(for: received), nil)
                    return event
                }
                var first: Event?
                while first == nil, let next = await group.next() {
                    first = next
                }
                group.cancelAll()
                guard var event = first else {
                    let stopped: Event = (Self.result(for: signal.value ?? .stop(.shutdown)), nil)
                    return stopped
                }
                // A stop or timeout makes the work fail with cancellation; report the cause, not that failure.
                if case .failed = event.0, let received = signal.value { event = (Self.result(for: received), nil) }
                return event
            }
        } onCancel: {
            signal.set(.stop(.shutdown))
        }
    }

    private static func result(for signal: AttemptSignal) -> AttemptResult {
        switch signal {
        case .stop(let reason): .stopped(reason)
        case .timedOut: .timedOut
        case .deadlineExceeded: .deadlineExceeded
        }
    }

    private func reportStage(_ id: JobID, message: String) async {
        guard machine.phase(of: id) == .running, let job = active[id] else { return }
        let record = job.record.applying(.progressed(message: message), at: Timestamp.now())
        active[id]?.record = record
        do {
            _ = try await write(record, terminal: false, condition: .leased(job.lease))
        } catch {
            // Logged by `write`; the job goes on and its next write tries again.
        }
    }

    private func attemptEnded(
        _ id: JobID,
        attempt: Int,
        result: AttemptResult,
        output: JobOutput<Kind.Details>?
    ) async -> FollowUp {
        guard let job = active[id] else { return .done }
        let action = machine.attemptEnded(
            id,
            result: result,
            attempt: attempt,
            policy: configuration.retry,
            now: .now,
            deadline: job.deadlineInstant,
            random: Double.random(in: 0...1)
        )
        switch action {
        case .complete:
            var details: String?
            if let value = output?.details {
                do {
                    details = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
                } catch {
                    logger.error(
                        "Could not encode a job's result details",
                        metadata: ["job.id": "\(id)", "user.id": "\(job.record.userID)"]
                    )
                }
            }
            let record = job.record.applying(
                .completed(
                    message: output?.message ?? kind.completedMessage,
                    result: output?.artifact?.resultDescription,
                    details: details
                ),
                at: Timestamp.now()
            )
            if await finish(id, record: record, result: output?.artifact?.data) {
                metrics.jobCompleted()
                logger.debug(
                    "Job completed",
                    metadata: ["job.id": "\(id)", "user.id": "\(record.userID)", "job.attempts": "\(attempt)"]
                )
            }
            return .done
        case .fail(let failure):
            let record = job.record.applying(.failed(failure), at: Timestamp.now())
            if await finish(id, record: record, result: nil) {
                metrics.jobFailed(failure.code)
                logger.info(
                    "Job failed",
                    metadata: [
                        "job.id": "\(id)", "user.id": "\(record.userID)", "job.error_code": "\(failure.code)",
                        "job.attempts": "\(attempt)",
                    ]
                )
            }
            return .done
        case .retry(let wait, let next):
            let record = job.record.applying(
                .retrying(nextAttempt: next, maximumAttempts: configuration.retry.maximumAttempts),
                at: Timestamp.now()
            )
            active[id]?.record = record
            let signal = active[id]?.makeAttemptSignal() ?? AsyncEvent()
            do {
                _ = try await write(record, terminal: false, condition: .leased(job.lease))
            } catch {
                // Logged by `write`.
            }
            logger.info(
                "Job attempt failed; retrying",
                metadata: [
                    "job.id": "\(id)", "user.id": "\(job.record.userID)", "job.attempt": "\(attempt)",
                    "job.retry_in_ms":
                        "\(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)",
                ]
            )
            return .retry(after: wait, nextAttempt: next, signal: signal)
        case .discard, .release:
            jobEnded(id)
            return .done
        }
    }

    /// Writes the terminal record (and result) under the job's lease, frees the worker. Returns whether
    /// the record was stored.
    private func finish(_ id: JobID, record: JobRecord, result: Data?) async -> Bool {
        guard let lease = active[id]?.lease else { return false }
        active[id]?.record = record
        var stored = false
        do {
            stored = try await writeOutcome(record, result: result, lease: lease)
        } catch  where Self.isRetryable(error) {
            // The store stayed unreachable: the job keeps its lease until it lapses, then runs again.
            logger.warning(
                "Could not store a job's outcome while the store was unreachable; the job runs again when its lease lapses",
                metadata: ["job.id": "\(id)", "user.id": "\(record.userID)"]
            )
        } catch {
            // Never leave the job PROCESSING: try to record the failure instead.
            let failed = record.applying(
                .failed(
                    JobFailure(
                        code: .internalError,
                        message:
                            "The job finished but its result could not be saved. Try again; if it keeps failing, the operator should check the job store."
                    )
                ),
                at: Timestamp.now()
            )
            active[id]?.record = failed
            stored = (try? await write(failed, terminal: true, condition: .leased(lease))) ?? false
        }
        jobEnded(id)
        return stored
    }

    /// Writes a terminal record under the job's lease. While the store is unreachable
    /// (``RetryableJobStoreError``) it writes again every poll interval (at most every second), until
    /// the lease may have lapsed or the job is stopped (shutdown); then it rethrows.
    private func writeOutcome(_ record: JobRecord, result: Data?, lease: JobLease) async throws -> Bool {
        let giveUp = ContinuousClock.now.advanced(by: configuration.leaseDuration)
        let pause = min(max(configuration.pollInterval, .milliseconds(10)), .seconds(1))
        while true {
            do {
                return try await write(record, terminal: true, result: result, condition: .leased(lease))
            } catch  where Self.isRetryable(error) && !Task.isCancelled && active[lease.jobID]?.stopReason == nil {
                if ContinuousClock.now.advanced(by: pause) >= giveUp { throw error }
                try? await Task.sleep(for: pause)
            }
        }
    }

    /// Whether `error`, or the error it wraps, is a store's ``RetryableJobStoreError`` that is retryable.
    static func isRetryable(_ error: any Error) -> Bool {
        var current: (any Error)? = error
        while let error = current {
            if let error = error as? any RetryableJobStoreError { return error.isRetryable }
            current = (error as? JobError)?.cause
        }
        return false
    }

    /// Forgets a job this center no longer runs and frees its worker.
    private func jobEnded(_ id: JobID) {
        machine.finished(id)
        active.removeValue(forKey: id)
        metrics.record(running: active.count)
        wakeup.signal()
        drainWakeup.signal()
    }

    // MARK: Following the store

    /// Wakes idle workers when jobs become runnable, and delivers other processes' changes to local
    /// subscribers and to the jobs this center runs.
    private nonisolated func follow(_ changes: AsyncStream<JobStoreChange>) async {
        for await change in changes {
            guard change.kind == Kind.identifier else { continue }
            switch change.event {
            case .runnable:
                wakeup.signal()
            case .changed, .deleted:
                if change.event == .deleted {
                    hub.end(change.jobID)
                } else if hub.wants(change.jobID, revision: change.revision) {
                    await refresh(change.jobID, userID: change.userID)
                }
                await changedElsewhere(change)
            }
        }
    }

    /// Reads a subscribed job again and delivers it if it is newer.
    private nonisolated func refresh(_ id: JobID, userID: String) async {
        guard let record = try? await store.record(for: id, userID: userID) else { return }
        hub.publish(record)
    }

    /// A job this center runs was changed by someone else: if it ended (or is gone), stop the attempt.
    private func changedElsewhere(_ change: JobStoreChange) async {
        guard let job = active[change.jobID], machine.phase(of: change.jobID) == .running else { return }
        guard change.event == .deleted || change.revision > job.record.revision else { return }
        let record = try? await store.record(for: change.jobID, userID: change.userID)
        if record == nil || record?.status.isTerminal == true || record?.fencingToken != job.lease.fencingToken {
            leaseLost(job.lease)
        }
    }

    // MARK: Maintenance

    /// Renews leases, polls subscribed jobs and prunes expired jobs until shutdown.
    private nonisolated func maintain() async {
        let pruneInterval = max(configuration.retention.pruneInterval, .milliseconds(10))
        let heartbeatInterval = max(configuration.heartbeatInterval, .milliseconds(10))
        let pollInterval = max(configuration.pollInterval, .milliseconds(10))
        var nextPrune = ContinuousClock.now.advanced(by: pruneInterval)
        var nextHeartbeat = ContinuousClock.now.advanced(by: heartbeatInterval)
        var nextPoll = ContinuousClock.now.advanced(by: pollInterval)
        while !Task.isCancelled {
            try? await Task.sleep(until: min(nextPrune, nextHeartbeat, nextPoll), clock: .continuous)
            if Task.isCancelled { return }
            let now = ContinuousClock.now
            if now >= nextHeartbeat {
                nextHeartbeat = now.advanced(by: heartbeatInterval)
                await renewLeases()
                if metrics.isRecording, let unfinished = try? await store.unfinishedJobCount() {
                    metrics.record(unfinished: unfinished)
                }
            }
            if now >= nextPoll {
                nextPoll = now.advanced(by: pollInterval)
                for (id, userID) in hub.subscribedJobs { await refresh(id, userID: userID) }
            }
            if now >= nextPrune {
                nextPrune = now.advanced(by: pruneInterval)
                do {
                    try await prune()
                } catch {
                    logger.warning("Pruning failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    private func renewLeases() async {
        let leases = active.values.map(\.lease)
        guard !leases.isEmpty else { return }
        do {
            let lost = try await store.renewLeases(
                leases,
                leaseDuration: configuration.leaseDuration,
                now: Timestamp.now()
            )
            for lease in lost { leaseLost(lease) }
        } catch {
            logger.warning("Could not renew job leases", metadata: ["error": "\(error)"])
        }
    }
}

/// Runs a job center while `body` runs, then shuts it down gracefully and waits for its
/// ``JobCenter/run()`` to end.
///
/// For programs that run jobs in process without a `ServiceGroup`, such as a command-line tool:
///
/// ```swift
/// try await withRunningJobCenter(center) { center in
///     let submitted = try await center.submit(input, userID: "local")
///     for await report in try await center.updates(of: submitted.jobID, userID: "local") {
///         print("\(report.status): \(report.message)")
///     }
/// }
/// ```
///
/// If `body` throws, the center is cancelled instead (running jobs stay unfinished) and the error is rethrown.
public func withRunningJobCenter<Kind: JobKind, Result>(
    _ center: JobCenter<Kind>,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (JobCenter<Kind>) async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self, returning: Result.self, isolation: isolation) { group in
        // Started here, not in the child task, so that a job the body submits at once goes to a running center.
        try await center.start()
        group.addTask { await center.runStarted() }
        do {
            let result = try await body(center)
            center.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}
