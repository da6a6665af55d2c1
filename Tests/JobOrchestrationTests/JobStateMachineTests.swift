@testable import JobOrchestration
import XCTest

final class JobStateMachineTests: XCTestCase {
    private let policy = JobRetryPolicy(
        maximumAttempts: 3,
        initialBackoff: .seconds(1),
        multiplier: 2,
        maximumBackoff: .seconds(30),
        jitter: 0
    )

    private func machine(global: Int = 4, perUser: Int = 2) -> JobStateMachine {
        JobStateMachine(limits: .init(maximumConcurrentJobs: global, maximumConcurrentJobsPerUser: perUser))
    }

    func testTakeRunnable_respectsTheGlobalLimit() {
        var machine = machine(global: 2, perUser: 10)
        let ids = (0..<5).map { _ in JobID.random() }
        for id in ids { XCTAssertEqual(machine.enqueue(id, userID: "alice"), .enqueued) }

        XCTAssertEqual(machine.takeRunnable(), Array(ids[0..<2]))
        XCTAssertEqual(machine.takeRunnable(), [])
        machine.finished(ids[0])
        XCTAssertEqual(machine.takeRunnable(), [ids[2]])
        XCTAssertEqual(machine.runningCount, 2)
    }

    func testTakeRunnable_takesUsersInTurnAndRespectsThePerUserLimit() {
        var machine = machine(global: 10, perUser: 1)
        let alice = (0..<3).map { _ in JobID.random() }
        let bob = (0..<2).map { _ in JobID.random() }
        for id in alice { _ = machine.enqueue(id, userID: "alice") }
        for id in bob { _ = machine.enqueue(id, userID: "bob") }

        XCTAssertEqual(machine.takeRunnable(), [alice[0], bob[0]])
        machine.finished(alice[0])
        machine.finished(bob[0])
        XCTAssertEqual(machine.takeRunnable(), [alice[1], bob[1]])
    }

    func testCancel_actsAccordingToThePhase() {
        var machine = machine()
        let queued = JobID.random()
        let running = JobID.random()
        _ = machine.enqueue(running, userID: "alice")
        XCTAssertEqual(machine.takeRunnable(), [running])
        _ = machine.enqueue(queued, userID: "alice")
        _ = machine.enqueue(JobID.random(), userID: "bob")

        XCTAssertEqual(machine.cancel(queued), .cancelQueued)
        XCTAssertEqual(machine.cancel(running), .stopRunning)
        XCTAssertEqual(machine.cancel(running), .alreadyFinishing)
        XCTAssertEqual(machine.cancel(JobID.random()), .notActive)
        XCTAssertFalse(machine.takeRunnable().contains(queued), "a cancelled job never starts")
    }

    func testAttemptEnded_afterCancellation_discardsTheOutcomeAndFreesTheWorker() {
        var machine = machine(global: 1)
        let id = JobID.random()
        _ = machine.enqueue(id, userID: "alice")
        _ = machine.takeRunnable()
        _ = machine.cancel(id)

        let action = machine.attemptEnded(
            id,
            result: .succeeded,
            attempt: 1,
            policy: policy,
            now: .now,
            deadline: nil,
            random: 0.5
        )

        XCTAssertEqual(action, .discard)
        XCTAssertEqual(machine.runningCount, 0)
        XCTAssertEqual(machine.activeCount, 0)
    }

    func testAttemptEnded_withARetryableFailure_retriesWithGrowingBackoffThenFails() {
        var machine = machine()
        let id = JobID.random()
        _ = machine.enqueue(id, userID: "alice")
        _ = machine.takeRunnable()
        let failure = JobFailure(code: "rateLimited", message: "Slow down.", isRetryable: true)

        let first = machine.attemptEnded(
            id,
            result: .failed(failure),
            attempt: 1,
            policy: policy,
            now: .now,
            deadline: nil,
            random: 0.5
        )
        let second = machine.attemptEnded(
            id,
            result: .failed(failure),
            attempt: 2,
            policy: policy,
            now: .now,
            deadline: nil,
            random: 0.5
        )
        let third = machine.attemptEnded(
            id,
            result: .failed(failure),
            attempt: 3,
            policy: policy,
            now: .now,
            deadline: nil,
            random: 0.5
        )

        XCTAssertEqual(first, .retry(after: .seconds(1), nextAttempt: 2))
        XCTAssertEqual(second, .retry(after: .seconds(2), nextAttempt: 3))
        XCTAssertEqual(third, .fail(failure))
    }

