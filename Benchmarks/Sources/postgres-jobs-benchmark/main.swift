// Prints the PostgreSQL job store's speed beside a floor: pgbench running the store's own claim and
// completion SQL with the same concurrency. Build in release mode:
//   eval "$(Scripts/start-test-postgres.sh)"
//   swift run -c release --package-path Benchmarks postgres-jobs-benchmark [--database-url URL]
//       [--jobs 20000] [--workers 8] [--pgbench PATH]
// The URL defaults to $RESUME_OPTIMIZER_DATABASE_URL, $DATABASE_URL or $RESUME_OPTIMIZER_TEST_DATABASE_URL.
// Every figure runs in a schema of its own, dropped afterwards.
import Foundation
import JobOrchestration
import JobOrchestrationPostgres

/// A job that does nothing but note when it started: it measures the queue itself.
struct ZeroWorkJob: JobKind {
    static let identifier = "zero-work"
    struct Input: Codable, Sendable {
        var number: Int
    }

    let starts: StartTimes

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<NoJobDetails> {
        starts.record(input.number)
        return JobOutput()
    }
}

/// The first instant each key was recorded: when a job started, or when its `NOTIFY` was heard.
final class FirstInstants<Key: Hashable & Sendable>: @unchecked Sendable {  // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var times: [Key: ContinuousClock.Instant] = [:]

    func record(_ key: Key) {
        let now = ContinuousClock.now
        lock.withLock { if times[key] == nil { times[key] = now } }
    }

    func time(of key: Key) -> ContinuousClock.Instant? { lock.withLock { times[key] } }
}

/// When each job (by its input's number) started.
typealias StartTimes = FirstInstants<Int>

struct Options {
    var databaseURL: String
    var jobs = 20_000
    var workers = 8
    var pgbench: String
    /// Only this figure (`drain`, `submit` or `pickup`), or all when `nil`.
    var only: String?

    static func parse() throws -> Options {
        var arguments = CommandLine.arguments.dropFirst()
        let environment = ProcessInfo.processInfo.environment
        var url = ["RESUME_OPTIMIZER_DATABASE_URL", "DATABASE_URL", "RESUME_OPTIMIZER_TEST_DATABASE_URL"]
            .lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        var jobs = 20_000
        var workers = 8
        var pgbench: String?
        var only: String?
        while let argument = arguments.popFirst() {
            switch argument {
            case "--database-url": url = arguments.popFirst()
            case "--jobs": jobs = arguments.popFirst().flatMap { Int($0) } ?? 0
            case "--workers": workers = arguments.popFirst().flatMap { Int($0) } ?? 0
            case "--pgbench": pgbench = arguments.popFirst()
            case "--only": only = arguments.popFirst()
            default: throw BenchmarkError("unknown argument \(argument)")
            }
        }
        guard let url else {
            throw BenchmarkError(
                "no database: pass --database-url or set DATABASE_URL (eval \"$(Scripts/start-test-postgres.sh)\" starts one)"
            )
        }
        guard jobs >= 100, workers >= 1 else { throw BenchmarkError("--jobs must be ≥ 100 and --workers ≥ 1") }
        guard let found = pgbench ?? findPgbench() else {
            throw BenchmarkError("pgbench not found: pass --pgbench PATH (Debian: apt-get install postgresql-contrib)")
        }
        guard only.map({ ["drain", "submit", "pickup"].contains($0) }) ?? true else {
            throw BenchmarkError("--only takes drain, submit or pickup")
        }
        return Options(databaseURL: url, jobs: jobs, workers: workers, pgbench: found, only: only)
    }

