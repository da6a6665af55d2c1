public import CoreMetrics
import Crypto
public import Foundation
public import Logging
import Tracing
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
/// - Jobs wait in the store, with their input, until a center claims them: several centers sharing a
///   store share the work. A claim is a lease (``JobCenterConfiguration/leaseDuration``) renewed by a
///   heartbeat; every write of a job's progress or outcome is fenced by the lease, so a worker whose
///   lease was taken over can never overwrite the job. A job whose center died runs again on another
///   one after its lease lapses (or fails with ``JobFailure/Code/interrupted`` once its attempts are
///   used up).
/// - On graceful shutdown the center takes no new jobs, lets running jobs finish within
///   ``JobCenterConfiguration/shutdownGracePeriod``, stops the rest and releases their leases at once,
///   so another center (or the next start) resumes them from their stored input. Nothing stays
///   `PROCESSING`.
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
    /// Jobs' details, decoded once per revision for every report that shows them.
    nonisolated let detailsCache = DetailsCache<Kind.Details>()
    nonisolated let hub = UpdateHub()
    /// Wakes the claiming loop: a job was submitted or released, a worker is free, shutdown began.
    nonisolated let wakeup = Wakeup()
    nonisolated let drainWakeup = Wakeup()
    /// The graceful-shutdown request, as an input: the lifecycle itself lives in ``machine``.
    nonisolated let shutdownRequest = AsyncEvent<Void>()
    nonisolated let monitor = DeadlineMonitor()
    nonisolated let logger: Logger
    nonisolated let metrics: JobMetrics

    struct ActiveJob {
        /// The canonical record; every change is made here first, synchronously, then written.
        var record: JobRecord
        /// The claim this center holds; every write is fenced by it.
        var lease: JobLease
        var deadlineInstant: ContinuousClock.Instant?
        /// Ends the current (or next) attempt from outside: cancellation, shutdown, timeouts, lost leases.
        var attemptSignal: AsyncEvent<AttemptSignal>?
        /// Why the job was stopped, so that an attempt that starts later stops at once too.
        var stopReason: StopReason?

        init(record: JobRecord, lease: JobLease, deadlineInstant: ContinuousClock.Instant?) {
            self.record = record
            self.lease = lease
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

    /// The one owner of the center's lifecycle and of its workers' bookkeeping.
    var machine: JobStateMachine
    /// The jobs this center runs (claimed and not yet ended here).
    var active: [JobID: ActiveJob] = [:]

    /// Creates a center.
    ///
    /// - Parameters:
    ///   - kind: The work to run.
    ///   - store: Where jobs are kept. Default: a new ``InMemoryJobStore`` (jobs are lost when the process ends).
    ///   - configuration: Limits, timeouts, retries, links and retention.
    ///   - backgroundLogger: Where the center logs; jobs' messages carry `job.id` and `user.id` metadata and
    ///     never user payload. Default: logs nothing.
    ///   - metricsFactory: Where the center records its metrics (``JobMetricsLabel``). Default: the
    ///     factory bootstrapped with `MetricsSystem` (none: the metrics cost nothing).
    /// - Throws: ``JobError/Code/invalidConfiguration`` if the download-link configuration is unusable or
    ///   an admission limit is below 1.
    public init(
        kind: Kind,
        store: any JobStore = InMemoryJobStore(),
        configuration: Configuration = .init(),
        backgroundLogger: Logger = Logger(label: "resume-optimizer.jobs", factory: { _ in SwiftLogNoOpLogHandler() }),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws {
        for limit in [configuration.maximumUnfinishedJobsPerUser, configuration.maximumUnfinishedJobs] {
            if let limit, limit < 1 {
                throw JobError(code: .invalidConfiguration, message: "An admission limit must be at least 1.")
            }
        }
        self.kind = kind
        self.metrics = JobMetrics(kind: Kind.identifier, factory: metricsFactory)
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
    ///   ``JobError/Code/notAccepting`` (shutting down), ``JobError/Code/tooManyUnfinishedJobs`` or
    ///   ``JobError/Code/queueFull`` (the configuration's admission limits), ``JobError/Code/invalidInput``
    ///   or ``JobError/Code/storeFailure``.
    public func submit(_ input: Kind.Input, userID: String, idempotencyKey: String? = nil) async throws -> Report {
        try await withSpan("\(Kind.identifier) submit", ofKind: .producer) { span in
            span.attributes["job.kind"] = Kind.identifier
            let report = try await submit(input, userID: userID, idempotencyKey: idempotencyKey, span: span)
            span.attributes["job.id"] = report.jobID.description
            return report
        }
    }

    private func submit(_ input: Kind.Input, userID: String, idempotencyKey: String?, span: any Span) async throws
        -> Report
    {
        try Self.validate(userID: userID)
        if let idempotencyKey, idempotencyKey.isEmpty || idempotencyKey.utf8.count > 256 {
            throw JobError(code: .invalidInput, message: "An idempotency key must have 1 to 256 bytes.")
        }
        guard machine.isAccepting else { throw Self.notAccepting }

        let encoded = try Self.encode(input)
        let digest = idempotencyKey != nil ? Encoding.hex(SHA256.hash(data: encoded)) : nil
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
            traceContext: TraceContext.inject(span.context)
        )
        let insertion: JobInsertion
        do {
            if let earlier = try await admit(userID: userID, idempotencyKey: idempotencyKey) {
                insertion = .existing(earlier)
            } else {
                insertion = try await store.insert(record, input: encoded)
            }
        } catch let error as JobError {
            throw error
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
            wakeup.signal()
            metrics.jobSubmitted()
            logger.debug("Job submitted", metadata: ["job.id": "\(stored.id)", "user.id": "\(userID)"])
            warnIfNotRunning(stored.id, userID: userID)
            return makeReport(stored)
        }
    }

    /// Applies the admission limits of the configuration to a new job: throws when the user or the
    /// center is at its bound. A retried submit is not a new job: its earlier record is returned and no
    /// limit applies. Without limits, nothing is read (the insertion finds a retried submit itself).
    private nonisolated func admit(userID: String, idempotencyKey: String?) async throws -> JobRecord? {
        let perUser = configuration.maximumUnfinishedJobsPerUser
        let overall = configuration.maximumUnfinishedJobs
        guard perUser != nil || overall != nil else { return nil }
        if let idempotencyKey, let earlier = try await store.record(forIdempotencyKey: idempotencyKey, userID: userID) {
            return earlier
        }
        if let perUser, try await store.unfinishedJobCount(userID: userID) >= perUser {
            throw JobError(
                code: .tooManyUnfinishedJobs,
                message: "You have \(perUser) jobs queued or running, the most allowed; "
                    + "wait for one to end or cancel one, then submit again."
            )
        }
        if let overall, try await store.unfinishedJobCount() >= overall {
            throw JobError(code: .queueFull, message: "The queue is full; try again later.")
        }
        return nil
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
        let (stream, continuation) = hub.subscribe(to: id, userID: userID)
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
    ///   - signingLinks: Whether completed jobs' reports carry a freshly signed ``JobStatusReport/downloadLink``.
    ///     Default: `true`; a list that shows no links (the example server's `GET /jobs`) passes `false`
    ///     and signs nothing.
    ///   - includingDetails: Whether reports carry the kind's ``JobStatusReport/details``. Default: `true`;
    ///     a list that shows none (the example server's `GET /jobs`) passes `false` and decodes nothing.
    public nonisolated func history(
        of userID: String,
        after cursor: JobHistoryCursor? = nil,
        limit: Int = 20,
        signingLinks: Bool = true,
        includingDetails: Bool = true
    ) async throws -> JobHistoryPage<Kind.Details> {
        let limit = min(max(limit, 1), 100)
        let records: [JobRecord]
        do {
            records = try await store.records(forUser: userID, kind: Kind.identifier, after: cursor, limit: limit + 1)
        } catch {
            throw Self.storeFailure(error)
        }
        let count = min(records.count, limit)
        var reports: [Report] = []
        reports.reserveCapacity(count)
        for index in 0..<count {
            reports.append(makeReport(records[index], signingLink: signingLinks, includingDetails: includingDetails))
        }
        return JobHistoryPage(jobs: reports, nextCursor: records.count > limit ? records[count - 1].historyCursor : nil)
    }

    // MARK: Downloading

    /// The result a signed link grants, checking the link first.
    ///
    /// - Throws: ``JobError/Code/invalidLink`` (altered or malformed), ``JobError/Code/linkExpired``,
    ///   ``JobError/Code/notFound`` (the job is gone) or ``JobError/Code/resultUnavailable``.
    public nonisolated func download(token: String, now: Date = Date()) async throws -> JobArtifact {
        let grant = try signer.verify(token, now: now)
        return try await result(of: grant.jobID, userID: grant.userID)
    }

    /// A completed job's result, for its owner.
    ///
    /// - Throws: ``JobError/Code/notFound`` or ``JobError/Code/resultUnavailable`` (not completed, no file,
    ///   or the file expired).
    public nonisolated func result(of id: JobID, userID: String) async throws -> JobArtifact {
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
        return JobArtifact(
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
        if let job = active[id], job.record.userID == userID {
            switch machine.cancel(id) {
            case .stopRunning:
                let record = job.record.applying(.cancelled(message: kind.cancelledMessage), at: Timestamp.now())
                active[id]?.record = record
                active[id]?.stop(.cancelled)
                if try await write(record, terminal: true, condition: .leased(job.lease)) {
                    logger.debug("Job cancelled while running", metadata: ["job.id": "\(id)", "user.id": "\(userID)"])
                    return makeReport(record)
                }
            // The job ended or moved elsewhere meanwhile: report what the store holds.
            case .alreadyFinishing:
                if let record = active[id]?.record { return makeReport(record) }
            case .notActive:
                break
            }
        }
        // Queued, or running on another center: cancellation beats the lease (that worker's fenced
        // writes are refused from now on and it stops).
        for _ in 0..<16 {
            guard let record = try await loadRecord(id, userID: userID) else { throw JobError.notFound }
            if record.status.isTerminal { return makeReport(record) }
            if active[id] != nil, machine.phase(of: id) == .running { return try await cancel(id, userID: userID) }
            let cancelled = record.applying(.cancelled(message: kind.cancelledMessage), at: Timestamp.now())
            if try await write(cancelled, terminal: true, condition: .revision(record.revision)) {
                logger.debug("Job cancelled", metadata: ["job.id": "\(id)", "user.id": "\(userID)"])
                return makeReport(cancelled)
            }
        }
        throw Self.storeFailure(JobError(code: .storeFailure, message: "The job kept changing while being cancelled."))
    }

    // MARK: Deleting

    /// Erases a job at once: its record, input and result; its download links stop working. A running
    /// job is stopped first.
    ///
    /// - Throws: ``JobError/Code/notFound`` for an unknown job or another user's job.
    public func delete(_ id: JobID, userID: String) async throws {
        if let job = active[id], job.record.userID == userID {
            _ = machine.cancel(id)
            active[id]?.stop(.cancelled)
        }
        let deleted: Bool
        do {
            deleted = try await store.delete(id: id, userID: userID)
        } catch {
            throw Self.storeFailure(error)
        }
        guard deleted else { throw JobError.notFound }
        detailsCache.remove(id)
        hub.end(id)
        logger.debug("Job deleted", metadata: ["job.id": "\(id)", "user.id": "\(userID)"])
    }

    // MARK: Counting

    /// How many of the user's jobs are unfinished (queued or running), on every center sharing the store.
    public nonisolated func unfinishedJobCount(userID: String) async throws -> Int {
        do {
            return try await store.unfinishedJobCount(userID: userID)
        } catch {
            throw Self.storeFailure(error)
        }
    }

    /// How many jobs are unfinished (queued or running), on every center sharing the store.
    public nonisolated func unfinishedJobCount() async throws -> Int {
        do {
            return try await store.unfinishedJobCount()
        } catch {
            throw Self.storeFailure(error)
        }
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
                        "jobs.deleted": "\(summary.deletedJobs)", "jobs.results_deleted": "\(summary.deletedResults)",
                    ]
                )
            }
            return summary
        } catch {
            throw Self.storeFailure(error)
        }
    }

    // MARK: Introspection

    /// Jobs this center holds: running or finishing (queued jobs wait in the store).
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

    nonisolated func makeReport(_ record: JobRecord, signingLink: Bool = true, includingDetails: Bool = true) -> Report
    {
        var link: SignedDownloadLink?
        if signingLink, record.status == .completed, record.result != nil {
            link = signer.sign(jobID: record.id, userID: record.userID)
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
            details: includingDetails ? detailsCache.details(of: record, logger: logger) : nil
        )
    }

    /// Writes a changed record and tells subscribers; returns whether the condition held.
    ///
    /// A refused fenced write means the lease is gone: the attempt is stopped and nothing more is written.
    func write(
        _ record: JobRecord,
        terminal: Bool,
        result: Data? = nil,
        condition: JobWriteCondition
    ) async throws -> Bool {
        let applied: Bool
        do {
            if terminal {
                applied = try await store.finish(
                    record,
                    result: result,
                    keepInput: configuration.retention.keepsInputs,
                    condition: condition
                )
            } else {
                applied = try await store.update(record, condition: condition)
            }
        } catch {
            logger.error(
                terminal ? "Could not store a job's final status" : "Could not store a job's progress",
                metadata: ["job.id": "\(record.id)", "user.id": "\(record.userID)", "error": "\(error)"]
            )
            throw Self.storeFailure(error)
        }
        if applied {
            hub.publish(record)
        } else if case .leased(let lease) = condition {
            leaseLost(lease)
        }
        return applied
    }

    /// The store refused this center's lease: stop the attempt, write nothing more.
    func leaseLost(_ lease: JobLease) {
        guard let job = active[lease.jobID], job.lease == lease else { return }
        guard machine.leaseLost(lease.jobID) == .stopAttempt else { return }
        active[lease.jobID]?.stop(.leaseLost)
        logger.notice(
            "Lost a job's lease (another center took it over, or it was cancelled or deleted); stopping this attempt",
            metadata: [
                "job.id": "\(lease.jobID)", "user.id": "\(job.record.userID)",
                "job.fencing_token": "\(lease.fencingToken)",
            ]
        )
    }

    static func validate(userID: String) throws {
        guard !userID.isEmpty, userID.utf8.count <= 256 else {
            throw JobError(code: .invalidInput, message: "A user id must have 1 to 256 bytes.")
        }
    }

    static func encode(_ input: Kind.Input) throws -> Data {
        do {
            return try Kind.encodeInput(input)
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
