import Foundation
import Logging
import ServiceLifecycle

extension JobCenter {
    /// One job handed to a worker.
    struct Execution: Sendable {
        let id: JobID
        let userID: String
        let input: Kind.Input
        let firstSignal: AsyncEvent<AttemptSignal>
        let deadline: ContinuousClock.Instant?
    }

    enum DispatchStep: Sendable {
        case start([Execution])
        case idle
        case stop
    }

    enum FollowUp: Sendable {
        case done
        case retry(after: Duration, nextAttempt: Int, signal: AsyncEvent<AttemptSignal>)
    }

    /// Runs jobs until graceful shutdown (or until the task is cancelled).
    ///
    /// On start it resumes the jobs a previous process left unfinished in the store (or fails them with
    /// ``JobFailure/Code/interrupted``). It then starts queued jobs within the limits, prunes expired jobs
    /// every ``JobRetention/pruneInterval`` and renews leases. On graceful shutdown it stops taking jobs,
    /// waits up to ``JobCenterConfiguration/shutdownGracePeriod`` for running jobs, stops the rest, and
    /// returns; unfinished jobs stay `PROCESSING` in the store for the next start. Cancelling the task
    /// stops running jobs at once, with the same result.
    ///
    /// - Throws: ``JobError/Code/invalidConfiguration`` if called twice, or a store error during recovery.
    public nonisolated func run() async throws {
        try await start()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.maintain() }
                group.addTask { await self.monitor.run() }
                dispatching: while true {
                    switch await self.nextDispatch() {
                    case .start(let executions):
                        for execution in executions {
                            group.addTask { await self.execute(execution) }
                        }
                    case .idle:
                        await self.wakeup.wait()
                    case .stop:
                        break dispatching
                    }
                }
                await self.drain()
                self.monitor.stop()
            }
        } onGracefulShutdown: {
            self.shutdownRequested.set(true)
            self.wakeup.signal()
        }
        await finishRunning()
    }

    /// Asks a running center to shut down gracefully, as a `ServiceGroup` does; useful without one.
    public nonisolated func triggerGracefulShutdown() {
        shutdownRequested.set(true)
        wakeup.signal()
    }

    // MARK: Lifecycle

    private func start() async throws {
        guard runState == .notStarted else {
            throw JobError(
                code: .invalidConfiguration,
                message: "A job center runs only once; create a new one to run again."
            )
        }
        runState = .running
        logger.info(
            "Job center starting",
            metadata: ["jobs.kind": "\(Kind.identifier)", "jobs.instance": "\(instanceID)"]
        )
        try await recoverInterruptedJobs()
        wakeup.signal()
    }

    private func finishRunning() {
        runState = .finished
        let left = active.count
        active.removeAll()
        logger.info("Job center stopped", metadata: ["jobs.leftUnfinished": "\(left)"])
    }

    private func nextDispatch() -> DispatchStep {
        if shutdownRequested.value != nil || Task.isCancelled {
            if machine.lifecycle == .accepting {
                let dropped = machine.beginDraining()
                for id in dropped { active.removeValue(forKey: id) }
                logger.info(
                    "Job center shutting down",
                    metadata: ["jobs.running": "\(machine.runningCount)", "jobs.leftQueued": "\(dropped.count)"]
                )
            }
            return .stop
        }
        let ids = machine.takeRunnable(maximum: 256)
        guard !ids.isEmpty else { return .idle }
        var executions: [Execution] = []
        executions.reserveCapacity(ids.count)
        for id in ids {
            guard var job = active[id] else { continue }
            job.record.attempts += 1
            let signal = job.makeAttemptSignal()
            active[id] = job
            executions.append(
                Execution(
                    id: id,
                    userID: job.record.userID,
                    input: job.input,
                    firstSignal: signal,
                    deadline: job.deadlineInstant
                )
            )
        }
        return .start(executions)
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
                "Stopping running jobs; they stay unfinished for the next start",
                metadata: ["jobs.running": "\(running.count)"]
            )
        }
        for id in running { active[id]?.stop(.shutdown) }
    }

    // MARK: Executing

    private nonisolated func execute(_ execution: Execution) async {
        var attempt = 1
        var signal = execution.firstSignal
        while true {
            let (result, output) = await runAttempt(execution, attempt: attempt, signal: signal)
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
            await attemptStarting(execution.id, attempt: next)
            attempt = next
        }
    }

    private nonisolated func runAttempt(
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

    private func attemptStarting(_ id: JobID, attempt: Int) {
        active[id]?.record.attempts = attempt
    }

    private func reportStage(_ id: JobID, message: String) async {
        guard machine.phase(of: id) == .running, var record = active[id]?.record else { return }
        record.message = message
        record.updatedAt = Timestamp.now()
        record.revision += 1
        active[id]?.record = record
        do {
            try await store.update(record)
        } catch {
            logger.warning("Could not store a job's stage", metadata: ["job.id": "\(id)", "error": "\(error)"])
        }
        hub.publish(record)
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
            var record = job.record
            let now = Timestamp.now()
            record.status = .completed
            record.message = output?.message ?? kind.completedMessage
            record.result = output?.artifact?.resultDescription
            record.errorCode = nil
            if let details = output?.details {
                do {
                    let data = try JSONEncoder().encode(details)
                    record.details = String(decoding: data, as: UTF8.self)
                } catch {
                    logger.error("Could not encode a job's result details", metadata: ["job.id": "\(id)"])
                }
            }
            record.finishedAt = now
            record.updatedAt = now
            record.revision += 1
            record.leaseOwner = nil
            record.leaseExpiresAt = nil
            await finish(id, record: record, result: output?.artifact?.data)
            logger.debug("Job completed", metadata: ["job.id": "\(id)", "job.attempts": "\(attempt)"])
            return .done
        case .fail(let failure):
            var record = job.record
            let now = Timestamp.now()
            record.status = .failed
            record.message = failure.message
            record.errorCode = failure.code
            record.finishedAt = now
            record.updatedAt = now
            record.revision += 1
            record.leaseOwner = nil
            record.leaseExpiresAt = nil
            await finish(id, record: record, result: nil)
            logger.info(
                "Job failed",
                metadata: ["job.id": "\(id)", "job.errorCode": "\(failure.code)", "job.attempts": "\(attempt)"]
            )
            return .done
        case .retry(let wait, let next):
            var record = job.record
            record.message =
                "Retrying after a temporary problem (attempt \(next) of \(configuration.retry.maximumAttempts))"
            record.updatedAt = Timestamp.now()
            record.revision += 1
            active[id]?.record = record
            let signal = active[id]?.makeAttemptSignal() ?? AsyncEvent()
            do {
                try await store.update(record)
            } catch {
                logger.warning("Could not store a job's retry", metadata: ["job.id": "\(id)", "error": "\(error)"])
            }
            hub.publish(record)
            logger.info(
                "Job attempt failed; retrying",
                metadata: [
                    "job.id": "\(id)", "job.attempt": "\(attempt)",
                    "job.retryInMs":
                        "\(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)",
                ]
            )
            return .retry(after: wait, nextAttempt: next, signal: signal)
        case .discard, .release:
            active.removeValue(forKey: id)
            wakeup.signal()
            drainWakeup.signal()
            return .done
        }
    }

    /// Writes the terminal record (and result), tells subscribers, frees the worker.
    private func finish(_ id: JobID, record: JobRecord, result: Data?) async {
        var record = record
        active[id]?.record = record
        do {
            try await store.finish(record, result: result, keepInput: configuration.retention.keepsInputs)
        } catch {
            logger.error("Could not store a job's result", metadata: ["job.id": "\(id)", "error": "\(error)"])
            // Never leave the job PROCESSING: try to record the failure instead.
            record.status = .failed
            record.message =
                "The job finished but its result could not be saved. Try again; if it keeps failing, the operator should check the job store."
            record.errorCode = .internalError
            record.result = nil
            record.details = nil
            record.revision += 1
            active[id]?.record = record
            _ = try? await store.finish(record, result: nil, keepInput: configuration.retention.keepsInputs)
        }
        hub.publish(record)
        machine.finished(id)
        active.removeValue(forKey: id)
        wakeup.signal()
        drainWakeup.signal()
    }

    // MARK: Recovery

    private func recoverInterruptedJobs() async throws {
        let batch = 256
        var resumed = 0
        var failed = 0
        while true {
            let claimed: [JobRecord]
            do {
                claimed = try await store.claimJobs(
                    kind: Kind.identifier,
                    owner: instanceID,
                    leaseDuration: configuration.leaseDuration,
                    limit: batch,
                    now: Timestamp.now()
                )
            } catch {
                throw Self.storeFailure(error)
            }
            for record in claimed {
                if await recover(record) { resumed += 1 } else { failed += 1 }
            }
            if claimed.count < batch { break }
        }
        if resumed + failed > 0 {
            logger.notice(
                "Recovered jobs left unfinished by a previous run",
                metadata: ["jobs.resumed": "\(resumed)", "jobs.failed": "\(failed)"]
            )
        }
    }

    /// Resumes one interrupted job, or fails it; returns whether it was resumed.
    private func recover(_ claimed: JobRecord) async -> Bool {
        var record = claimed
        let now = Timestamp.now()
        var input: Kind.Input?
        var reason = "its input was not kept"
        if let deadline = record.deadline, deadline <= now {
            reason = "its deadline has passed"
        } else if !kind.canResumeAfterInterruption {
            reason = "this kind of job cannot be resumed"
        } else if let data = try? await store.input(for: record.id, userID: record.userID) {
            do {
                input = try JSONDecoder().decode(Kind.Input.self, from: data)
            } catch {
                reason = "its stored input could not be read"
            }
        }
        record.updatedAt = now
        record.revision += 1
        guard let input else {
            record.status = .failed
            record.errorCode = .interrupted
            record.message =
                "The job was interrupted when the service stopped and could not be resumed (\(reason)). Submit it again."
            record.finishedAt = now
            record.leaseOwner = nil
            record.leaseExpiresAt = nil
            do {
                try await persistTerminal(record)
            } catch {
                logger.error("Could not fail an interrupted job", metadata: ["job.id": "\(record.id)"])
            }
            return false
        }
        record.message = "Resuming after an interruption"
        do {
            try await store.update(record)
        } catch {
            logger.warning("Could not store a resumed job", metadata: ["job.id": "\(record.id)", "error": "\(error)"])
        }
        guard machine.enqueue(record.id, userID: record.userID) == .enqueued else { return false }
        active[record.id] = ActiveJob(
            record: record,
            input: input,
            deadlineInstant: record.deadline.map(Self.instant(for:))
        )
        hub.publish(record)
        logger.info("Resuming an interrupted job", metadata: ["job.id": "\(record.id)"])
        return true
    }

    // MARK: Maintenance

    /// Prunes expired jobs and renews leases until shutdown.
    private nonisolated func maintain() async {
        let pruneInterval = max(configuration.retention.pruneInterval, .milliseconds(10))
        let renewInterval = max(configuration.leaseDuration / 3, .milliseconds(10))
        var nextPrune = ContinuousClock.now.advanced(by: pruneInterval)
        var nextRenewal = ContinuousClock.now.advanced(by: renewInterval)
        while !Task.isCancelled {
            if await shutdownRequested.wait(until: min(nextPrune, nextRenewal)) != nil || Task.isCancelled { return }
            let now = ContinuousClock.now
            if now >= nextPrune {
                nextPrune = now.advanced(by: pruneInterval)
                do {
                    try await prune()
                } catch {
                    logger.warning("Pruning failed", metadata: ["error": "\(error)"])
                }
            }
            if now >= nextRenewal {
                nextRenewal = now.advanced(by: renewInterval)
                await renewLeases()
            }
        }
    }

    private func renewLeases() async {
        let ids = Array(active.keys)
        guard !ids.isEmpty else { return }
        do {
            try await store.renewLeases(
                for: ids,
                owner: instanceID,
                leaseDuration: configuration.leaseDuration,
                now: Timestamp.now()
            )
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
        group.addTask { try await center.run() }
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
