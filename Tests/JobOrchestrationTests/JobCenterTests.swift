import Foundation
import JobOrchestration
import Logging
import ServiceLifecycle
import XCTest

final class JobCenterTests: XCTestCase {
    // MARK: Lifecycle

    func testSubmit_returnsAtOnceWithProcessingAndTheKindsMessage() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing())
        // Not running: the job must still be accepted and reported at once.
        let report = try await center.submit(.init(text: "hello"), userID: "alice")

        XCTAssertEqual(report.status, .processing)
        XCTAssertEqual(report.message, "Scripted job submitted")
        XCTAssertEqual(report.revision, 1)
        XCTAssertNil(report.downloadLink)
        XCTAssertEqual(report.jobID.description.count, 36)
        XCTAssertNotNil(
            report.timestampText.range(
                of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#,
                options: .regularExpression
            )
        )
        let again = try await center.status(of: report.jobID, userID: "alice")
        XCTAssertEqual(again.status, .processing)
    }

    func testJob_whenItSucceeds_reportsStagesInOrderThenCompletedWithResult() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing())
        let submitted = try await center.submit(
            .init(
                text: "hello",
                stages: ["Extracting resume text", "Tailoring with Stub", "Checking facts", "Writing result"]
            ),
            userID: "alice"
        )
        let updates = try await center.updates(of: submitted.jobID, userID: "alice")

        let reports = try await withRunningJobCenter(center) { _ in
            var reports: [JobStatusReport<ScriptedJob.Details>] = []
            for await report in updates { reports.append(report) }
            return reports
        }

        XCTAssertEqual(
            reports.map(\.message),
            [
                "Scripted job submitted", "Extracting resume text", "Tailoring with Stub", "Checking facts",
                "Writing result", "Scripted job complete",
            ]
        )
        XCTAssertEqual(reports.map(\.revision), Array(1...6))
        let last = try XCTUnwrap(reports.last)
        XCTAssertEqual(last.status, .completed)
        XCTAssertEqual(last.result?.fileType, "txt")
        XCTAssertEqual(last.result?.contentType, "text/plain; charset=utf-8")
        XCTAssertEqual(last.result?.downloadFilename, "result_\(submitted.jobID.shortPrefix).txt")
        XCTAssertEqual(last.details, ScriptedJob.Details(length: 5, attempt: 1))
        let link = try XCTUnwrap(last.downloadLink)
        let download = try await center.download(token: link.token)
        XCTAssertEqual(String(decoding: download.data, as: UTF8.self), "HELLO")
        XCTAssertEqual(download.downloadFilename, "result_\(submitted.jobID.shortPrefix).txt")
    }

    func testJob_whenItFailsPermanently_endsFailedWithCodeAndMessage() async throws {
        let runs = RunLog()
        let center = try JobCenter(kind: ScriptedJob(runs: runs), configuration: .testing())
        let submitted = try await center.submit(.init(text: "x", failureCode: "unreadableResume"), userID: "alice")

        let final = try await withRunningJobCenter(center) { center in
            try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        XCTAssertEqual(final.status, .failed)
        XCTAssertEqual(final.errorCode, "unreadableResume")
        XCTAssertEqual(final.message, "The job failed on purpose.")
        XCTAssertNil(final.downloadLink)
        XCTAssertEqual(runs.starts(of: submitted.jobID), 1, "a permanent failure is not retried")
        await XCTAssertThrowsJobError(.resultUnavailable) {
            try await center.result(of: submitted.jobID, userID: "alice")
        }
    }

    // MARK: Isolation

    func testAnotherUsersJob_isReportedExactlyLikeAnUnknownJob() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing())
        let submitted = try await center.submit(.init(text: "private"), userID: "alice")

        var errors: [JobError] = []
        for (id, user) in [(submitted.jobID, "mallory"), (JobID.random(), "mallory"), (JobID.random(), "alice")] {
            do {
                _ = try await center.status(of: id, userID: user)
                XCTFail("Expected not found")
            } catch let error as JobError {
                errors.append(error)
            }
        }

        XCTAssertEqual(errors.map(\.code), [.notFound, .notFound, .notFound])
        XCTAssertEqual(Set(errors.map(\.message)).count, 1, "the messages must not tell the cases apart")
        await XCTAssertThrowsJobError(.notFound) { try await center.cancel(submitted.jobID, userID: "mallory") }
        await XCTAssertThrowsJobError(.notFound) { try await center.updates(of: submitted.jobID, userID: "mallory") }
        await XCTAssertThrowsJobError(.notFound) {
            try await center.wait(for: submitted.jobID, userID: "mallory", timeout: .milliseconds(10))
        }
        await XCTAssertThrowsJobError(.notFound) { try await center.result(of: submitted.jobID, userID: "mallory") }
        let malloryHistory = try await center.history(of: "mallory")
        XCTAssertTrue(malloryHistory.jobs.isEmpty)
    }

    // MARK: Idempotency

    func testSubmit_withTheSameKeyAndInput_returnsTheSameJob() async throws {
        let runs = RunLog()
        let center = try JobCenter(kind: ScriptedJob(runs: runs), configuration: .testing())
        let first = try await center.submit(.init(text: "same"), userID: "alice", idempotencyKey: "key-1")
        let second = try await center.submit(.init(text: "same"), userID: "alice", idempotencyKey: "key-1")
        let otherUser = try await center.submit(.init(text: "same"), userID: "bob", idempotencyKey: "key-1")

        XCTAssertEqual(first.jobID, second.jobID)
        XCTAssertNotEqual(first.jobID, otherUser.jobID, "keys are per user")
        try await withRunningJobCenter(center) { center in
            _ = try await center.wait(for: first.jobID, userID: "alice", timeout: .seconds(10))
            _ = try await center.wait(for: otherUser.jobID, userID: "bob", timeout: .seconds(10))
        }
        XCTAssertEqual(runs.starts(of: first.jobID), 1)
        XCTAssertEqual(runs.totalStarts, 2)
    }

    func testSubmit_withTheSameKeyAndDifferentInput_throwsConflict() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing())
        _ = try await center.submit(.init(text: "first"), userID: "alice", idempotencyKey: "key-1")

        await XCTAssertThrowsJobError(.idempotencyConflict) {
            try await center.submit(.init(text: "second"), userID: "alice", idempotencyKey: "key-1")
        }
    }

    func testConcurrentSubmits_withTheSameKey_createOneJob() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing())
        let ids = try await withThrowingTaskGroup(of: JobID.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await center.submit(.init(text: "same"), userID: "alice", idempotencyKey: "k").jobID
                }
            }
            return try await group.reduce(into: Set<JobID>()) { $0.insert($1) }
        }
        XCTAssertEqual(ids.count, 1)
    }

    // MARK: Admission limits

    func testSubmit_atTheAdmissionLimits_throwsTypedErrors_butARetriedSubmitFindsItsJob() async throws {
        var configuration = JobCenterConfiguration.testing()
        configuration.maximumUnfinishedJobsPerUser = 2
        configuration.maximumUnfinishedJobs = 3
        let center = try JobCenter(kind: ScriptedJob(), configuration: configuration)
        // Not running: every job stays queued.
        let first = try await center.submit(.init(text: "one"), userID: "alice", idempotencyKey: "key-1")
        _ = try await center.submit(.init(text: "two"), userID: "alice")

        await XCTAssertThrowsJobError(.tooManyUnfinishedJobs) {
            try await center.submit(.init(text: "three"), userID: "alice")
        }
        let retried = try await center.submit(.init(text: "one"), userID: "alice", idempotencyKey: "key-1")
        XCTAssertEqual(retried.jobID, first.jobID, "a retry at the cap is the same job, not a new one")
        await XCTAssertThrowsJobError(.idempotencyConflict) {
            try await center.submit(.init(text: "other"), userID: "alice", idempotencyKey: "key-1")
        }
        await XCTAssertThrowsJobError(.tooManyUnfinishedJobs) {
            try await center.submit(.init(text: "new key"), userID: "alice", idempotencyKey: "key-2")
        }

        _ = try await center.submit(.init(text: "bob's"), userID: "bob")
        await XCTAssertThrowsJobError(.queueFull) {
            try await center.submit(.init(text: "carol's"), userID: "carol")
        }
        let unfinished = try await center.unfinishedJobCount()
        XCTAssertEqual(unfinished, 3, "no refused submit left a job behind")
    }

    // MARK: Timeouts and deadline

    func testAttempt_thatRunsPastTheAttemptTimeout_failsWithTimedOut() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing(attemptTimeout: .milliseconds(50)))
        let submitted = try await center.submit(.init(text: "slow", delayMilliseconds: 10_000), userID: "alice")

        let final = try await withRunningJobCenter(center) { center in
            try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        XCTAssertEqual(final.status, .failed)
        XCTAssertEqual(final.errorCode, .timedOut)
    }

    func testJob_thatRunsPastItsDeadline_failsWithDeadlineExceeded() async throws {
        let center = try JobCenter(
            kind: ScriptedJob(),
            configuration: .testing(attemptTimeout: .seconds(30), deadline: .milliseconds(80))
        )
        let submitted = try await center.submit(.init(text: "slow", delayMilliseconds: 10_000), userID: "alice")

        let final = try await withRunningJobCenter(center) { center in
            try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        XCTAssertEqual(final.status, .failed)
        XCTAssertEqual(final.errorCode, .deadlineExceeded)
    }

    // MARK: Retry

    func testRetryableFailures_areRetriedWithBackoffUntilTheJobSucceeds() async throws {
        let runs = RunLog()
        let center = try JobCenter(kind: ScriptedJob(runs: runs), configuration: .testing())
        let submitted = try await center.submit(.init(text: "flaky", failingAttempts: 2), userID: "alice")
        let updates = try await center.updates(of: submitted.jobID, userID: "alice")

        let messages = try await withRunningJobCenter(center) { _ in
            var messages: [String] = []
            for await report in updates { messages.append(report.message) }
            return messages
        }

        XCTAssertEqual(runs.starts(of: submitted.jobID), 3)
        XCTAssertEqual(
            messages,
            [
                "Scripted job submitted", "Retrying after a temporary problem (attempt 2 of 3)",
                "Retrying after a temporary problem (attempt 3 of 3)", "Scripted job complete",
            ]
        )
        let final = try await center.status(of: submitted.jobID, userID: "alice")
        XCTAssertEqual(final.details?.attempt, 3)
    }

    func testRetryableFailures_whenAttemptsRunOut_failWithTheLastFailure() async throws {
        let runs = RunLog()
        let center = try JobCenter(kind: ScriptedJob(runs: runs), configuration: .testing())
        let submitted = try await center.submit(.init(text: "flaky", failingAttempts: 5), userID: "alice")

        let final = try await withRunningJobCenter(center) { center in
            try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        XCTAssertEqual(final.status, .failed)
        XCTAssertEqual(final.errorCode, "flaky")
        XCTAssertEqual(runs.starts(of: submitted.jobID), 3)
    }

    // MARK: Cancellation

    func testCancel_whileRunning_stopsTheWorkAndEndsCancelled() async throws {
        let runs = RunLog()
        let center = try JobCenter(kind: ScriptedJob(runs: runs), configuration: .testing())
        let submitted = try await center.submit(
            .init(text: "long", stages: ["Working"], delayMilliseconds: 30_000),
            userID: "alice"
        )

        let (cancelled, final) = try await withRunningJobCenter(center) { center in
            _ = try await center.wait(
                for: submitted.jobID,
                userID: "alice",
                timeout: .seconds(10),
                until: .changed(afterRevision: 1)
            )
            let cancelled = try await center.cancel(submitted.jobID, userID: "alice")
            let final = try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
            // The worker is released once the attempt has stopped.
            while await center.runningJobCount > 0 { try await Task.sleep(for: .milliseconds(2)) }
            return (cancelled, final)
        }

        XCTAssertEqual(cancelled.status, .cancelled)
        XCTAssertEqual(final.status, .cancelled)
        XCTAssertEqual(final.message, "Job cancelled")
        XCTAssertEqual(runs.running, 0, "the attempt was stopped")
        let again = try await center.cancel(submitted.jobID, userID: "alice")
        XCTAssertEqual(again.status, .cancelled, "cancelling an ended job changes nothing")
        XCTAssertEqual(again.revision, final.revision)
    }

    func testCancel_beforeTheJobStarts_meansItNeverRuns() async throws {
        let runs = RunLog()
        let center = try JobCenter(kind: ScriptedJob(runs: runs), configuration: .testing())
        let submitted = try await center.submit(.init(text: "never"), userID: "alice")
        let cancelled = try await center.cancel(submitted.jobID, userID: "alice")

        try await withRunningJobCenter(center) { center in
            let other = try await center.submit(.init(text: "other"), userID: "alice")
            _ = try await center.wait(for: other.jobID, userID: "alice", timeout: .seconds(10))
        }

        XCTAssertEqual(cancelled.status, .cancelled)
        XCTAssertEqual(runs.starts(of: submitted.jobID), 0)
    }

    // MARK: Limits

    func testConcurrency_staysWithinTheGlobalAndPerUserLimits() async throws {
        let runs = RunLog()
        let center = try JobCenter(
            kind: ScriptedJob(runs: runs),
            configuration: .testing(maximumConcurrentJobs: 3, perUser: 1)
        )
        var jobs: [(JobID, String)] = []
        for index in 0..<6 {
            let user = index < 4 ? "alice" : "bob"
            jobs.append(
                (try await center.submit(.init(text: "\(index)", delayMilliseconds: 20), userID: user).jobID, user)
            )
        }

        let statuses = try await withRunningJobCenter(center) { center in
            var statuses: [JobStatus] = []
            for (id, user) in jobs {
                statuses.append(try await center.wait(for: id, userID: user, timeout: .seconds(10)).status)
            }
            return statuses
        }

        XCTAssertEqual(statuses, Array(repeating: .completed, count: 6))
        XCTAssertLessThanOrEqual(
            runs.maximumRunning,
            2,
            "alice may run one job and bob one at a time, so at most two run at once"
        )
    }

    // MARK: Updates and wait

    func testWait_returnsTheCurrentReportWhenTheTimeoutPasses() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing())
        let submitted = try await center.submit(.init(text: "queued"), userID: "alice")

        let start = ContinuousClock.now
        let report = try await center.wait(for: submitted.jobID, userID: "alice", timeout: .milliseconds(50))

        XCTAssertEqual(report.status, .processing, "the center is not running, so nothing changes")
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(50))
    }

    func testWait_forAnEndedJob_returnsAtOnce() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing())
        let submitted = try await center.submit(.init(text: "quick"), userID: "alice")
        try await withRunningJobCenter(center) { center in
            _ = try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        let start = ContinuousClock.now
        let report = try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(30))

        XCTAssertEqual(report.status, .completed)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
        var seen: [JobStatus] = []
        for await update in try await center.updates(of: submitted.jobID, userID: "alice") {
            seen.append(update.status)
        }
        XCTAssertEqual(seen, [.completed], "an ended job's updates hold only its final report")
    }

    // MARK: History

    func testHistory_listsTheUsersJobsNewestFirstInPages() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing())
        var ids: [JobID] = []
        for index in 0..<5 {
            ids.append(try await center.submit(.init(text: "\(index)"), userID: "alice").jobID)
            try await Task.sleep(for: .milliseconds(2))
        }
        _ = try await center.submit(.init(text: "bob's"), userID: "bob")

        let first = try await center.history(of: "alice", limit: 2)
        let second = try await center.history(of: "alice", after: first.nextCursor, limit: 2)
        let cursorText = try XCTUnwrap(second.nextCursor).description
        let third = try await center.history(of: "alice", after: JobHistoryCursor(cursorText), limit: 2)

        XCTAssertEqual(first.jobs.map(\.jobID), [ids[4], ids[3]])
        XCTAssertEqual(second.jobs.map(\.jobID), [ids[2], ids[1]])
        XCTAssertEqual(third.jobs.map(\.jobID), [ids[0]])
        XCTAssertNil(third.nextCursor)
    }

    // MARK: Shutdown

    func testGracefulShutdown_throughAServiceGroup_letsRunningJobsFinishAndRejectsNewOnes() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing(grace: .seconds(10)))
        let group = ServiceGroup(
            configuration: .init(
                services: [center],
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        let submitted = try await center.submit(
            .init(text: "almost done", stages: ["Working"], delayMilliseconds: 100),
            userID: "alice"
        )

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = try await center.wait(
                for: submitted.jobID,
                userID: "alice",
                timeout: .seconds(10),
                until: .changed(afterRevision: 1)
            )
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }

        let final = try await center.status(of: submitted.jobID, userID: "alice")
        XCTAssertEqual(final.status, .completed, "a running job finishes within the grace period")
        await XCTAssertThrowsJobError(.notAccepting) { try await center.submit(.init(text: "late"), userID: "alice") }
    }

    func testGracefulShutdown_afterTheGracePeriod_leavesUnfinishedJobsProcessingForTheNextStart() async throws {
        let store = InMemoryJobStore()
        let center = try JobCenter(kind: ScriptedJob(), store: store, configuration: .testing(grace: .milliseconds(20)))
        let submitted = try await center.submit(
            .init(text: "long", stages: ["Working"], delayMilliseconds: 30_000),
            userID: "alice"
        )

        try await withRunningJobCenter(center) { center in
            _ = try await center.wait(
                for: submitted.jobID,
                userID: "alice",
                timeout: .seconds(10),
                until: .changed(afterRevision: 1)
            )
        }

        let left = try await center.status(of: submitted.jobID, userID: "alice")
        XCTAssertEqual(left.status, .processing, "stopping the process is no reason to fail a job")
        XCTAssertEqual(left.message, "Working")
    }

    // MARK: Many jobs

    func testTenThousandConcurrentJobs_withRandomFailures_allEndExactlyOnce() async throws {
        let runs = RunLog()
        let center = try JobCenter(
            kind: ScriptedJob(runs: runs),
            configuration: .testing(
                maximumConcurrentJobs: 64,
                perUser: 16,
                retry: JobRetryPolicy(
                    maximumAttempts: 2,
                    initialBackoff: .milliseconds(1),
                    maximumBackoff: .milliseconds(2)
                )
            )
        )
        let count = 10_000
        var generator = SystemRandomNumberGenerator()
        let inputs: [(String, ScriptedJob.Input)] = (0..<count).map { index in
            var input = ScriptedJob.Input(text: "job \(index)")
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: input.failureCode = "brokenOnPurpose"
            case 1: input.failingAttempts = 1  // recovers on the retry
            case 2: input.failingAttempts = 5  // runs out of attempts
            default: break
            }
            return ("user-\(index % 50)", input)
        }

        let finals = try await withRunningJobCenter(center) { center in
            try await withThrowingTaskGroup(of: JobStatusReport<ScriptedJob.Details>.self) { group in
                for (user, input) in inputs {
                    group.addTask {
                        let submitted = try await center.submit(input, userID: user)
                        return try await center.wait(for: submitted.jobID, userID: user, timeout: .seconds(60))
                    }
                }
                return try await group.reduce(into: [JobStatusReport<ScriptedJob.Details>]()) { $0.append($1) }
            }
        }

        XCTAssertEqual(finals.count, count)
        XCTAssertEqual(Set(finals.map(\.jobID)).count, count, "no job is duplicated")
        XCTAssertTrue(finals.allSatisfy(\.isTerminal), "every job ends")
        let expectedFailures = inputs.filter { $0.1.failureCode != nil || $0.1.failingAttempts >= 2 }.count
        XCTAssertEqual(finals.filter { $0.status == .failed }.count, expectedFailures)
        XCTAssertEqual(finals.filter { $0.status == .completed }.count, count - expectedFailures)
        let expectedStarts = inputs.reduce(0) { total, job in
            total + (job.1.failingAttempts == 0 ? 1 : 2)
        }
        XCTAssertEqual(runs.totalStarts, expectedStarts, "each attempt runs exactly once")
        let active = await center.activeJobCount
        XCTAssertEqual(active, 0)
    }
}
