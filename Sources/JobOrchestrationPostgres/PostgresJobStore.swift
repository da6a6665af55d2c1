public import Foundation
public import JobOrchestration
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationEssentialsCompat
import PostgresNIO
public import ServiceLifecycle

/// A ``JobStore`` in PostgreSQL, shared by every job center that uses the same database and schema.
///
/// Several service instances (processes, machines) that open the same database behave as one
/// service: they share the queue (each job is claimed by one center at a time, under a lease with a
/// fencing token), see every job's status, history and result, and wake each other through
/// `LISTEN`/`NOTIFY`. The schema is created and migrated when the store starts.
///
/// The store is a `Service`: run it in the same `ServiceGroup` as the job center, **before** the center
/// in the list of services, so that it is still running while the center shuts down (the group stops
/// services in reverse order) and releases its leases.
///
/// ```swift
/// let store = try PostgresJobStore(configuration: .init(url: databaseURL), backgroundLogger: logger)
/// let center = try JobCenter(kind: kind, store: store)
/// let group = ServiceGroup(configuration: .init(services: [store, center, server], logger: logger))
/// try await group.run()
/// ```
///
/// While PostgreSQL is unreachable or restarting, every operation fails within
/// ``PostgresJobStoreConfiguration/operationTimeout`` with ``PostgresJobStoreError/Code/unavailable``;
/// the store reconnects by itself and works again as soon as the database is back.
public final class PostgresJobStore: Service {
    /// How the store reaches its database.
    public let configuration: PostgresJobStoreConfiguration

    let client: PostgresClient
    let logger: Logger
    let schema: String
    let channel: String
    let hub = ChangeHub()
    private let state = NIOLockedValueBox(RunState())

    private struct RunState {
        var isRunning = false
        var isMigrated = false
        var isListening = false
    }

    /// Creates a store. Nothing connects until ``run()`` runs.
    ///
    /// - Parameters:
    ///   - configuration: The connection and the store's limits.
    ///   - backgroundLogger: Where the store and its connection pool log (never job content).
    ///     Default: logs nothing.
    /// - Throws: ``PostgresJobStoreError/Code/invalidConfiguration`` if the configuration is unusable.
    public init(
        configuration: PostgresJobStoreConfiguration,
        backgroundLogger: Logger = Logger(
            label: "resume-optimizer.postgres",
            factory: { _ in SwiftLogNoOpLogHandler() }
        )
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = backgroundLogger
        self.schema = configuration.schema
        self.channel = Schema.channel(schema: configuration.schema)
        self.client = PostgresClient(configuration: configuration.client, backgroundLogger: backgroundLogger)
    }

    // MARK: Running

