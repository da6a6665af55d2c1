import Foundation
import JobOrchestration
@testable import JobOrchestrationPostgres
import PostgresNIO
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash safety in separate processes: `postgres-crash-worker` processes on one schema, some killed with
/// `kill -9` while they hold jobs, one paused with SIGSTOP past its lease.
///
/// Executions are counted by the job itself (a row per start in `executions`); outcome writes by a
/// trigger on the jobs table (a row per write of a terminal status in `outcomes`).
final class CrashSafetyTests: XCTestCase {
    /// Mirrors the worker's job kind, to submit its jobs from the test.
    struct CrashCountedJob: JobKind {
        static let identifier = "crash.counted"
        struct Input: Codable, Sendable { var delayMilliseconds: Int }
        func run(_ input: Input, context: JobContext) async throws -> JobOutput<NoJobDetails> {
            throw JobFailure(code: "notHere", message: "The test process does not run crash jobs.")
        }
    }

    private let workers = Workers()

    override func tearDown() {
        workers.killAll()
    }

    private static func prepare(_ store: PostgresJobStore) async throws {
        let schema = store.schema
        try await store.client.query(
            "CREATE TABLE \(unescaped: schema).executions (job_id uuid NOT NULL, pid int8 NOT NULL, at timestamptz DEFAULT now())"
        )
        try await store.client.query(
            "CREATE TABLE \(unescaped: schema).outcomes (job_id uuid NOT NULL, status text NOT NULL, fencing_token int8 NOT NULL)"
        )
        try await store.client.query(
            PostgresQuery(
                unsafeSQL: """
                    CREATE FUNCTION \(schema).count_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        INSERT INTO \(schema).outcomes VALUES (NEW.id, NEW.status, NEW.fencing_token);
                        RETURN NEW;
                    END $$
                    """
            )
        )
        try await store.client.query(
            PostgresQuery(
                unsafeSQL: """
                    CREATE TRIGGER count_outcome AFTER UPDATE ON \(schema).jobs FOR EACH ROW
                    WHEN (NEW.status <> 'PROCESSING') EXECUTE FUNCTION \(schema).count_outcome()
                    """
            )
        )
    }

    private static func integer(_ store: PostgresJobStore, _ query: PostgresQuery) async throws -> Int {
        for try await value in try await store.client.query(query).decode(Int.self) { return value }
        return 0
    }

    /// Whether `pid` has started a job that is still unfinished.
    private static func holdsJobs(_ store: PostgresJobStore, pid: Int32) async throws -> Bool {
        let schema = store.schema
        return try await integer(
            store,
            """
            SELECT count(*) FROM \(unescaped: schema).executions e JOIN \(unescaped: schema).jobs j ON j.id = e.job_id
            WHERE e.pid = \(Int(pid)) AND j.status = 'PROCESSING' AND j.lease_owner IS NOT NULL
            """
        ) > 0
    }

    func testKillNineLoop_losesNoJobAndCompletesNoneTwice() async throws {
        let jobCount = 300
        let kills = 8
        let workers = self.workers
        try await TestDatabase.withStores(1) { stores in
            let store = stores[0]
            try await Self.prepare(store)
            let submitter = try JobCenter(kind: CrashCountedJob(), store: store)
            var ids: [(id: JobID, userID: String)] = []
            // 500 ms a job: the survivor alone needs about 40 s for them all, so every victim started in
            // the loop below still finds jobs to take (at 100 ms they could run out before the last kill).
            // Many users: the per-user limit counts a user's running jobs on every instance, so with one
            // user the survivor's four jobs would fill it and a new victim could wait long for a free slot.
            for index in 0..<jobCount {
                let userID = "crash-\(index % 50)"
                ids.append((try await submitter.submit(.init(delayMilliseconds: 500), userID: userID).jobID, userID))
            }
            let survivor = try workers.start(schema: store.schema, leaseMilliseconds: 1000)
            var killed = 0
            for _ in 0..<kills {
                let victim = try workers.start(schema: store.schema, leaseMilliseconds: 1000)
                let holding = try await eventually(timeout: .seconds(30)) {
                    try await Self.holdsJobs(store, pid: victim.processIdentifier)
                }
                XCTAssertTrue(holding, "the victim took jobs")
                try await Task.sleep(for: .milliseconds(Int.random(in: 100...400)))
                kill(victim.processIdentifier, SIGKILL)
                victim.waitUntilExit()
                killed += 1
            }
            let drained = try await eventually(timeout: .seconds(120)) {
                try await store.unfinishedJobCount() == 0
            }
            XCTAssertTrue(drained, "every job ended")
            kill(survivor.processIdentifier, SIGTERM)
            survivor.waitUntilExit()

            let schema = store.schema
            let completed = try await Self.integer(
                store,
                "SELECT count(*) FROM \(unescaped: schema).jobs WHERE status = 'COMPLETED'"
            )
            let failed = try await Self.integer(
                store,
                "SELECT count(*) FROM \(unescaped: schema).jobs WHERE status = 'FAILED'"
            )
            let lost = jobCount - completed - failed
            let duplicated = try await Self.integer(
                store,
                """
                SELECT count(*) FROM (SELECT job_id FROM \(unescaped: schema).outcomes
                GROUP BY job_id HAVING count(*) > 1) d
                """
            )
            let executions = try await Self.integer(store, "SELECT count(*) FROM \(unescaped: schema).executions")
            let rerun = try await Self.integer(
                store,
                """
                SELECT count(*) FROM (SELECT job_id FROM \(unescaped: schema).executions
                GROUP BY job_id HAVING count(*) > 1) d
                """
            )
            let outcomes = try await Self.integer(store, "SELECT count(*) FROM \(unescaped: schema).outcomes")
            print(
                """
                crash loop: jobs \(jobCount), kills \(killed), completed \(completed), failed \(failed), \
                lost \(lost), duplicated \(duplicated) (outcome writes \(outcomes)); executions \(executions), \
                jobs re-run after a kill \(rerun)
                """
            )
            XCTAssertEqual(killed, kills)
            XCTAssertEqual(lost, 0, "no job is lost")
            XCTAssertEqual(duplicated, 0, "no job's outcome is written twice")
            XCTAssertEqual(outcomes, jobCount, "each job's outcome is written exactly once")
            XCTAssertGreaterThan(rerun, 0, "some jobs were interrupted by the kills and ran again")
            for (id, userID) in ids {
                let record = try await store.record(for: id, userID: userID)
                XCTAssertTrue(record?.status == .completed || record?.status == .failed, "job \(id) ended")
            }
        }
    }

