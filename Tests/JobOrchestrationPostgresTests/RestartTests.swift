import Foundation
import JobOrchestration
@testable import JobOrchestrationPostgres
import PostgresNIO
import XCTest

/// PostgreSQL restarted mid-run, on a cluster of the test's own (the one the other tests share is never
/// stopped): the center and its store recover without a restart of their own.
final class RestartTests: XCTestCase {
    /// The store's timeout for one call: calls made while the database is away fail within it.
    private static let operationTimeout: Duration = .seconds(2)

    func testDatabaseRestartedTwiceMidRun_centerRecoversWithoutARestartAndLosesNoJob() async throws {
        let cluster = try await TestCluster.start(binaries: TestDatabase.binaries())
        do {
            try await within(.seconds(300), "the restart test") { try await Self.runScenario(on: cluster) }
        } catch {
            await cluster.remove()
            throw error
        }
        await cluster.remove()
    }

    private static func runScenario(on cluster: TestCluster) async throws {
        var storeConfiguration = try PostgresJobStoreConfiguration(url: cluster.url)
        storeConfiguration.client.tls = .disable
        storeConfiguration.client.options.maximumConnections = 4
        storeConfiguration.schema = TestDatabase.freshSchema()
        storeConfiguration.operationTimeout = operationTimeout
        storeConfiguration.listenRetryDelay = .milliseconds(100)
        let store = try PostgresJobStore(configuration: storeConfiguration)
        let log = ExecutionLog()
        let center = try JobCenter(
            kind: CountedJob(runs: log),
            store: store,
            configuration: .init(
                maximumConcurrentJobs: 4,
                maximumConcurrentJobsPerUser: 8,
                shutdownGracePeriod: .milliseconds(500),
                // Longer than each outage: no lease lapses, so each job must run exactly once.
                leaseDuration: .seconds(30),
                heartbeatInterval: .seconds(1),
                pollInterval: .milliseconds(250)
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            try await within(.seconds(30), "the store becomes ready") { try await store.waitUntilReady() }
            try await withRunningCenters([center]) {
                try await restartTwice(cluster, center: center, store: store, log: log)
            }
        }
    }

    private static func restartTwice(
        _ cluster: TestCluster,
        center: JobCenter<CountedJob>,
        store: PostgresJobStore,
        log: ExecutionLog
    ) async throws {
        var submitted: [(id: JobID, user: String)] = []
        func submit(_ count: Int, delay: Int) async throws {
            for index in 0..<count {
                let user = "user-\(index % 3)"
                let report = try await within(.seconds(10), "a submit") {
                    try await center.submit(.init(text: "job \(index)", delayMilliseconds: delay), userID: user)
                }
                submitted.append((report.jobID, user))
            }
        }

        for mode in ["fast", "immediate"] {
            // Jobs that run across the outage (each ends while the database is away) and jobs queued behind them.
            try await submit(12, delay: 1000)
            let started = log.total
            let running = await eventually(timeout: .seconds(20)) { log.total >= started + 4 }
            XCTAssertTrue(running, "4 jobs are running before the database stops")

            try await within(.seconds(60), "pg_ctl stop -m \(mode)") { try await cluster.stop(mode: mode) }
            let stoppedAt = ContinuousClock.now

            // While it is away, calls fail with a typed error within the store's timeout: no crash, no hang.
            try await expectUnavailable("submit (\(mode))") {
                _ = try await center.submit(.init(text: "refused"), userID: "user-0")
            }
            let first = submitted[0]
            try await expectUnavailable("status (\(mode))") {
                _ = try await center.status(of: first.id, userID: first.user)
            }
            try await expectUnavailable("history (\(mode))") {
                _ = try await center.history(of: "user-1")
            }
            // Long enough for the running jobs to end while the database is away.
            let away = Duration.seconds(3) - (ContinuousClock.now - stoppedAt)
            if away > .zero { try await Task.sleep(for: away) }

            try await within(.seconds(60), "pg_ctl start") { try await cluster.start() }
            let restartedAt = ContinuousClock.now
            let answered = await eventually(timeout: .seconds(30)) {
                (try? await center.history(of: "user-1")) != nil
            }
            XCTAssertTrue(answered, "the center answers again after PostgreSQL restarted (-m \(mode))")
            let listening = await eventually(timeout: .seconds(30)) { store.isListening }
            XCTAssertTrue(listening, "the store listens again after PostgreSQL restarted (-m \(mode))")
            print(
                "PostgreSQL stopped -m \(mode): down \(stoppedAt.duration(to: restartedAt)), the center answered again \(restartedAt.duration(to: .now)) after the restart"
            )
            // A new submit works at once, without a restart of the center.
            try await submit(4, delay: 0)
        }

        for job in submitted {
            let report = try await within(.seconds(60), "wait for a job") {
                try await center.wait(for: job.id, userID: job.user, timeout: .seconds(50))
            }
            XCTAssertEqual(report.status, .completed, "job \(job.id): \(report.message)")
        }
        XCTAssertEqual(Set(submitted.map(\.id)).count, submitted.count)
        for job in submitted {
            XCTAssertEqual(log.count(of: job.id), 1, "job \(job.id) ran exactly once (no lease lapsed)")
        }
        XCTAssertEqual(log.jobs, submitted.count, "no other job ran")
        let stored = try await within(.seconds(10), "count the stored jobs") {
            try await store.client.query(
                "SELECT count(*)::int8, count(*) FILTER (WHERE status = 'COMPLETED')::int8 FROM \(unescaped: store.table)"
            ).collect().first?.decode((Int, Int).self)
        }
        XCTAssertEqual(stored?.0, submitted.count, "one stored job per submit: none lost, none duplicated")
        XCTAssertEqual(stored?.1, submitted.count, "every stored job is COMPLETED")
        print("restart test: \(submitted.count) jobs submitted, \(log.total) executions, \(stored?.1 ?? -1) COMPLETED")
    }

    /// Asserts that `body` fails with the center's `storeFailure` caused by the store's `unavailable`,
    /// within the store's timeout.
    private static func expectUnavailable(
        _ what: String,
        file: StaticString = #filePath,
        line: UInt = #line,
        _ body: @escaping @Sendable () async throws -> Void
    ) async throws {
        let start = ContinuousClock.now
        do {
            try await within(operationTimeout * 3, what) { try await body() }
            XCTFail("\(what) succeeded while PostgreSQL was stopped", file: file, line: line)
        } catch let error as JobError {
            XCTAssertEqual(error.code, .storeFailure, "\(what): \(error)", file: file, line: line)
            let cause = error.cause as? PostgresJobStoreError
            XCTAssertEqual(cause?.code, .unavailable, "\(what): \(error)", file: file, line: line)
            XCTAssertEqual(cause?.isRetryable, true, file: file, line: line)
        }
        let elapsed = start.duration(to: .now)
        XCTAssertLessThan(
            elapsed,
            operationTimeout + .seconds(1),
            "\(what) failed after \(elapsed)",
            file: file,
            line: line
        )
    }
}

/// Fails (instead of hanging) when `body` does not end within `timeout`.
func within<Value: Sendable>(
    _ timeout: Duration,
    _ what: String,
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    switch try await TimedRace.run(timeout: timeout, body) {
    case .value(let value):
        return value
    case .timedOut:
        XCTFail("\(what) did not end within \(timeout)", file: file, line: line)
        throw CancellationError()
    }
}

/// A throwaway PostgreSQL cluster of one test's own, made by `Scripts/start-test-postgres.sh` in a
/// temporary directory on a free port.
struct TestCluster: Sendable {
    let directory: String
    let url: String
    let control: String
    let script: String

