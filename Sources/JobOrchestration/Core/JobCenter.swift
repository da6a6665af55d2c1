import Crypto
public import Foundation
public import Logging
public import ServiceLifecycle

/// Runs jobs of one kind in the background and tells their owners how they are doing.
///
/// `submit` returns at once with a job id and the status `PROCESSING`; the work runs in ``run()``,
/// which the host runs as a swift-service-lifecycle `Service` (typically in a `ServiceGroup`).
/// Clients read the status (``status(of:userID:)``), long-poll (``wait(for:userID:timeout:until:)``)
/// or subscribe (``updates(of:userID:)``) until the job ends, then download its result through a
/// signed, expiring link (``download(token:now:)``).
///
/// - A job is visible only to the user who submitted it: any other user id gets exactly the same
///   ``JobError/Code/notFound`` as an unknown id.
/// - The same user and idempotency key always give the same job; the same key with another input is
///   a ``JobError/Code/idempotencyConflict``.
/// - At most ``JobCenterConfiguration/maximumConcurrentJobs`` jobs run at once, at most
///   ``JobCenterConfiguration/maximumConcurrentJobsPerUser`` per user, users taking turns.
/// - Each attempt is stopped after ``JobCenterConfiguration/attemptTimeout``, each job after its
///   ``JobCenterConfiguration/deadline``; retryable failures are retried with backoff; cancelling stops
///   the work.
/// - On graceful shutdown the center takes no new jobs, lets running jobs finish within
///   ``JobCenterConfiguration/shutdownGracePeriod`` and leaves the rest unfinished in the store; the
///   next ``run()`` on the same store resumes them from their stored input, or fails them with
///   ``JobFailure/Code/interrupted`` when that is impossible. Nothing stays `PROCESSING`.
///
/// ```swift
/// let center = try JobCenter(kind: ResumeOptimizationJob(optimizer: optimizer), store: DirectoryJobStore(root: dataURL))
/// let group = ServiceGroup(configuration: .init(services: [center, server], logger: logger))
/// // elsewhere:
/// let submitted = try await center.submit(input, userID: "user-42")
/// for await report in try await center.updates(of: submitted.jobID, userID: "user-42") { print(report.message) }
/// ```
public actor JobCenter<Kind: JobKind>: Service {
    /// The status report type of this kind.
    public typealias Report = JobStatusReport<Kind.Details>
    /// The configuration type.
    public typealias Configuration = JobCenterConfiguration

    /// The job kind this center runs.
    public nonisolated let kind: Kind
    /// Where jobs are kept.
    public nonisolated let store: any JobStore
    /// How jobs are run.
    public nonisolated let configuration: Configuration
    /// An identifier of this center instance, recorded as the owner of the jobs it runs.
    public nonisolated let instanceID: String

    nonisolated let signer: DownloadLinkSigner
    nonisolated let hub = UpdateHub()
    nonisolated let wakeup = Wakeup()
    nonisolated let drainWakeup = Wakeup()
    nonisolated let shutdownRequested = AsyncEvent<Bool>()
    nonisolated let monitor = DeadlineMonitor()
    nonisolated let logger: Logger

    struct ActiveJob {
        /// The canonical record; every change is made here first, synchronously, then written.
        var record: JobRecord
        var input: Kind.Input
        var deadlineInstant: ContinuousClock.Instant?
        /// Ends the current (or next) attempt from outside: cancellation, shutdown, timeouts.
        var attemptSignal: AsyncEvent<AttemptSignal>?
        /// Why the job was stopped, so that an attempt that starts later stops at once too.
        var stopReason: StopReason?

        init(record: JobRecord, input: Kind.Input, deadlineInstant: ContinuousClock.Instant?) {
            self.record = record
            self.input = input
            self.deadlineInstant = deadlineInstant
        }

        /// Stops the current attempt and any later one.
        mutating func stop(_ reason: StopReason) {
            if stopReason == nil { stopReason = reason }
            attemptSignal?.set(.stop(reason))
        }

        /// A fresh signal for the next attempt, already set if the job was stopped.
        mutating func makeAttemptSignal() -> AsyncEvent<AttemptSignal> {
            let signal = AsyncEvent<AttemptSignal>()
            if let stopReason { signal.set(.stop(stopReason)) }
            attemptSignal = signal
            return signal
        }
    }

    enum RunState {
        case notStarted
        case running
        case finished
    }

    var machine: JobStateMachine
    var active: [JobID: ActiveJob] = [:]
    var runState: RunState = .notStarted

    /// Creates a center.
    ///
    /// - Parameters:
    ///   - kind: The work to run.
    ///   - store: Where jobs are kept. Default: a new ``InMemoryJobStore`` (jobs are lost when the process ends).
    ///   - configuration: Limits, timeouts, retries, links and retention.
    ///   - backgroundLogger: Where the center logs; jobs' messages carry `job.id` metadata and never user
    ///     payload. Default: logs nothing.
    /// - Throws: ``JobError/Code/invalidConfiguration`` if the download-link configuration is unusable.
    public init(
        kind: Kind,
        store: any JobStore = InMemoryJobStore(),
        configuration: Configuration = .init(),
        backgroundLogger: Logger = Logger(label: "resume-optimizer.jobs", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        self.kind = kind
        self.store = store
        self.configuration = configuration
        self.signer = try DownloadLinkSigner(configuration: configuration.downloadLinks)
        self.logger = backgroundLogger
        self.instanceID = JobID.random().description
        self.machine = JobStateMachine(
            limits: .init(
                maximumConcurrentJobs: configuration.maximumConcurrentJobs,
                maximumConcurrentJobsPerUser: configuration.maximumConcurrentJobsPerUser
            ),
            attemptTimeout: configuration.attemptTimeout,
            deadline: configuration.deadline
        )
    }

    // MARK: Submitting

    /// Submits a job and returns at once with its first report: status `PROCESSING` and the kind's
    /// ``JobKind/submittedMessage``.
    ///
    /// The job runs once the center runs (``run()``, in a `ServiceGroup` or
    /// ``withRunningJobCenter(_:isolation:_:)``). Submitting before that is allowed: the job waits in the
    /// store, and the background logger warns that no runner has started yet.
    ///
    /// - Parameters:
    ///   - input: What to work on.
    ///   - userID: The submitting user; only this user will see the job. Not empty, at most 256 bytes.
    ///   - idempotencyKey: A key the caller chooses (at most 256 bytes); submitting again with the same
    ///     user and key returns the first job instead of starting another.
    /// - Throws: ``JobError`` with ``JobError/Code/idempotencyConflict`` (same key, different input),
    ///   ``JobError/Code/notAccepting`` (shutting down), ``JobError/Code/invalidInput`` or
    ///   ``JobError/Code/storeFailure``.
    public func submit(_ input: Kind.Input, userID: String, idempotencyKey: String? = nil) async throws -> Report {
        try Self.validate(userID: userID)
        if let idempotencyKey, idempotencyKey.isEmpty || idempotencyKey.utf8.count > 256 {
            throw JobError(code: .invalidInput, message: "An idempotency key must have 1 to 256 bytes.")
        }
        guard machine.lifecycle == .accepting, runState != .finished else { throw Self.notAccepting }

        var encoded: Data?
        var digest: String?
        if store.keepsInputs || idempotencyKey != nil {
            let data = try Self.encode(input)
            encoded = data
            if idempotencyKey != nil {
                digest = Encoding.hex(SHA256.hash(data: data))
            }
        }
        let now = Timestamp.now()
        let record = JobRecord(
            id: .random(),
            userID: userID,
            kind: Kind.identifier,
            status: .processing,
            message: kind.submittedMessage,
            updatedAt: now,
            submittedAt: now,
            deadline: now.adding(configuration.deadline),
            idempotencyKey: idempotencyKey,
            inputDigest: digest,
            leaseOwner: instanceID,
            leaseExpiresAt: now.adding(configuration.leaseDuration)
        )
        let insertion: JobInsertion
        do {
            insertion = try await store.insert(record, input: store.keepsInputs ? encoded : nil)
        } catch {
            throw Self.storeFailure(error)
        }
        switch insertion {
        case .existing(let existing):
            guard existing.inputDigest == digest, existing.kind == Kind.identifier else {
                throw JobError(
                    code: .idempotencyConflict,
                    message: "This idempotency key was already used for a different job. Use a new key for a new job."
                )
            }
            return makeReport(existing)
        case .inserted(let stored):
            guard machine.enqueue(stored.id, userID: userID) == .enqueued else {
                // Shutdown began while the job was being stored: it stays unfinished for the next start.
                return makeReport(stored)
            }
            active[stored.id] = ActiveJob(
                record: stored,
                input: input,
                deadlineInstant: stored.deadline.map(Self.instant(for:))
            )
            wakeup.signal()
            logger.debug("Job submitted", metadata: ["job.id": "\(stored.id)"])
            warnIfNotRunning(stored.id)
            return makeReport(stored)
        }
    }

    // MARK: Reading

    /// The job's current status. A completed job's report carries a freshly signed download link.
    ///
    /// - Throws: ``JobError/Code/notFound`` for an unknown job or another user's job.
    public nonisolated func status(of id: JobID, userID: String) async throws -> Report {
        guard let record = try await loadRecord(id, userID: userID) else { throw JobError.notFound }
        return makeReport(record)
    }

    /// The job's reports as they happen: the current one first, then every change, ending after the
    /// terminal report.
    ///
    /// - Throws: ``JobError/Code/notFound`` for an unknown job or another user's job.
    public nonisolated func updates(of id: JobID, userID: String) async throws -> JobUpdates<Kind.Details> {
        guard try await loadRecord(id, userID: userID) != nil else { throw JobError.notFound }
        let (stream, continuation) = hub.subscribe(to: id)
        // Read again after subscribing, so that no change can fall between the read and the subscription.
        if let current = try? await loadRecord(id, userID: userID) {
            continuation.yield(current)
            if current.status.isTerminal { continuation.finish() }
        } else {
            continuation.finish()
        }
        return JobUpdates(stream: stream, makeReport: { [self] record in self.makeReport(record) })
    }

    /// Long poll: waits until `condition` holds or `timeout` passes, then returns the job's report.
    ///
    /// - Parameters:
    ///   - id: The job.
    ///   - userID: Its owner.
    ///   - timeout: The longest wait.
    ///   - condition: What to wait for. Default: ``JobWaitCondition/finished``.
    /// - Returns: The report that met the condition, or the current report when the timeout passed.
    public nonisolated func wait(
        for id: JobID,
        userID: String,
        timeout: Duration,
        until condition: JobWaitCondition = .finished
    ) async throws -> Report {
        let updates = try await self.updates(of: id, userID: userID)
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let met: Report? = await withTaskGroup(of: Report?.self) { group in
            group.addTask {
                var isFirst = true
                for await report in updates {
                    if condition.isMet(by: report, isFirst: isFirst) { return report }
                    isFirst = false
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let met { return met }
        return try await status(of: id, userID: userID)
    }

    /// A page of the user's jobs of this kind, newest first.
    ///
    /// - Parameters:
    ///   - userID: Whose jobs.
    ///   - cursor: Continue after this position (from ``JobHistoryPage/nextCursor``); `nil` starts at the newest.
    ///   - limit: Jobs per page, 1 to 100. Default: 20.
    public nonisolated func history(
        of userID: String,
        after cursor: JobHistoryCursor? = nil,
        limit: Int = 20
    ) async throws -> JobHistoryPage<Kind.Details> {
        let limit = min(max(limit, 1), 100)
        let records: [JobRecord]
        do {
            records = try await store.records(forUser: userID, kind: Kind.identifier, after: cursor, limit: limit + 1)
        } catch {
            throw Self.storeFailure(error)
        }
        let page = records.prefix(limit)
        return JobHistoryPage(
            jobs: page.map { makeReport($0) },
            nextCursor: records.count > limit ? page.last?.historyCursor : nil
        )
    }

    // MARK: Downloading

    /// The result a signed link grants, checking the link first.
    ///
    /// - Throws: ``JobError/Code/invalidLink`` (altered or malformed), ``JobError/Code/linkExpired``,
    ///   ``JobError/Code/notFound`` (the job is gone) or ``JobError/Code/resultUnavailable``.
    public nonisolated func download(token: String, now: Date = Date()) async throws -> JobDownload {
        let grant = try signer.verify(token, now: now)
        return try await result(of: grant.jobID, userID: grant.userID)
    }

    /// A fresh signed link to a completed job's result, for callers that already checked the user.
    public nonisolated func downloadLink(for id: JobID, userID: String) -> SignedDownloadLink {
        signer.sign(jobID: id, userID: userID)
    }

    /// A completed job's result, for its owner.
    ///
    /// - Throws: ``JobError/Code/notFound`` or ``JobError/Code/resultUnavailable`` (not completed, no file,
    ///   or the file expired).
    public nonisolated func result(of id: JobID, userID: String) async throws -> JobDownload {
        guard let record = try await loadRecord(id, userID: userID) else { throw JobError.notFound }
        guard record.status == .completed, let description = record.result else {
            throw JobError(
                code: .resultUnavailable,
                message: record.status == .processing
                    ? "The job has not finished yet; wait for the status COMPLETED."
                    : "This job has no downloadable result (status \(record.status), or the result has expired)."
            )
        }
        let data: Data?
        do {
            data = try await store.result(for: id, userID: userID)
        } catch {
            throw Self.storeFailure(error)
        }
        guard let data else {
            throw JobError(
                code: .resultUnavailable,
                message: "The result of this job has expired and was deleted. Submit the job again."
            )
        }
        return JobDownload(
            jobID: id,
            data: data,
            fileType: description.fileType,
            contentType: description.contentType,
            downloadFilename: description.downloadFilename
        )
    }

    // MARK: Cancelling

    /// Cancels a job: a waiting job never starts, a running one is stopped. The job ends `CANCELLED`.
    /// Cancelling a job that already ended changes nothing and returns its report.
    ///
    /// - Throws: ``JobError/Code/notFound`` for an unknown job or another user's job.
    public func cancel(_ id: JobID, userID: String) async throws -> Report {
        if let job = active[id] {
            guard job.record.userID == userID else { throw JobError.notFound }
            switch machine.cancel(id) {
            case .cancelQueued:
                let record = cancelledRecord(from: job.record)
                active.removeValue(forKey: id)
                try await persistTerminal(record)
                logger.debug("Job cancelled before it started", metadata: ["job.id": "\(id)"])
                return makeReport(record)
            case .stopRunning:
                let record = cancelledRecord(from: job.record)
                active[id]?.record = record
                active[id]?.stop(.cancelled)
                try await persistTerminal(record)
                logger.debug("Job cancelled while running", metadata: ["job.id": "\(id)"])
                return makeReport(record)
            case .alreadyFinishing:
                return makeReport(active[id]?.record ?? job.record)
            case .notActive:
                break
            }
        }
        guard let record = try await loadRecord(id, userID: userID) else { throw JobError.notFound }
        if record.status.isTerminal { return makeReport(record) }
        if active[id] != nil { return try await cancel(id, userID: userID) }
        // Unfinished in the store but not held by this center (left by a stopped process).
        let cancelled = cancelledRecord(from: record)
        try await persistTerminal(cancelled)
        return makeReport(cancelled)
    }

    // MARK: Retention

    /// Deletes finished jobs and results older than the retention allows. The center also does this
    /// every ``JobRetention/pruneInterval`` while it runs.
    @discardableResult
    public nonisolated func prune(now: Date = Date()) async throws -> JobPruneSummary {
        let retention = configuration.retention
        guard retention.finishedJobLifetime != nil || retention.resultLifetime != nil else { return JobPruneSummary() }
        let finishedBefore = retention.finishedJobLifetime.map { now.adding(.zero - $0) } ?? .distantPast
        let resultsBefore = retention.resultLifetime.map { now.adding(.zero - $0) }
        do {
            let summary = try await store.prune(finishedBefore: finishedBefore, resultsFinishedBefore: resultsBefore)
            if summary.deletedJobs > 0 || summary.deletedResults > 0 {
                logger.info(
                    "Pruned expired jobs",
                    metadata: [
                        "jobs.deleted": "\(summary.deletedJobs)", "jobs.resultsDeleted": "\(summary.deletedResults)",
                    ]
                )
            }
            return summary
        } catch {
            throw Self.storeFailure(error)
        }
    }

    // MARK: Introspection

    /// Jobs this center holds in memory: waiting, running or finishing.
    public var activeJobCount: Int { machine.activeCount }

    /// Jobs holding a worker right now.
    public var runningJobCount: Int { machine.runningCount }

    // MARK: Helpers

    nonisolated func loadRecord(_ id: JobID, userID: String) async throws -> JobRecord? {
        do {
            guard let record = try await store.record(for: id, userID: userID), record.userID == userID else {
                return nil
            }
            return record
        } catch {
            throw Self.storeFailure(error)
        }
    }

    nonisolated func makeReport(_ record: JobRecord) -> Report {
        var link: SignedDownloadLink?
        if record.status == .completed, record.result != nil {
            link = signer.sign(jobID: record.id, userID: record.userID)
        }
        var details: Kind.Details?
        if let text = record.details {
            details = try? JSONDecoder().decode(Kind.Details.self, from: Data(text.utf8))
        }
        return Report(
            jobID: record.id,
            status: record.status,
            message: record.message,
            timestamp: record.updatedAt,
            revision: record.revision,
            errorCode: record.errorCode,
            result: record.result,
            downloadLink: link,
            details: details
        )
    }

    func cancelledRecord(from record: JobRecord) -> JobRecord {
        var record = record
        let now = Timestamp.now()
        record.status = .cancelled
        record.message = kind.cancelledMessage
        record.updatedAt = now
        record.finishedAt = now
        record.revision += 1
        record.leaseOwner = nil
        record.leaseExpiresAt = nil
        return record
    }

    /// Writes a terminal record and tells subscribers.
    func persistTerminal(_ record: JobRecord) async throws {
        do {
            try await store.finish(record, result: nil, keepInput: configuration.retention.keepsInputs)
        } catch {
            logger.error(
                "Could not store a job's final status",
                metadata: ["job.id": "\(record.id)", "error": "\(error)"]
            )
            throw Self.storeFailure(error)
        }
        hub.publish(record)
    }

    static func validate(userID: String) throws {
        guard !userID.isEmpty, userID.utf8.count <= 256 else {
            throw JobError(code: .invalidInput, message: "A user id must have 1 to 256 bytes.")
        }
    }

    static func encode(_ input: Kind.Input) throws -> Data {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return try encoder.encode(input)
        } catch {
            throw JobError(code: .invalidInput, message: "The job's input could not be encoded.", cause: error)
        }
    }

    static func instant(for date: Date) -> ContinuousClock.Instant {
        let seconds = date.timeIntervalSinceNow
        return ContinuousClock.now.advanced(by: .milliseconds(Int64((seconds * 1000).rounded())))
    }

    static func storeFailure(_ error: any Error) -> JobError {
        if let error = error as? JobError { return error }
        return JobError(
            code: .storeFailure,
            message:
                "The job store could not be read or written. Try again; if it keeps failing, the operator should check the store.",
            cause: error
        )
    }

    static var notAccepting: JobError {
        JobError(
            code: .notAccepting,
            message: "The service is shutting down and accepts no new jobs. Try again in a moment."
        )
    }
}

extension Date {
    func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.seconds)
    }
}
