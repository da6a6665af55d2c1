import Foundation
@testable import JobOrchestration
import XCTest

final class DirectoryJobStoreTests: XCTestCase {
    func testJob_isStoredInTheSeedsLayout_andItsInputIsDeletedWhenItEnds() async throws {
        let root = try makeTemporaryDirectory(self)
        let center = try JobCenter(kind: ScriptedJob(), store: DirectoryJobStore(root: root), configuration: .testing())
        let submitted = try await center.submit(.init(text: "on disk"), userID: "alice")
        let jobDirectory = root.appendingPathComponent("users/alice/status/\(submitted.jobID)")

        XCTAssertTrue(FileManager.default.fileExists(atPath: jobDirectory.appendingPathComponent("input.json").path))
        let status =
            try JSONSerialization.jsonObject(with: Data(contentsOf: jobDirectory.appendingPathComponent("status.json")))
            as? [String: Any]
        XCTAssertEqual(status?["status"] as? String, "PROCESSING")
        XCTAssertEqual(status?["jobId"] as? String, submitted.jobID.description)

        try await withRunningJobCenter(center) { center in
            _ = try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        XCTAssertFalse(FileManager.default.fileExists(atPath: jobDirectory.appendingPathComponent("input.json").path))
        XCTAssertEqual(
            try String(contentsOf: jobDirectory.appendingPathComponent("result"), encoding: .utf8),
            "ON DISK"
        )
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: jobDirectory.path).filter {
            $0.hasPrefix(".")
        }
        XCTAssertEqual(leftovers, [], "no temporary files are left behind")
    }