    func testAttemptEnded_whenTheBackoffWouldPassTheDeadline_failsAtOnce() {
        var machine = machine()
        let id = JobID.random()
        _ = machine.enqueue(id, userID: "alice")
        _ = machine.takeRunnable()
        let failure = JobFailure(code: "overloaded", message: "Busy.", isRetryable: true, retryAfter: .seconds(60))
        let now = ContinuousClock.now

        let action = machine.attemptEnded(
            id,
            result: .failed(failure),
            attempt: 1,
            policy: policy,
            now: now,
            deadline: now.advanced(by: .seconds(10)),
            random: 0.5
        )

        XCTAssertEqual(action, .fail(failure))
    }

    func testAttemptEnded_withAPermanentFailureOrTimeout_fails() {
        var machine = machine(global: 4, perUser: 4)
        let permanent = JobID.random()
        let slow = JobID.random()
        let late = JobID.random()
        for id in [permanent, slow, late] { _ = machine.enqueue(id, userID: "alice") }
        XCTAssertEqual(machine.takeRunnable(), [permanent, slow, late])
        let failure = JobFailure(code: "authentication", message: "Check the key.")

        XCTAssertEqual(
            machine.attemptEnded(
                permanent,
                result: .failed(failure),
                attempt: 1,
                policy: policy,
                now: .now,
                deadline: nil,
                random: 0
            ),
            .fail(failure)
        )
        XCTAssertEqual(
            machine.attemptEnded(
                slow,
                result: .timedOut,
                attempt: 1,
                policy: policy,
                now: .now,
                deadline: nil,
                random: 0
            ),
            .fail(machine.timeoutFailure)
        )
        XCTAssertEqual(
            machine.attemptEnded(
                late,
                result: .deadlineExceeded,
                attempt: 1,
                policy: policy,
                now: .now,
                deadline: nil,
                random: 0
            ),
            .fail(machine.deadlineFailure)
        )
    }

    func testTimeoutFailures_nameTheConfiguredLimits() {
        let machine = JobStateMachine(
            limits: .init(maximumConcurrentJobs: 1, maximumConcurrentJobsPerUser: 1),
            attemptTimeout: .seconds(300),
            deadline: .milliseconds(1500)
        )

        XCTAssertEqual(machine.timeoutFailure.code, .timedOut)
        XCTAssertTrue(machine.timeoutFailure.message.contains("300 seconds"))
        XCTAssertEqual(machine.deadlineFailure.code, .deadlineExceeded)
        XCTAssertTrue(machine.deadlineFailure.message.contains("1500 milliseconds"))
    }

    func testAttemptEnded_onShutdown_releasesTheJobWithoutAnOutcome() {
        var machine = machine()
        let id = JobID.random()
        _ = machine.enqueue(id, userID: "alice")
        _ = machine.takeRunnable()

        XCTAssertEqual(
            machine.attemptEnded(
                id,
                result: .stopped(.shutdown),
                attempt: 1,
                policy: policy,
                now: .now,
                deadline: nil,
                random: 0
            ),
            .release
        )
        XCTAssertTrue(machine.isIdle)
    }

    func testBeginDraining_dropsQueuedJobsAndRejectsNewOnes() {
        var machine = machine(global: 1)
        let running = JobID.random()
        let queued = JobID.random()
        _ = machine.enqueue(running, userID: "alice")
        _ = machine.takeRunnable()
        _ = machine.enqueue(queued, userID: "alice")

        XCTAssertEqual(machine.beginDraining(), [queued])
        XCTAssertEqual(machine.enqueue(JobID.random(), userID: "bob"), .rejected)
        machine.finished(running)
        XCTAssertEqual(machine.takeRunnable(), [])
        XCTAssertTrue(machine.isIdle)
    }

    func testRetryPolicy_backoffGrowsIsCappedAndHonoursRetryAfter() {
        let policy = JobRetryPolicy(
            initialBackoff: .seconds(1),
            multiplier: 2,
            maximumBackoff: .seconds(5),
            jitter: 0.2
        )

        XCTAssertEqual(policy.backoff(afterAttempt: 1, random: 0.5), .seconds(1))
        XCTAssertEqual(policy.backoff(afterAttempt: 3, random: 0.5), .seconds(4))
        XCTAssertEqual(policy.backoff(afterAttempt: 10, random: 0.5), .seconds(5))
        XCTAssertEqual(policy.backoff(afterAttempt: 1, random: 0), .milliseconds(800))
        XCTAssertEqual(policy.backoff(afterAttempt: 1, random: 1), .milliseconds(1200))
        XCTAssertEqual(policy.backoff(afterAttempt: 1, retryAfter: .seconds(7), random: 0.5), .seconds(7))
    }
}
