import Foundation
import JobOrchestration
import InMemoryTracing
import Instrumentation
@testable import JobOrchestrationPostgres
import Tracing
import XCTest

/// Two and three job centers, each on its own store (its own connection pool), on one database.
final class MultiCenterTests: XCTestCase {
    private static func makeCenters(
        _ stores: [PostgresJobStore],
        logs: [ExecutionLog],
        maximumConcurrentJobs: Int = 4
    ) throws -> [JobCenter<CountedJob>] {
        try zip(stores, logs).map { store, log in
            try JobCenter(
                kind: CountedJob(runs: log),
                store: store,
                configuration: .init(
                    maximumConcurrentJobs: maximumConcurrentJobs,
                    maximumConcurrentJobsPerUser: 8,
                    shutdownGracePeriod: .milliseconds(200),
                    downloadLinks: .init(secret: Array(repeating: 7, count: 32)),
                    pollInterval: .seconds(1)
                )
            )
        }
    }

    func testTraceContext_travelsWithTheJob_toTheInstanceThatRunsIt() async throws {
        // The in-memory tracer of this test process (the other test target's tracing tests may have
        // bootstrapped it first).
        let tracer: InMemoryTracer
        if let bootstrapped = InstrumentationSystem.tracer as? InMemoryTracer {
            tracer = bootstrapped
        } else {
            tracer = InMemoryTracer()
            InstrumentationSystem.bootstrap(tracer)
        }
        try await TestDatabase.withStores(2) { stores in
            let logs = (0..<2).map { _ in ExecutionLog() }
            let centers = try Self.makeCenters(stores, logs: logs)
            // A only submits; B, on its own connection pool, claims and runs the job.
            try await withRunningCenters([centers[1]]) {
                let submitted = try await centers[0].submit(.init(text: "traced"), userID: "user-1")
                let report = try await centers[1].wait(for: submitted.jobID, userID: "user-1", timeout: .seconds(20))
                XCTAssertEqual(report.status, .completed)
                XCTAssertEqual(logs[1].count(of: submitted.jobID), 1, "B ran the job")

                let stored = try await stores[1].record(for: submitted.jobID, userID: "user-1")
                XCTAssertEqual(stored?.traceContext?.isEmpty, false, "the record carries the submit's context")
                let id = SpanAttribute.string(submitted.jobID.description)
                let spans = tracer.finishedSpans
                let submit = try XCTUnwrap(
                    spans.first { $0.kind == .producer && $0.attributes["job.id"]?.toSpanAttribute() == id }
                )
                let attempt = try XCTUnwrap(
                    spans.first { $0.kind == .consumer && $0.attributes["job.id"]?.toSpanAttribute() == id }
                )
                XCTAssertEqual(attempt.traceID, submit.traceID, "B's attempt joins A's trace")
                XCTAssertEqual(attempt.parentSpanID, submit.spanID)
            }
        }
    }

    func testThreeCenters_shareTheWorkAndRunEachJobOnce() async throws {
        try await TestDatabase.withStores(3) { stores in
            let logs = (0..<3).map { _ in ExecutionLog() }
            let centers = try Self.makeCenters(stores, logs: logs)
            try await withRunningCenters(centers) {
                var ids: [JobID] = []
                for index in 0..<60 {
                    let center = centers[index % 3]
                    let report = try await center.submit(
                        .init(text: "job \(index)", delayMilliseconds: 30),
                        userID: "user-\(index % 5)"
                    )
                    ids.append(report.jobID)
                }
                for (index, id) in ids.enumerated() {
                    let report = try await centers[(index + 1) % 3].wait(
                        for: id,
                        userID: "user-\(index % 5)",
                        timeout: .seconds(30)
                    )
                    XCTAssertEqual(report.status, .completed)
                }
                for id in ids {
                    XCTAssertEqual(logs.map { $0.count(of: id) }.reduce(0, +), 1, "job \(id) ran exactly once")
                }
                for (index, log) in logs.enumerated() {
                    XCTAssertGreaterThan(log.total, 0, "center \(index) took part of the work")
                }
                let unfinished = try await centers[2].unfinishedJobCount()
                XCTAssertEqual(unfinished, 0)
            }
        }
    }