    func testPausedWorkerPastItsLease_cannotOverwriteTheOutcome() async throws {
        let workers = self.workers
        try await TestDatabase.withStores(1) { stores in
            let store = stores[0]
            try await Self.prepare(store)
            let submitter = try JobCenter(kind: CrashCountedJob(), store: store)
            let id = try await submitter.submit(.init(delayMilliseconds: 3000), userID: "crash").jobID
            let paused = try workers.start(schema: store.schema, leaseMilliseconds: 1000, concurrency: 1)
            let started = try await eventually(timeout: .seconds(30)) {
                try await Self.holdsJobs(store, pid: paused.processIdentifier)
            }
            XCTAssertTrue(started, "the first worker started the job")
            kill(paused.processIdentifier, SIGSTOP)
            let rescuer = try workers.start(schema: store.schema, leaseMilliseconds: 1000, concurrency: 1)
            let completed = try await eventually(timeout: .seconds(30)) {
                try await store.record(for: id, userID: "crash")?.status == .completed
            }
            XCTAssertTrue(completed, "the second worker rescued and completed the job")
            let winner = try await store.result(for: id, userID: "crash").map { String(decoding: $0, as: UTF8.self) }
            XCTAssertEqual(winner, "\(rescuer.processIdentifier)")

            // The paused worker wakes up with a lapsed, taken-over lease and its job still running.
            kill(paused.processIdentifier, SIGCONT)
            try await Task.sleep(for: .seconds(4))
            XCTAssertTrue(paused.isRunning, "the stale worker kept running")
            let record = try await store.record(for: id, userID: "crash")
            XCTAssertEqual(record?.status, .completed)
            let result = try await store.result(for: id, userID: "crash").map { String(decoding: $0, as: UTF8.self) }
            XCTAssertEqual(result, "\(rescuer.processIdentifier)", "the stale worker did not overwrite the result")
            let outcomes = try await Self.integer(
                store,
                "SELECT count(*) FROM \(unescaped: store.schema).outcomes WHERE job_id = \(id.uuid)"
            )
            XCTAssertEqual(outcomes, 1, "one outcome write")
            let executions = try await Self.integer(
                store,
                "SELECT count(*) FROM \(unescaped: store.schema).executions WHERE job_id = \(id.uuid)"
            )
            XCTAssertEqual(executions, 2, "the job ran on both workers")
            for worker in [paused, rescuer] { kill(worker.processIdentifier, SIGTERM) }
            for worker in [paused, rescuer] { worker.waitUntilExit() }
        }
    }
}

/// The worker processes a test started; tear-down kills those still running.
final class Workers: @unchecked Sendable {  // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var processes: [Process] = []

    private static func executable() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["RESUME_OPTIMIZER_CRASH_WORKER"] {
            return URL(fileURLWithPath: path)
        }
        let directory =
            Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [directory.appendingPathComponent("postgres-crash-worker")]
        // On macOS the test bundle's executable sits three levels below the build directory.
        candidates.append(
            directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("postgres-crash-worker")
        )
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("postgres-crash-worker is not built next to the tests (swift build --build-tests builds it)")
        }
        return found
    }

    /// Starts a worker on `schema`.
    func start(schema: String, leaseMilliseconds: Int, concurrency: Int = 4) throws -> Process {
        let process = Process()
        process.executableURL = try Self.executable()
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = try TestDatabase.url()
        environment["WORKER_SCHEMA"] = schema
        environment["WORKER_LEASE_MS"] = "\(leaseMilliseconds)"
        environment["WORKER_CONCURRENCY"] = "\(concurrency)"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        lock.withLock { processes.append(process) }
        return process
    }

    func killAll() {
        let running = lock.withLock {
            defer { processes.removeAll() }
            return processes
        }
        for process in running where process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