    func testRetention_keepingInputs_keepsTheUploadedInput() async throws {
        let root = try makeTemporaryDirectory(self)
        let center = try JobCenter(
            kind: ScriptedJob(),
            store: DirectoryJobStore(root: root),
            configuration: .testing(retention: JobRetention(keepsInputs: true))
        )
        let submitted = try await center.submit(.init(text: "keep me"), userID: "alice")
        try await withRunningJobCenter(center) { center in
            _ = try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        let input = root.appendingPathComponent("users/alice/status/\(submitted.jobID)/input.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: input.path))
    }

    func testUnusualUserIDs_staySafelyInsideTheStore() async throws {
        let root = try makeTemporaryDirectory(self)
        let store = DirectoryJobStore(root: root)
        let center = try JobCenter(kind: ScriptedJob(), store: store, configuration: .testing())

        let submitted = try await center.submit(.init(text: "x"), userID: "../../etc")
        let report = try await center.status(of: submitted.jobID, userID: "../../etc")

        XCTAssertEqual(report.status, .processing)
        let users = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("users").path)
        XCTAssertEqual(users.count, 1)
        XCTAssertTrue(users[0].hasPrefix("~"))
        await XCTAssertThrowsJobError(.notFound) { try await center.status(of: submitted.jobID, userID: "../..") }
    }

    // MARK: Crash recovery

    func testRestart_resumesJobsLeftProcessingFromTheirStoredInput() async throws {
        let root = try makeTemporaryDirectory(self)
        // The first process accepted jobs and died before running them (it never ran).
        let crashed = try JobCenter(
            kind: ScriptedJob(),
            store: DirectoryJobStore(root: root),
            configuration: .testing()
        )
        var ids: [JobID] = []
        for index in 0..<3 {
            ids.append(
                try await crashed.submit(.init(text: "job \(index)", stages: ["Working"]), userID: "alice").jobID
            )
        }

        let runs = RunLog()
        let restarted = try JobCenter(
            kind: ScriptedJob(runs: runs),
            store: DirectoryJobStore(root: root),
            configuration: .testing()
        )
        let finals = try await withRunningJobCenter(restarted) { center in
            var finals: [JobStatusReport<ScriptedJob.Details>] = []
            for id in ids { finals.append(try await center.wait(for: id, userID: "alice", timeout: .seconds(10))) }
            return finals
        }

        XCTAssertEqual(finals.map(\.status), [.completed, .completed, .completed])
        XCTAssertEqual(runs.totalStarts, 3)
        let download = try await restarted.result(of: ids[2], userID: "alice")
        XCTAssertEqual(String(decoding: download.data, as: UTF8.self), "JOB 2")
    }

    func testRestart_whenTheInputIsGone_failsTheJobAsInterrupted() async throws {
        let root = try makeTemporaryDirectory(self)
        let crashed = try JobCenter(
            kind: ScriptedJob(),
            store: DirectoryJobStore(root: root),
            configuration: .testing()
        )
        let submitted = try await crashed.submit(.init(text: "lost"), userID: "alice")
        try FileManager.default.removeItem(
            at: root.appendingPathComponent("users/alice/status/\(submitted.jobID)/input.json")
        )

        let restarted = try JobCenter(
            kind: ScriptedJob(),
            store: DirectoryJobStore(root: root),
            configuration: .testing()
        )
        let final = try await withRunningJobCenter(restarted) { center in
            try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        XCTAssertEqual(final.status, .failed)
        XCTAssertEqual(final.errorCode, .interrupted)
        XCTAssertTrue(final.message.contains("Submit it again"))
    }

    func testRestart_keepsCompletedJobsAndTheirDownloads() async throws {
        let root = try makeTemporaryDirectory(self)
        let secret = JobCenterConfiguration.testing()
        let first = try JobCenter(kind: ScriptedJob(), store: DirectoryJobStore(root: root), configuration: secret)
        let submitted = try await first.submit(.init(text: "survivor"), userID: "alice")
        let completed = try await withRunningJobCenter(first) { center in
            try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }
        let oldLink = try XCTUnwrap(completed.downloadLink)

        let runs = RunLog()
        let second = try JobCenter(
            kind: ScriptedJob(runs: runs),
            store: DirectoryJobStore(root: root),
            configuration: secret
        )
        let (report, download) = try await withRunningJobCenter(second) { center in
            (
                try await center.status(of: submitted.jobID, userID: "alice"),
                try await center.download(token: oldLink.token)
            )
        }

        XCTAssertEqual(report.status, .completed)
        XCTAssertEqual(report.revision, completed.revision)
        XCTAssertEqual(String(decoding: download.data, as: UTF8.self), "SURVIVOR")
        XCTAssertEqual(runs.totalStarts, 0, "a finished job never runs again")
    }

    func testRestart_afterAGracefulShutdownMidJob_finishesTheJob() async throws {
        let root = try makeTemporaryDirectory(self)
        let first = try JobCenter(
            kind: ScriptedJob(),
            store: DirectoryJobStore(root: root),
            configuration: .testing(grace: .milliseconds(10))
        )
        let submitted = try await first.submit(
            .init(text: "interrupted", stages: ["Working"], delayMilliseconds: 200),
            userID: "alice"
        )
        try await withRunningJobCenter(first) { center in
            _ = try await center.wait(
                for: submitted.jobID,
                userID: "alice",
                timeout: .seconds(10),
                until: .changed(afterRevision: 1)
            )
        }
        let left = try await first.status(of: submitted.jobID, userID: "alice")
        XCTAssertEqual(left.status, .processing)

        let second = try JobCenter(kind: ScriptedJob(), store: DirectoryJobStore(root: root), configuration: .testing())
        let final = try await withRunningJobCenter(second) { center in
            try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        XCTAssertEqual(final.status, .completed)
    }

    // MARK: Retention

    func testPrune_deletesExpiredJobsAndResults() async throws {
        let root = try makeTemporaryDirectory(self)
        let center = try JobCenter(
            kind: ScriptedJob(),
            store: DirectoryJobStore(root: root),
            configuration: .testing(
                grace: .milliseconds(10),
                retention: JobRetention(finishedJobLifetime: .seconds(3600), resultLifetime: .seconds(60))
            )
        )
        let submitted = try await center.submit(.init(text: "old"), userID: "alice", idempotencyKey: "once")
        let running = try await center.submit(.init(text: "unfinished", delayMilliseconds: 30_000), userID: "alice")
        try await withRunningJobCenter(center) { center in
            _ = try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        let soon = try await center.prune(now: Date().addingTimeInterval(30))
        let later = try await center.prune(now: Date().addingTimeInterval(120))
        let afterResult = try await center.status(of: submitted.jobID, userID: "alice")
        await XCTAssertThrowsJobError(.resultUnavailable) {
            try await center.result(of: submitted.jobID, userID: "alice")
        }
        let muchLater = try await center.prune(now: Date().addingTimeInterval(7200))

        XCTAssertEqual(soon, JobPruneSummary(deletedJobs: 0, deletedResults: 0))
        XCTAssertEqual(later.deletedResults, 1)
        XCTAssertEqual(afterResult.status, .completed)
        XCTAssertNil(afterResult.downloadLink, "no link to a deleted result")
        XCTAssertEqual(muchLater.deletedJobs, 1, "only the finished job is deleted")
        await XCTAssertThrowsJobError(.notFound) { try await center.status(of: submitted.jobID, userID: "alice") }
        let stillThere = try await center.status(of: running.jobID, userID: "alice")
        XCTAssertEqual(stillThere.status, .processing)
        XCTAssertFalse(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("users/alice/status/\(submitted.jobID)").path
            )
        )
    }

    func testPrune_inMemory_deletesExpiredJobs() async throws {
        let store = InMemoryJobStore()
        let center = try JobCenter(kind: ScriptedJob(), store: store, configuration: .testing())
        let submitted = try await center.submit(.init(text: "old"), userID: "alice")
        try await withRunningJobCenter(center) { center in
            _ = try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        let now = try await center.prune()
        let nextWeek = try await center.prune(now: Date().addingTimeInterval(8 * 24 * 3600))

        XCTAssertEqual(now.deletedJobs, 0)
        XCTAssertEqual(nextWeek.deletedJobs, 1)
        XCTAssertEqual(store.count, 0)
        let history = try await center.history(of: "alice")
        XCTAssertTrue(history.jobs.isEmpty)
    }

    func testInsert_withTheSameIdempotencyKey_isAtomicOnDisk() async throws {
        let root = try makeTemporaryDirectory(self)
        let center = try JobCenter(kind: ScriptedJob(), store: DirectoryJobStore(root: root), configuration: .testing())

        let ids = try await withThrowingTaskGroup(of: JobID.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await center.submit(.init(text: "same"), userID: "alice", idempotencyKey: "key").jobID
                }
            }
            return try await group.reduce(into: Set<JobID>()) { $0.insert($1) }
        }

        XCTAssertEqual(ids.count, 1)
        let jobs = try FileManager.default.contentsOfDirectory(
            atPath: root.appendingPathComponent("users/alice/status").path
        )
        XCTAssertEqual(jobs, [ids.first!.description])
    }
}
