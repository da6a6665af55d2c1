// A job center process on PostgreSQL, for the crash-safety tests (CrashSafetyTests): the tests start
// several, `kill -9` some of them while they hold jobs, pause others with SIGSTOP, and count what ran.
//
// Environment:
//   DATABASE_URL            postgres://USER:PASSWORD@HOST:PORT/DATABASE
//   WORKER_SCHEMA           the store's schema (the test creates `executions` in it)
//   WORKER_LEASE_MS         lease duration (heartbeat: a quarter of it). Default 1000.
//   WORKER_CONCURRENCY      jobs at once. Default 4.
//
// Each execution of a job inserts a row (job id, this process's pid) into WORKER_SCHEMA.executions when it
// starts; the job's result is this process's pid. SIGTERM shuts down gracefully (leases released).
import Foundation
import JobOrchestration
import JobOrchestrationPostgres
import Logging
import PostgresNIO
import ServiceLifecycle
import UnixSignals

/// The job kind the crash tests run: sleeps for its input's delay and records its executions.
struct CrashCountedJob: JobKind {
    static let identifier = "crash.counted"

    struct Input: Codable, Sendable {
        var delayMilliseconds: Int
    }

    let client: PostgresClient
    let schema: String
    let pid = ProcessInfo.processInfo.processIdentifier

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<NoJobDetails> {
        try await client.query(
            "INSERT INTO \(unescaped: schema).executions (job_id, pid) VALUES (\(context.jobID.uuid), \(Int(pid)))"
        )
        try await Task.sleep(for: .milliseconds(input.delayMilliseconds))
        return JobOutput(
            artifact: JobArtifact(
                data: Data("\(pid)".utf8),
                fileType: "txt",
                contentType: "text/plain",
                downloadFilename: "pid.txt"
            )
        )
    }
}

@main
struct PostgresCrashWorker {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["DATABASE_URL"], let schema = environment["WORKER_SCHEMA"] else {
            FileHandle.standardError.write(Data("usage: DATABASE_URL=… WORKER_SCHEMA=… postgres-crash-worker\n".utf8))
            exit(2)
        }
        let leaseMilliseconds = environment["WORKER_LEASE_MS"].flatMap(Int.init) ?? 1000
        let concurrency = environment["WORKER_CONCURRENCY"].flatMap(Int.init) ?? 4
        var logger = Logger(label: "crash-worker")
        logger.logLevel = .warning

        var configuration = try PostgresJobStoreConfiguration(url: url)
        configuration.schema = schema
        configuration.operationTimeout = .seconds(5)
        configuration.listenRetryDelay = .milliseconds(200)
        let store = try PostgresJobStore(configuration: configuration, backgroundLogger: logger)
        let executions = PostgresClient(configuration: configuration.client, backgroundLogger: logger)
        let center = try JobCenter(
            kind: CrashCountedJob(client: executions, schema: schema),
            store: store,
            configuration: .init(
                maximumConcurrentJobs: concurrency,
                maximumConcurrentJobsPerUser: concurrency,
                retry: JobRetryPolicy(maximumAttempts: 8),
                shutdownGracePeriod: .seconds(1),
                leaseDuration: .milliseconds(leaseMilliseconds),
                heartbeatInterval: .milliseconds(max(leaseMilliseconds / 4, 10)),
                pollInterval: .milliseconds(200)
            ),
            backgroundLogger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [executions, store, center],
                gracefulShutdownSignals: [.sigterm],
                logger: logger
            )
        )
        try await group.run()
    }
}