    /// pgbench in PATH, next to $RESUME_OPTIMIZER_TEST_POSTGRES_BINDIR, or in Debian's newest PostgreSQL.
    static func findPgbench() -> String? {
        let environment = ProcessInfo.processInfo.environment
        var directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let bindir = environment["RESUME_OPTIMIZER_TEST_POSTGRES_BINDIR"] { directories.insert(bindir, at: 0) }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            directories.append("/usr/lib/postgresql/\(version)/bin")
        }
        return directories.map { "\($0)/pgbench" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: Subprocesses

/// Runs a program to its end; its status and its standard output and error.
///
/// `posix_spawn` and a thread of its own that waits for the child, not Foundation's `Process`, whose
/// `terminationHandler` did not always run on Linux (the child stayed a zombie).
func run(_ path: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (Int32, String) {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString).log").path
    defer { unlink(outputPath) }
    #if canImport(Glibc)
    var actions = posix_spawn_file_actions_t()
    #else
    var actions: posix_spawn_file_actions_t? = nil
    #endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = variables.map { strdup($0) } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
    guard spawned == 0 else { throw BenchmarkError("could not start \(path): \(String(cString: strerror(spawned)))") }
    let child = pid
    let status: Int32 = await withCheckedContinuation { continuation in
        Thread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1, errno == EINTR {}
            continuation.resume(returning: status)
        }.start()
    }
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    // WIFEXITED / WEXITSTATUS; a signal counts as failure.
    return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : -1, output)
}

/// The database as libpq's tools take it: a URL without the password, which goes to PGPASSWORD.
struct LibpqTarget {
    var url: String
    var environment: [String: String]

    init(_ url: String) throws {
        guard var components = URLComponents(string: url) else { throw BenchmarkError("the database URL is not a URL") }
        var environment: [String: String] = [:]
        if let password = components.percentEncodedPassword?.removingPercentEncoding {
            environment["PGPASSWORD"] = password
            components.percentEncodedPassword = nil
        }
        guard let stripped = components.string else { throw BenchmarkError("the database URL is not a URL") }
        self.url = stripped
        self.environment = environment
    }
}

// MARK: Stores and centers

/// The run's options and the tools' view of the database, read once.
enum Setup {
    static let options: Options = {
        do {
            return try Options.parse()
        } catch {
            FileHandle.standardError.write(Data("postgres-jobs-benchmark: \(error)\n".utf8))
            exit(2)
        }
    }()
    static let target: LibpqTarget = {
        do {
            return try LibpqTarget(options.databaseURL)
        } catch {
            FileHandle.standardError.write(Data("postgres-jobs-benchmark: \(error)\n".utf8))
            exit(2)
        }
    }()
    static let psql = URL(fileURLWithPath: options.pgbench).deletingLastPathComponent()
        .appendingPathComponent("psql").path
}

let options = Setup.options

func sql(_ statement: String) async throws -> String {
    let (status, output) = try await run(
        Setup.psql,
        ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", Setup.target.url, "-c", statement],
        environment: Setup.target.environment
    )
    guard status == 0 else { throw BenchmarkError("psql failed: \(output)") }
    return output.trimmingCharacters(in: .whitespacesAndNewlines)
}

func makeStore(schema: String) throws -> PostgresJobStore {
    var configuration = try PostgresJobStoreConfiguration(url: Setup.options.databaseURL)
    configuration.schema = schema
    configuration.client.options.maximumConnections = Setup.options.workers + 4
    return try PostgresJobStore(configuration: configuration)
}

func makeCenter(_ store: PostgresJobStore, starts: StartTimes) throws -> JobCenter<ZeroWorkJob> {
    try JobCenter(
        kind: ZeroWorkJob(starts: starts),
        store: store,
        configuration: .init(
            maximumConcurrentJobs: Setup.options.workers,
            maximumConcurrentJobsPerUser: 1_000,
            shutdownGracePeriod: .seconds(5)
        )
    )
}

