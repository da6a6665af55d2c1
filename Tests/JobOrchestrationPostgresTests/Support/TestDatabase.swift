import Foundation
import JobOrchestration
@testable import JobOrchestrationPostgres
import Logging
import PostgresNIO
import XCTest

/// The PostgreSQL the tests run against: `RESUME_OPTIMIZER_TEST_DATABASE_URL`
/// (`eval "$(Scripts/start-test-postgres.sh)"` starts one).
///
/// Without it the tests are skipped on a developer's machine, and fail in CI (`CI=true`).
enum TestDatabase {
    static let urlVariable = "RESUME_OPTIMIZER_TEST_DATABASE_URL"
    static let binariesVariable = "RESUME_OPTIMIZER_TEST_POSTGRES_BINDIR"

    static var isCI: Bool {
        ProcessInfo.processInfo.environment["CI"].map { $0 == "true" || $0 == "1" } ?? false
    }

    /// The database URL, or a skip (a failure in CI) when there is none.
    static func url(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        if let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty { return url }
        let message =
            "\(urlVariable) is not set: PostgreSQL tests need a database. Run `eval \"$(Scripts/start-test-postgres.sh)\"` first."
        if isCI {
            XCTFail("\(message) (CI=true: the PostgreSQL tests must run in CI)", file: file, line: line)
            throw XCTSkip("failed: \(message)")
        }
        throw XCTSkip(message)
    }

    /// PostgreSQL's server binaries (for the restart test's own cluster), or a skip (a failure in CI)
    /// when they are not named.
    static func binaries(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        if let path = ProcessInfo.processInfo.environment[binariesVariable], !path.isEmpty { return path }
        let message =
            "\(binariesVariable) is not set: the restart test starts a PostgreSQL cluster of its own with initdb and pg_ctl. Run `eval \"$(Scripts/start-test-postgres.sh)\"` first."
        if isCI {
            XCTFail("\(message) (CI=true: the PostgreSQL tests must run in CI)", file: file, line: line)
            throw XCTSkip("failed: \(message)")
        }
        throw XCTSkip(message)
    }

    /// A fresh schema name, so that tests never see each other's jobs.
    static func freshSchema() -> String {
        "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    static func configuration(schema: String, operationTimeout: Duration = .seconds(10)) throws
        -> PostgresJobStoreConfiguration
    {
        var configuration = try PostgresJobStoreConfiguration(url: url())
        configuration.client.tls = .disable
        configuration.client.options.maximumConnections = 8
        configuration.schema = schema
        configuration.operationTimeout = operationTimeout
        configuration.listenRetryDelay = .milliseconds(100)
        return configuration
    }

    static func makeStore(schema: String, operationTimeout: Duration = .seconds(10)) throws -> PostgresJobStore {
        try PostgresJobStore(configuration: configuration(schema: schema, operationTimeout: operationTimeout))
    }

    /// Runs `count` stores on one fresh schema while `body` runs, then drops the schema.
    static func withStores<Result: Sendable>(
        _ count: Int = 1,
        schema: String = freshSchema(),
        operationTimeout: Duration = .seconds(10),
        _ body: @Sendable ([PostgresJobStore]) async throws -> Result
    ) async throws -> Result {
        let stores = try (0..<count).map { _ in try makeStore(schema: schema, operationTimeout: operationTimeout) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores {
                group.addTask { try await store.run() }
            }
            do {
                for store in stores { try await store.waitUntilReady() }
                let result = try await body(stores)
                try await dropSchema(schema, using: stores[0])
                group.cancelAll()
                return result
            } catch {
                try? await dropSchema(schema, using: stores[0])
                group.cancelAll()
                throw error
            }
        }
    }

    static func dropSchema(_ schema: String, using store: PostgresJobStore) async throws {
        try await store.client.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE")
    }
}

extension PostgresJobStore {
    /// Waits until the store has migrated and listens for changes.
    func waitUntilReady(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if isListening, (try? await unfinishedJobCount()) != nil { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTFail("The store did not become ready within \(timeout)")
    }
}

/// Records for the tests, with millisecond timestamps as the job center makes them.
enum TestRecords {
    static func now() -> Date {
        RecordColumns.rounded(Date())
    }

    static func queued(
        user: String = "user-1",
        kind: String = "test.kind",
        submittedAt: Date = now(),
        idempotencyKey: String? = nil
    ) -> JobRecord {
        let submittedAt = RecordColumns.rounded(submittedAt)
        return JobRecord(
            id: .random(),
            userID: user,
            kind: kind,
            status: .processing,
            message: "Queued",
            updatedAt: submittedAt,
            submittedAt: submittedAt,
            deadline: submittedAt.addingTimeInterval(1800),
            idempotencyKey: idempotencyKey,
            inputDigest: idempotencyKey.map { "digest-\($0)" },
            // Every store keeps the submitter's trace context with the record.
            traceContext: ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"]
        )
    }
}