    /// Runs the connection pool, migrates the schema and listens for changes, until graceful
    /// shutdown or cancellation.
    ///
    /// Migration failures (for example a database that is not up yet) are logged and retried on the
    /// first operation; ``PostgresJobStoreError/Code/schemaTooNew`` is thrown.
    public func run() async throws {
        state.withLockedValue { $0.isRunning = true }
        defer { state.withLockedValue { $0.isRunning = false } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.listen() }
            do {
                try await self.migrateIfNeeded()
            } catch let error as PostgresJobStoreError where error.code == .schemaTooNew {
                group.cancelAll()
                throw error
            } catch {
                self.logger.warning(
                    "Could not migrate the job store's schema yet; retrying on first use",
                    metadata: ["error": "\(error)"]
                )
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    /// Whether the store currently listens for changes of other instances (for diagnostics).
    public var isListening: Bool { state.withLockedValue { $0.isListening } }

    /// Creates or migrates the schema now, if it is not at the newest version.
    ///
    /// ``run()`` does this at start. Safe to call from several instances at once: they take turns
    /// (an advisory lock), and a migration already applied is skipped.
    public func migrate() async throws {
        try await perform("migrate", requireMigration: false) { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await self.migrate(on: connection)
            }
        }
        state.withLockedValue { $0.isMigrated = true }
    }

    private func migrateIfNeeded() async throws {
        if state.withLockedValue({ $0.isMigrated }) { return }
        try await migrate()
    }

    private func migrate(on connection: PostgresConnection) async throws {
        let lockName = "\(schema).migrate"
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lockName), 0))", logger: logger)
        try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS \(unescaped: schema).schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        var current = 0
        for try await version in try await connection.query(
            "SELECT coalesce(max(version), 0)::int8 FROM \(unescaped: schema).schema_migrations",
            logger: logger
        ).decode(Int.self) {
            current = version
        }
        guard current <= Schema.latestVersion else {
            throw PostgresJobStoreError(
                code: .schemaTooNew,
                message:
                    "The job store's schema \(schema) is at version \(current), newer than this library's \(Schema.latestVersion). Update the service."
            )
        }
        for migration in Schema.migrations where migration.version > current {
            for statement in migration.statements {
                try await connection.query(
                    PostgresQuery(unsafeSQL: Schema.expand(statement, schema: schema)),
                    logger: logger
                )
            }
            try await connection.query(
                "INSERT INTO \(unescaped: schema).schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                logger: logger
            )
            logger.notice(
                "Migrated the job store's schema",
                metadata: ["schema": "\(schema)", "version": "\(migration.version)"]
            )
        }
    }

    // MARK: Operations

    /// Runs one store operation with the configured timeout and typed errors.
    func perform<Result: Sendable>(
        _ operation: String,
        requireMigration: Bool = true,
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        guard state.withLockedValue({ $0.isRunning }) else {
            throw PostgresJobStoreError(
                code: .notRunning,
                message:
                    "The PostgreSQL job store is not running: run it (add it to the service group before the job center)."
            )
        }
        if requireMigration { try await migrateIfNeeded() }
        let timeout = configuration.operationTimeout
        do {
            switch try await TimedRace.run(timeout: timeout, body) {
            case .value(let value):
                return value
            case .timedOut:
                throw PostgresJobStoreError(
                    code: .unavailable,
                    message:
                        "PostgreSQL did not answer within \(timeout) (\(operation)). It may be restarting or unreachable; retry later."
                )
            }
        } catch {
            throw PostgresJobStoreError.wrapping(error, operation: operation)
        }
    }

    var table: String { "\(schema).jobs" }

    // MARK: JobStore

    public func insert(_ record: JobRecord, input: Data) async throws -> JobInsertion {
        guard input.count <= configuration.maximumInputSize else {
            throw PostgresJobStoreError(
                code: .inputTooLarge,
                message:
                    "The job's input has \(input.count) bytes; the store accepts at most \(configuration.maximumInputSize)."
            )
        }
        let row = try RecordColumns(record)
        return try await perform("insert") { [self] in
            for _ in 0..<3 {
                let inserted = try await fetchRecords(
                    """
                    INSERT INTO \(unescaped: table) (id, user_id, kind, status, message, revision, attempts,
                        fencing_token, idempotency_key, input_digest, input, error_code, details,
                        result_description, submitted_at, updated_at, finished_at, deadline, trace_context)
                    VALUES (\(row.id), \(row.userID), \(row.kind), \(row.status), \(row.message), \(row.revision),
                        \(row.attempts), 0, \(row.idempotencyKey), \(row.inputDigest), \(ByteBuffer(data: input)),
                        \(row.errorCode), \(row.details)::json, \(row.result)::json, \(row.submittedAt),
                        \(row.updatedAt), \(row.finishedAt), \(row.deadline), \(row.traceContext)::json)
                    ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                    RETURNING \(unescaped: RecordColumns.list)
                    """
                )
                if let stored = inserted.first { return .inserted(stored) }
                guard let key = record.idempotencyKey else { break }
                if let existing = try await fetchRecord(forIdempotencyKey: key, userID: record.userID) {
                    return .existing(existing)
                }
                // The other job was deleted between the two statements: insert again.
            }
            throw PostgresJobStoreError(
                code: .queryFailed,
                message: "The job could not be inserted (its identifier is already taken)."
            )
        }
    }

    public func record(for id: JobID, userID: String) async throws -> JobRecord? {
        try await perform("record") { [self] in
            try await fetchRecords(
                """
                SELECT \(unescaped: RecordColumns.list) FROM \(unescaped: table)
                WHERE id = \(id.uuid) AND user_id = \(userID)
                """
            ).first
        }
    }

    public func record(forIdempotencyKey key: String, userID: String) async throws -> JobRecord? {
        try await perform("recordForIdempotencyKey") { [self] in
            try await fetchRecord(forIdempotencyKey: key, userID: userID)
        }
    }

    /// The user's job with this idempotency key (the unique index); callers run it inside `perform`.
    private func fetchRecord(forIdempotencyKey key: String, userID: String) async throws -> JobRecord? {
        try await fetchRecords(
            """
            SELECT \(unescaped: RecordColumns.list) FROM \(unescaped: table)
            WHERE user_id = \(userID) AND idempotency_key = \(key)
            """
        ).first
    }

    public func input(for id: JobID, userID: String) async throws -> Data? {
        try await fetchBytes("input", column: "input", id: id, userID: userID)
    }

    public func result(for id: JobID, userID: String) async throws -> Data? {
        try await fetchBytes("result", column: "result", id: id, userID: userID)
    }

    private func fetchBytes(_ operation: String, column: String, id: JobID, userID: String) async throws -> Data? {
        try await perform(operation) { [self] in
            let rows = try await client.query(
                "SELECT \(unescaped: column) FROM \(unescaped: table) WHERE id = \(id.uuid) AND user_id = \(userID)",
                logger: logger
            )
            for try await buffer in rows.decode(ByteBuffer?.self) {
                return buffer.map { Data(buffer: $0) }
            }
            return nil
        }
    }

    public func records(forUser userID: String, kind: String?, after cursor: JobHistoryCursor?, limit: Int) async throws
        -> [JobRecord]
    {
        guard limit > 0 else { return [] }
        return try await perform("history") { [self] in
            try await fetchRecords(
                """
                SELECT \(unescaped: RecordColumns.list) FROM \(unescaped: table)
                WHERE user_id = \(userID) AND (\(kind)::text IS NULL OR kind = \(kind))
                    AND (\(cursor?.submittedAt)::timestamptz IS NULL
                        OR (submitted_at, id) < (\(cursor?.submittedAt), \(cursor?.jobID.uuid)))
                ORDER BY submitted_at DESC, id DESC
                LIMIT \(limit)
                """
            )
        }
    }

    public func claimJobs(_ request: JobClaimRequest) async throws -> [JobClaim] {
        guard request.limit > 0 else { return [] }
        let expiry = request.now.addingTimeInterval(Self.seconds(request.leaseDuration))
        let perUser = max(request.maximumRunningPerUser, 0)
        let scan = max(request.limit * 4, 16)
        return try await perform("claim") { [self] in
            // One round trip: the function takes the kind's advisory lock, then claims (Schema, version 2).
            let rows = try await client.query(
                """
                SELECT * FROM \(unescaped: schema).claim_jobs(\(request.kind), \(request.owner), \(request.now),
                    \(expiry), \(perUser)::int4, \(scan)::int4, \(request.limit)::int4)
                """,
                logger: logger
            )
            var claims: [JobClaim] = []
            for try await row in rows {
                let columns = row.makeRandomAccess()
                let record = try RecordColumns.decode(columns)
                let input = try columns["input"].decode(ByteBuffer?.self).map { Data(buffer: $0) }
                let wasInterrupted = try columns["was_interrupted"].decode(Bool.self)
                claims.append(JobClaim(record: record, input: input, wasInterrupted: wasInterrupted))
            }
            return claims
        }
    }

    public func renewLeases(_ leases: [JobLease], leaseDuration: Duration, now: Date) async throws -> [JobLease] {
        guard !leases.isEmpty else { return [] }
        let expiry = now.addingTimeInterval(Self.seconds(leaseDuration))
        let ids = leases.map(\.jobID.uuid)
        let owners = leases.map(\.owner)
        let tokens = leases.map(\.fencingToken)
        let renewed: Set<UUID> = try await perform("renew") { [self] in
            let rows = try await client.query(
                """
                UPDATE \(unescaped: table) j SET lease_expires_at = \(expiry)
                FROM unnest(\(ids)::uuid[], \(owners)::text[], \(tokens)::int8[]) AS l(id, owner, token)
                WHERE j.id = l.id AND j.lease_owner = l.owner AND j.fencing_token = l.token AND j.status = 'PROCESSING'
                RETURNING j.id
                """,
                logger: logger
            )
            var renewed: Set<UUID> = []
            for try await id in rows.decode(UUID.self) { renewed.insert(id) }
            return renewed
        }
        return leases.filter { !renewed.contains($0.jobID.uuid) }
    }

    public func releaseLeases(owner: String) async throws -> Int {
        try await perform("release") { [self] in
            let rows = try await client.query(
                """
                UPDATE \(unescaped: table)
                SET lease_owner = NULL, lease_expires_at = NULL, attempts = greatest(attempts - 1, 0)
                WHERE lease_owner = \(owner) AND status = 'PROCESSING'
                RETURNING id
                """,
                logger: logger
            )
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
    }

    @discardableResult
    public func update(_ record: JobRecord, condition: JobWriteCondition) async throws -> Bool {
        let row = try RecordColumns(record)
        let (lease, revision) = Self.split(condition)
        return try await perform("update") { [self] in
            try await execute(
                """
                UPDATE \(unescaped: table) SET status = \(row.status), message = \(row.message),
                    revision = \(row.revision), attempts = \(row.attempts), error_code = \(row.errorCode),
                    details = \(row.details)::json, result_description = \(row.result)::json,
                    updated_at = \(row.updatedAt), finished_at = \(row.finishedAt), deadline = \(row.deadline),
                    lease_owner = CASE WHEN \(row.status) = 'PROCESSING' THEN lease_owner END,
                    lease_expires_at = CASE WHEN \(row.status) = 'PROCESSING' THEN lease_expires_at END
                WHERE id = \(row.id) AND (
                    (\(lease?.owner)::text IS NOT NULL AND status = 'PROCESSING'
                        AND lease_owner = \(lease?.owner) AND fencing_token = \(lease?.fencingToken))
                    OR (\(revision)::int8 IS NOT NULL AND revision = \(revision)))
                RETURNING id
                """
            )
        }
    }

    @discardableResult
    public func finish(_ record: JobRecord, result: Data?, keepInput: Bool, condition: JobWriteCondition) async throws
        -> Bool
    {
        if let result, result.count > configuration.maximumResultSize {
            throw PostgresJobStoreError(
                code: .resultTooLarge,
                message:
                    "The job's result has \(result.count) bytes; the store accepts at most \(configuration.maximumResultSize) (maximumResultSize)."
            )
        }
        let row = try RecordColumns(record)
        let bytes = result.map { ByteBuffer(data: $0) }
        let (lease, revision) = Self.split(condition)
        return try await perform("finish") { [self] in
            try await execute(
                """
                UPDATE \(unescaped: table) SET status = \(row.status), message = \(row.message),
                    revision = \(row.revision), attempts = \(row.attempts), error_code = \(row.errorCode),
                    details = \(row.details)::json, result_description = \(row.result)::json, result = \(bytes),
                    updated_at = \(row.updatedAt), finished_at = \(row.finishedAt), deadline = \(row.deadline),
                    lease_owner = NULL, lease_expires_at = NULL,
                    input = CASE WHEN \(keepInput) THEN input END
                WHERE id = \(row.id) AND (
                    (\(lease?.owner)::text IS NOT NULL AND status = 'PROCESSING'
                        AND lease_owner = \(lease?.owner) AND fencing_token = \(lease?.fencingToken))
                    OR (\(revision)::int8 IS NOT NULL AND revision = \(revision)))
                RETURNING id
                """
            )
        }
    }

    @discardableResult
    public func delete(id: JobID, userID: String) async throws -> Bool {
        try await perform("delete") { [self] in
            try await execute(
                "DELETE FROM \(unescaped: table) WHERE id = \(id.uuid) AND user_id = \(userID) RETURNING id"
            )
        }
    }

    public func unfinishedJobCount(userID: String) async throws -> Int {
        try await count("SELECT count(*) FROM \(unescaped: table) WHERE user_id = \(userID) AND status = 'PROCESSING'")
    }

    public func unfinishedJobCount() async throws -> Int {
        try await count("SELECT count(*) FROM \(unescaped: table) WHERE status = 'PROCESSING'")
    }

    private func count(_ query: PostgresQuery) async throws -> Int {
        try await perform("count") { [self] in
            for try await count in try await client.query(query, logger: logger).decode(Int.self) {
                return count
            }
            return 0
        }
    }

    /// Deletes finished jobs and expired results; only one instance prunes at a time (the others,
    /// finding the advisory lock taken, return an empty summary at once).
    public func prune(finishedBefore: Date, resultsFinishedBefore: Date?) async throws -> JobPruneSummary {
        let lockName = "\(schema).prune"
        return try await perform("prune") { [self] in
            try await client.withTransaction(logger: logger) { connection in
                var acquired = false
                for try await value in try await connection.query(
                    "SELECT pg_try_advisory_xact_lock(hashtextextended(\(lockName), 0))",
                    logger: self.logger
                ).decode(Bool.self) {
                    acquired = value
                }
                guard acquired else { return JobPruneSummary() }
                var summary = JobPruneSummary()
                for try await _ in try await connection.query(
                    "DELETE FROM \(unescaped: self.table) WHERE finished_at < \(finishedBefore) RETURNING id",
                    logger: self.logger
                ) {
                    summary.deletedJobs += 1
                }
                if let resultsFinishedBefore {
                    for try await _ in try await connection.query(
                        """
                        UPDATE \(unescaped: self.table) SET result = NULL, result_description = NULL
                        WHERE finished_at < \(resultsFinishedBefore) AND result IS NOT NULL
                        RETURNING id
                        """,
                        logger: self.logger
                    ) {
                        summary.deletedResults += 1
                    }
                }
                return summary
            }
        }
    }

    /// Changes of every instance's jobs, from `NOTIFY`: a new stream for each call.
    ///
    /// Best effort: notifications sent while the store was not listening (for example while
    /// PostgreSQL restarted) are lost, so readers also poll.
    public func changes() -> AsyncStream<JobStoreChange>? {
        hub.subscribe()
    }

    // MARK: Helpers

    private static func split(_ condition: JobWriteCondition) -> (JobLease?, Int?) {
        switch condition {
        case .leased(let lease): (lease, nil)
        case .revision(let revision): (nil, revision)
        }
    }

    private func fetchRecords(_ query: PostgresQuery) async throws -> [JobRecord] {
        var records: [JobRecord] = []
        for try await row in try await client.query(query, logger: logger) {
            records.append(try RecordColumns.decode(row.makeRandomAccess()))
        }
        return records
    }

    /// Runs a statement with `RETURNING`; whether it affected a row.
    private func execute(_ query: PostgresQuery) async throws -> Bool {
        var affected = false
        for try await _ in try await client.query(query, logger: logger) { affected = true }
        return affected
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    // MARK: Listening

    private func setListening(_ value: Bool) {
        state.withLockedValue { $0.isListening = value }
    }

    /// Listens on the schema's channel until cancelled, reconnecting after a lost connection.
    private func listen() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: self.channel) { notifications in
                        self.setListening(true)
                        for try await notification in notifications {
                            if let change = ChangeHub.parse(notification.payload) { self.hub.publish(change) }
                        }
                    }
                }
            } catch {
                if !Task.isCancelled {
                    logger.info(
                        "Lost the job store's LISTEN connection; listening again",
                        metadata: ["error": "\(error)"]
                    )
                }
            }
            setListening(false)
            try? await Task.sleep(for: configuration.listenRetryDelay)
        }
    }
}