/// Runs `count` stores on a fresh schema while `body` runs, then drops the schema.
func withStores<Result: Sendable>(
    _ count: Int,
    _ body: @Sendable (_ stores: [PostgresJobStore], _ schema: String) async throws -> Result
) async throws -> Result {
    let schema = "bench_" + UUID().uuidString.lowercased().prefix(8)
    let stores = try (0..<count).map { _ in try makeStore(schema: schema) }
    let result = try await withThrowingTaskGroup(of: Void.self) { group in
        for store in stores { group.addTask { try await store.run() } }
        defer { group.cancelAll() }
        for store in stores {
            // `run()` marks the store running at once; until then its calls fail with `notRunning`.
            while true {
                do {
                    try await store.migrate()
                    break
                } catch let error as PostgresJobStoreError where error.code == .notRunning {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
        }
        return try await body(stores, schema)
    }
    _ = try await sql("DROP SCHEMA \(schema) CASCADE")
    return result
}

/// Runs the centers while `body` runs, then shuts them down gracefully.
func withRunning<Result: Sendable>(
    _ centers: [JobCenter<ZeroWorkJob>],
    _ body: @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for center in centers { group.addTask { try await center.run() } }
        let result = try await body()
        for center in centers { center.triggerGracefulShutdown() }
        try await group.waitForAll()
        return result
    }
}

/// Submits jobs 0..<count on a center that does not run (the jobs wait for others), from 8 tasks.
func preInsert(_ count: Int, into store: PostgresJobStore) async throws {
    let loader = try makeCenter(store, starts: StartTimes())
    try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<8 {
            group.addTask {
                for number in stride(from: task, to: count, by: 8) {
                    _ = try await loader.submit(.init(number: number), userID: "user-\(number % 100)")
                }
            }
        }
        try await group.waitForAll()
    }
    _ = try await sql("ANALYZE")
}