    static func start(binaries: String) async throws -> TestCluster {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/start-test-postgres.sh").path
        var lastOutput = ""
        for _ in 0..<5 {
            let directory = "/tmp/resume-optimizer-restart-test-\(UUID().uuidString.prefix(8))"
            let environment = [
                "RESUME_OPTIMIZER_TEST_POSTGRES_DIR": directory,
                "RESUME_OPTIMIZER_TEST_POSTGRES_PORT": "\(Int.random(in: 40_000..<50_000))",
                "POSTGRES_BINDIR": binaries,
                // A `stop -m immediate` must not lose acknowledged commits (jobs), as a real server's would not.
                "RESUME_OPTIMIZER_TEST_POSTGRES_SYNCHRONOUS_COMMIT": "on",
            ]
            let (status, output) = try await runProcess(script, ["start"], environment: environment)
            let exports = Self.exports(in: output)
            if status == 0, let url = exports["RESUME_OPTIMIZER_TEST_DATABASE_URL"],
                let control = exports["RESUME_OPTIMIZER_TEST_POSTGRES_CONTROL"]
            {
                return TestCluster(directory: directory, url: url, control: control, script: script)
            }
            lastOutput = output
            // Most likely the port was taken: remove the directory and try another port.
            _ = try? await runProcess(script, ["stop"], environment: environment)
        }
        throw TestClusterError(message: "Could not start a PostgreSQL cluster: \(lastOutput)")
    }

    func stop(mode: String) async throws { try await run(["stop", mode]) }
    func start() async throws { try await run(["start"]) }

    func remove() async {
        _ = try? await runProcess(script, ["stop"], environment: ["RESUME_OPTIMIZER_TEST_POSTGRES_DIR": directory])
    }

    private func run(_ arguments: [String]) async throws {
        let (status, output) = try await runProcess(control, arguments, environment: [:])
        guard status == 0 else {
            throw TestClusterError(message: "\(control) \(arguments.joined(separator: " ")) failed: \(output)")
        }
    }

    private static func exports(in output: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let assignment = line.dropFirst("export ".count)
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            values[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
                .trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        return values
    }
}

struct TestClusterError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Runs a program to its end without blocking a thread of the concurrency pool; its status and output.
///
/// `posix_spawn` and a thread of its own that waits for the child, not Foundation's `Process`: its
/// `terminationHandler` never ran for these scripts here (the child stayed a zombie), which hung the test.
func runProcess(_ path: String, _ arguments: [String], environment: [String: String]) async throws -> (Int32, String) {
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
    guard spawned == 0 else {
        throw TestClusterError(message: "Could not start \(path): \(String(cString: strerror(spawned)))")
    }
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