/// A store operation's value, or the timeout that beat it.
enum TimedOutcome<Value: Sendable>: Sendable {
    case value(Value)
    case timedOut
}

/// Races an operation against a timeout and returns as soon as either ends.
///
/// Unlike a task group, it does not wait for the losing operation: a postgres-nio call that waits for a
/// connection while PostgreSQL is down (and does not end promptly when cancelled) cannot hold the
/// caller past the timeout. The loser is cancelled and left to end by itself.
final class TimedRace<Value: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<TimedOutcome<Value>, any Error>?)
        case ended(Result<TimedOutcome<Value>, any Error>)
        case resumed
    }

    private let state = NIOLockedValueBox(State.waiting(nil))

    static func run(
        timeout: Duration,
        _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> TimedOutcome<Value> {
        let race = TimedRace()
        let work = Task {
            do {
                race.end(.success(.value(try await body())))
            } catch {
                race.end(.failure(error))
            }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            race.end(.success(.timedOut))
        }
        defer {
            work.cancel()
            timer.cancel()
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.install(continuation)
            }
        } onCancel: {
            race.end(.failure(CancellationError()))
        }
    }

    private func install(_ continuation: CheckedContinuation<TimedOutcome<Value>, any Error>) {
        let ended: Result<TimedOutcome<Value>, any Error>? = state.withLockedValue { state in
            switch state {
            case .waiting:
                state = .waiting(continuation)
                return nil
            case .ended(let result):
                state = .resumed
                return result
            case .resumed:
                return nil
            }
        }
        if let ended { continuation.resume(with: ended) }
    }

    private func end(_ result: Result<TimedOutcome<Value>, any Error>) {
        let continuation: CheckedContinuation<TimedOutcome<Value>, any Error>? = state.withLockedValue { state in
            switch state {
            case .waiting(let continuation?):
                state = .resumed
                return continuation
            case .waiting(nil):
                state = .ended(result)
                return nil
            case .ended, .resumed:
                return nil
            }
        }
        continuation?.resume(with: result)
    }
}

// The queue contract the job center will use; conformance is internal until the protocol is in JobOrchestration.
extension PostgresJobStore: JobStore {}