func waitUntilDrained(_ store: PostgresJobStore) async throws {
    while try await store.unfinishedJobCount() > 0 {
        try await Task.sleep(for: .milliseconds(10))
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double) -> String { String(format: value >= 100 ? "%.0f" : "%.2f", value) }

// MARK: The floor

/// The store's statements (PostgresJobStore.claimJobs, .finish and .insert), copied with their values
/// written as pgbench variables and SQL: one job claimed and completed per transaction.
enum FloorScript {
    /// The store's own claim (its `claim_jobs` function), as the store calls it for one job.
    static func claim(schema: String) -> String {
        let owner = "('pgbench-' || :client_id)"
        let expiry = "(now() + interval '30 seconds')"
        let perUser = "1000"
        let scan = "16"  // max(limit * 4, 16)
        let limit = "1"
        return """
            SELECT * FROM \(schema).claim_jobs('\(ZeroWorkJob.identifier)', \(owner), now(), \(expiry),
                \(perUser), \(scan), \(limit)) \\gset
            """
    }

    static func finish(schema: String) -> String {
        """
        UPDATE \(schema).jobs SET status = 'COMPLETED', message = 'Job complete',
            revision = :revision::int8 + 1, attempts = :attempts::int8, error_code = NULL,
            details = NULL::json, result_description = NULL::json, result = NULL,
            updated_at = now(), finished_at = now(), deadline = :deadline::timestamptz,
            lease_owner = NULL, lease_expires_at = NULL,
            input = CASE WHEN false THEN input END
        WHERE id = :id::uuid AND (
            (:lease_owner::text IS NOT NULL AND status = 'PROCESSING'
                AND lease_owner = :lease_owner::text AND fencing_token = :fencing_token::int8)
            OR (NULL::int8 IS NOT NULL AND revision = NULL))
        RETURNING id;
        """
    }

    static func insert(schema: String) -> String {
        """
        INSERT INTO \(schema).jobs (id, user_id, kind, status, message, revision, attempts,
            fencing_token, idempotency_key, input_digest, input, error_code, details,
            result_description, submitted_at, updated_at, finished_at, deadline)
        VALUES (gen_random_uuid(), 'user-' || (:client_id % 100), '\(ZeroWorkJob.identifier)', 'PROCESSING',
            'Job submitted', 1, 0, 0, NULL, NULL, convert_to('{"number":0}', 'UTF8'), NULL, NULL::json,
            NULL::json, now(), now(), NULL, now() + interval '30 minutes')
        ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING id;
        """
    }

    /// Drains pre-inserted jobs: claim (one statement, as the store's), then complete.
    static func drain(schema: String) -> String {
        "\(claim(schema: schema))\n\(finish(schema: schema))\n"
    }

    /// Submit, claim and complete. The insert shares the claim's transaction so that each client
    /// always finds a job to claim (its own at least).
    static func submitAndComplete(schema: String) -> String {
        "BEGIN;\n\(insert(schema: schema))\n\(claim(schema: schema))\nCOMMIT;\n\(finish(schema: schema))\n"
    }
}

/// Runs a pgbench script with `clients` clients (one thread each), `transactions` each; its jobs/s.
func pgbench(_ script: String, clients: Int, transactions: Int) async throws -> Double {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("postgres-jobs-\(UUID()).sql")
    try script.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let (status, output) = try await run(
        Setup.options.pgbench,
        [
            "-n", "-M", "prepared", "-c", "\(clients)", "-j", "\(clients)", "-t", "\(transactions)",
            "-f", file.path, Setup.target.url,
        ],
        environment: Setup.target.environment
    )
    guard status == 0,
        let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
        let tps = Double(line.dropFirst("tps = ".count).prefix { $0.isNumber || $0 == "." })
    else {
        throw BenchmarkError("pgbench failed (status \(status)): \(output)")
    }
    return tps
}

func completedCount(schema: String) async throws -> Int {
    Int(try await sql("SELECT count(*) FROM \(schema).jobs WHERE status = 'COMPLETED'")) ?? -1
}

// MARK: Figures

func drain(centers count: Int) async throws -> Double {
    try await withStores(count) { stores, schema in
        try await preInsert(Setup.options.jobs, into: stores[0])
        let centers = try stores.map { try makeCenter($0, starts: StartTimes()) }
        let start = ContinuousClock.now
        try await withRunning(centers) { try await waitUntilDrained(stores[0]) }
        let elapsed = seconds(ContinuousClock.now - start)
        let completed = try await completedCount(schema: schema)
        guard completed == Setup.options.jobs else {
            throw BenchmarkError("\(completed) of \(Setup.options.jobs) completed")
        }
        return Double(Setup.options.jobs) / elapsed
    }
}

func drainFloor(clients: Int) async throws -> Double {
    let transactions = Setup.options.jobs / clients
    return try await withStores(1) { stores, schema in
        try await preInsert(transactions * clients, into: stores[0])
        let rate = try await pgbench(FloorScript.drain(schema: schema), clients: clients, transactions: transactions)
        let completed = try await completedCount(schema: schema)
        guard completed == transactions * clients else { throw BenchmarkError("floor: \(completed) completed") }
        return rate
    }
}

func submitToComplete() async throws -> Double {
    try await withStores(1) { stores, schema in
        let center = try makeCenter(stores[0], starts: StartTimes())
        let count = Setup.options.jobs / 2
        let elapsed = try await withRunning([center]) {
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<Setup.options.workers {
                    group.addTask {
                        for number in stride(from: task, to: count, by: Setup.options.workers) {
                            _ = try await center.submit(.init(number: number), userID: "user-\(number % 100)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await waitUntilDrained(stores[0])
            return seconds(ContinuousClock.now - start)
        }
        let completed = try await completedCount(schema: schema)
        guard completed == count else { throw BenchmarkError("\(completed) of \(count) completed") }
        return Double(count) / elapsed
    }
}

func submitToCompleteFloor(clients: Int) async throws -> Double {
    let transactions = Setup.options.jobs / 2 / clients
    return try await withStores(1) { _, schema in
        let rate = try await pgbench(
            FloorScript.submitAndComplete(schema: schema),
            clients: clients,
            transactions: transactions
        )
        let completed = try await completedCount(schema: schema)
        guard completed == transactions * clients else { throw BenchmarkError("floor: \(completed) completed") }
        return rate
    }
}

/// Submits jobs one at a time to an idle center (each once the previous one started, and 10 ms later);
/// submit → start, in milliseconds, sorted.
/// `elsewhere`: submitted on another instance (a center that does not run), so that the running
/// center learns of each job from PostgreSQL's NOTIFY.
func pickupLatencies(count: Int, elsewhere: Bool) async throws -> [Double] {
    try await withStores(2) { stores, _ in
        let starts = StartTimes()
        let runner = try makeCenter(stores[0], starts: starts)
        let submitter = try elsewhere ? makeCenter(stores[1], starts: StartTimes()) : runner
        // Where the time goes: when the submit returned and when the runner's store heard of the job.
        let arrivals = FirstInstants<JobID>()
        let listener = Task {
            guard let changes = stores[0].changes() else { return }
            for await change in changes where change.event == .runnable { arrivals.record(change.jobID) }
        }
        defer { listener.cancel() }
        return try await withRunning([runner]) {
            try await Task.sleep(for: .milliseconds(500))  // the runner is idle and listening
            var submitted: [ContinuousClock.Instant] = []
            var returned: [ContinuousClock.Instant] = []
            var ids: [JobID] = []
            for number in 0..<count {
                submitted.append(.now)
                ids.append(try await submitter.submit(.init(number: number), userID: "user-\(number % 10)").jobID)
                returned.append(.now)
                // One job at a time: the center is idle again before the next submit.
                while starts.time(of: number) == nil { try await Task.sleep(for: .milliseconds(1)) }
                try await Task.sleep(for: .milliseconds(10))
            }
            try await waitUntilDrained(stores[0])
            let latencies = try (0..<count).map { number in
                guard let start = starts.time(of: number) else { throw BenchmarkError("job \(number) did not start") }
                return seconds(start - submitted[number]) * 1000
            }
            if elsewhere {
                let submits = (0..<count).map { seconds(returned[$0] - submitted[$0]) * 1000 }
                let sortedSubmits = submits.sorted()
                let heard = (0..<count).compactMap { number in
                    arrivals.time(of: ids[number]).map { seconds($0 - submitted[number]) * 1000 }
                }.sorted()
                print(
                    "  where the time goes: submit returned p50 \(format(percentile(sortedSubmits, 0.5))) ms, "
                        + "p99 \(format(percentile(sortedSubmits, 0.99))) ms; NOTIFY heard (\(heard.count) jobs) "
                        + "p50 \(format(percentile(heard, 0.5))) ms, p99 \(format(percentile(heard, 0.99))) ms"
                )
                let slowest = (0..<count).sorted { latencies[$0] > latencies[$1] }.prefix(5)
                for number in slowest {
                    let heardAt = arrivals.time(of: ids[number]).map { format(seconds($0 - submitted[number]) * 1000) }
                    print(
                        "  slow job: started after \(format(latencies[number])) ms; submit returned after "
                            + "\(format(submits[number])) ms, NOTIFY heard after \(heardAt ?? "never") ms"
                    )
                }
            }
            return latencies.sorted()
        }
    }
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
}

let version = try await sql("SHOW server_version")
print("PostgreSQL \(version); \(ProcessInfo.processInfo.activeProcessorCount) cores; pgbench: \(options.pgbench)")
print("floor: pgbench -n -M prepared -c N -j N -t T, running the store's claim_jobs and completion UPDATE")
print("")
func wanted(_ figure: String) -> Bool { options.only == nil || options.only == figure }

for count in [1, 2] where wanted("drain") {
    let clients = count * options.workers
    let store = try await drain(centers: count)
    let floor = try await drainFloor(clients: clients)
    print(
        "drain of \(options.jobs) pre-inserted zero-work jobs, \(count) center(s) × \(options.workers) workers: "
            + "\(format(store)) jobs/s; floor (pgbench -c \(clients)): \(format(floor)) jobs/s; "
            + "\(format(store / floor))× (target ≥ 0.5×)"
    )
}
if wanted("submit") {
    let throughput = try await submitToComplete()
    let throughputFloor = try await submitToCompleteFloor(clients: options.workers)
    print(
        "submit→complete, 1 center × \(options.workers) workers, \(options.workers) submitting tasks, \(options.jobs / 2) jobs: "
            + "\(format(throughput)) jobs/s; floor (pgbench -c \(options.workers), insert + claim + complete): "
            + "\(format(throughputFloor)) jobs/s; \(format(throughput / throughputFloor))× (target ≥ 0.5×)"
    )
}
for elsewhere in [false, true] where wanted("pickup") {
    let latencies = try await pickupLatencies(count: 1_000, elsewhere: elsewhere)
    print(
        "pickup latency (submit → start) of an idle center, \(latencies.count) jobs one at a time, "
            + (elsewhere ? "submitted on another instance (NOTIFY)" : "submitted on the same instance")
            + ": p50 \(format(percentile(latencies, 0.5))) ms, p99 \(format(percentile(latencies, 0.99))) ms "
            + "(target p99 < 50 ms)"
    )
}