    func testStatusHistoryWaitAndUpdates_agreeOnEveryInstance() async throws {
        try await TestDatabase.withStores(3) { stores in
            let logs = (0..<3).map { _ in ExecutionLog() }
            let centers = try Self.makeCenters(stores, logs: logs, maximumConcurrentJobs: 1)
            let (a, b, c) = (centers[0], centers[1], centers[2])
            // A and C are kept busy with a long job each, so the job under test can only run on B.
            try await withRunningCenters([a, c]) {
                let blockers = [
                    try await a.submit(.init(text: "blocker", delayMilliseconds: 60_000), userID: "blocker"),
                    try await a.submit(.init(text: "blocker", delayMilliseconds: 60_000), userID: "blocker"),
                ]
                let busy = await eventually { logs[0].total == 1 && logs[2].total == 1 }
                XCTAssertTrue(busy, "A and C each run a blocker")
                try await withRunningCenters([b]) {
                    let submitted = try await a.submit(.init(text: "shared", delayMilliseconds: 300), userID: "user-1")
                    let updates = try await c.updates(of: submitted.jobID, userID: "user-1")
                    async let waited = a.wait(for: submitted.jobID, userID: "user-1", timeout: .seconds(20))
                    async let followed: [JobStatusReport<CountedJob.Details>] = updates.reduce(into: []) {
                        $0.append($1)
                    }
                    let report = try await waited
                    let returnedAt = Date()
                    XCTAssertEqual(report.status, .completed)
                    XCTAssertEqual(logs[1].count(of: submitted.jobID), 1, "B ran the job")
                    XCTAssertEqual(logs[0].count(of: submitted.jobID) + logs[2].count(of: submitted.jobID), 0)
                    let latency = returnedAt.timeIntervalSince(report.timestamp)
                    XCTAssertLessThan(latency, 0.1, "A's long poll returned \(latency) s after B completed the job")
                    print("long poll on A for a job B completed returned \(Int(latency * 1000)) ms after completion")

                    let reports = await followed
                    XCTAssertEqual(reports.last?.status, .completed, "C's updates end with the outcome")
                    XCTAssertEqual(reports.last?.revision, report.revision)
                    XCTAssertTrue(reports.contains { $0.message == "Counted" }, "C saw B's progress")
                    for center in [a, b, c] {
                        let status = try await center.status(of: submitted.jobID, userID: "user-1")
                        XCTAssertEqual(status.status, report.status)
                        XCTAssertEqual(status.revision, report.revision)
                        XCTAssertEqual(status.message, report.message)
                        XCTAssertEqual(status.details, report.details)
                        let history = try await center.history(of: "user-1")
                        XCTAssertEqual(history.jobs.map(\.jobID), [submitted.jobID])
                        let link = try XCTUnwrap(status.downloadLink)
                        // A link signed on one instance works on every instance (same secret).
                        for other in [a, b, c] {
                            let download = try await other.download(token: link.token)
                            XCTAssertEqual(download.data, Data("SHARED".utf8))
                        }
                    }
                }
                for blocker in blockers { _ = try await a.cancel(blocker.jobID, userID: "blocker") }
            }
        }
    }

    func testIdempotencyKey_acrossInstancesGivesOneJobThatRunsOnce() async throws {
        try await TestDatabase.withStores(3) { stores in
            let logs = (0..<3).map { _ in ExecutionLog() }
            let centers = try Self.makeCenters(stores, logs: logs)
            try await withRunningCenters(centers) {
                let reports = try await withThrowingTaskGroup(of: JobStatusReport<CountedJob.Details>.self) { group in
                    for center in centers {
                        group.addTask {
                            try await center.submit(.init(text: "once"), userID: "user-1", idempotencyKey: "retry-1")
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                XCTAssertEqual(Set(reports.map(\.jobID)).count, 1, "every instance returns the same job")
                let id = reports[0].jobID
                let done = try await centers[1].wait(for: id, userID: "user-1", timeout: .seconds(20))
                XCTAssertEqual(done.status, .completed)
                XCTAssertEqual(logs.map { $0.count(of: id) }.reduce(0, +), 1)
                await XCTAssertThrowsJobError(.idempotencyConflict) {
                    try await centers[2].submit(.init(text: "different"), userID: "user-1", idempotencyKey: "retry-1")
                }
            }
        }
    }
}
