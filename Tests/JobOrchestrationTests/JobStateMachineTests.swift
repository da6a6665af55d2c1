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

    private func facts(
        _ id: JobID,
        user: String = "alice",
        attempt: Int = 1,
        interrupted: Bool = false,
        deadlinePassed: Bool = false,
        readable: Bool = true,
        kept: Bool = true,
        canResume: Bool = true
    ) -> JobStateMachine.ClaimFacts {
        .init(
            id: id,
            userID: user,
            attempt: attempt,
            wasInterrupted: interrupted,
            deadlinePassed: deadlinePassed,
            hasReadableInput: readable,
            inputWasKept: kept,
            kindCanResume: canResume,
            maximumAttempts: 3
        )
    }

    /// A running machine with `ids` claimed and running.
    private func running(_ ids: [JobID], global: Int = 4) -> JobStateMachine {
        var machine = machine(global: global)
        XCTAssertEqual(machine.start(), .start)
        for id in ids { XCTAssertEqual(machine.claimed(facts(id)), .run) }
        return machine
    }

    func testClaimLimit_isTheFreeWorkers_andNothingBeforeStartOrWhileDraining() {
        var machine = machine(global: 2)
        XCTAssertEqual(machine.claimLimit, 0, "nothing is claimed before run() starts")
        XCTAssertTrue(machine.isAccepting, "submissions wait in the store before run() starts")
        XCTAssertEqual(machine.start(), .start)
        XCTAssertEqual(machine.start(), .alreadyRan)
        XCTAssertEqual(machine.claimLimit, 2)
        let ids = (0..<2).map { _ in JobID.random() }
        for id in ids { XCTAssertEqual(machine.claimed(facts(id)), .run) }
        XCTAssertEqual(machine.claimLimit, 0)
        machine.finished(ids[0])
        XCTAssertEqual(machine.claimLimit, 1)
        XCTAssertTrue(machine.beginDraining())
        XCTAssertFalse(machine.beginDraining(), "shutdown begins once")
        XCTAssertEqual(machine.claimLimit, 0)
        XCTAssertFalse(machine.isAccepting)
        XCTAssertEqual(machine.claimed(facts(JobID.random())), .release, "a claim that races shutdown is released")
        machine.stopped()
        XCTAssertEqual(machine.lifecycle, .stopped)
        XCTAssertTrue(machine.isIdle)
    }

    func testClaimed_failsJobsThatCannotRunAgain_asInterrupted() {
        var machine = machine(global: 10)
        _ = machine.start()
        func failureMessage(_ action: JobStateMachine.ClaimAction) -> String? {
            guard case .fail(let failure) = action, failure.code == .interrupted else { return nil }
            return failure.message
        }

        XCTAssertEqual(machine.claimed(facts(JobID.random(), attempt: 3, interrupted: true)), .run)
        XCTAssertEqual(
            failureMessage(machine.claimed(facts(JobID.random(), attempt: 4, interrupted: true))),
            "The job was interrupted when the service stopped and could not be resumed (it was interrupted on every one of its 3 attempts). Submit it again."
        )
        XCTAssertTrue(
            failureMessage(machine.claimed(facts(JobID.random(), kept: false)))?.contains("its input was not kept")
                == true
        )
        XCTAssertTrue(
            failureMessage(machine.claimed(facts(JobID.random(), readable: false)))?.contains("could not be read")
                == true
        )
        XCTAssertTrue(
            failureMessage(machine.claimed(facts(JobID.random(), deadlinePassed: true)))?.contains("deadline")
                == true
        )
        XCTAssertTrue(
            failureMessage(machine.claimed(facts(JobID.random(), interrupted: true, canResume: false)))?.contains(
                "cannot be resumed"
            ) == true
        )
        XCTAssertEqual(
            machine.claimed(facts(JobID.random(), canResume: false)),
            .run,
            "a kind that cannot resume still runs its first attempt"
        )
        XCTAssertEqual(machine.runningCount, 7, "a job being failed holds its worker until its write ends")
    }

    func testCancel_actsAccordingToThePhase() {
        let id = JobID.random()
        var machine = running([id])

        XCTAssertEqual(machine.cancel(id), .stopRunning)
        XCTAssertEqual(machine.cancel(id), .alreadyFinishing)
        XCTAssertEqual(machine.cancel(JobID.random()), .notActive, "queued jobs are cancelled in the store")
    }

    func testLeaseLost_stopsTheAttemptOnce_andItsOutcomeIsDiscarded() {
        let id = JobID.random()
        var machine = running([id])

        XCTAssertEqual(machine.leaseLost(id), .stopAttempt)
        XCTAssertEqual(machine.leaseLost(id), .ignore)
        XCTAssertEqual(machine.leaseLost(JobID.random()), .ignore)
        XCTAssertEqual(
            machine.attemptEnded(
                id,
                result: .succeeded,
                attempt: 1,
                policy: policy,
                now: .now,
                deadline: nil,
                random: 0
            ),
            .discard,
            "a worker whose lease is gone never writes an outcome"
        )
        XCTAssertTrue(machine.isIdle)
    }

    func testAttemptEnded_afterCancellation_discardsTheOutcomeAndFreesTheWorker() {
        let id = JobID.random()
        var machine = running([id], global: 1)
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
        let id = JobID.random()
        var machine = running([id])
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
        let id = JobID.random()
        var machine = running([id])
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
        let permanent = JobID.random()
        let slow = JobID.random()
        let late = JobID.random()
        var machine = running([permanent, slow, late])
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
        let id = JobID.random()
        var machine = running([id])

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

    // MARK: Record transitions

    func testTransitions_moveTheRecordOneRevisionOn_andTerminalOnesEndTheLease() {
        let submitted = Date(timeIntervalSince1970: 1_700_000_000)
        let later = submitted.addingTimeInterval(5)
        let record = JobRecord(
            id: .random(),
            userID: "alice",
            kind: "k",
            status: .processing,
            message: "Job submitted",
            updatedAt: submitted,
            submittedAt: submitted,
            revision: 3,
            attempts: 1,
            leaseOwner: "center-a",
            leaseExpiresAt: later,
            fencingToken: 2
        )

        let progressed = record.applying(.progressed(message: "Tailoring"), at: later)
        XCTAssertEqual(progressed.revision, 4)
        XCTAssertEqual(progressed.message, "Tailoring")
        XCTAssertEqual(progressed.updatedAt, later)
        XCTAssertEqual(progressed.status, .processing)
        XCTAssertEqual(progressed.leaseOwner, "center-a", "progress keeps the lease")

        let retrying = record.applying(.retrying(nextAttempt: 2, maximumAttempts: 3), at: later)
        XCTAssertEqual(retrying.attempts, 2)
        XCTAssertEqual(retrying.message, "Retrying after a temporary problem (attempt 2 of 3)")

        let result = JobResultDescription(
            fileType: "txt",
            contentType: "text/plain",
            downloadFilename: "r.txt",
            byteCount: 2
        )
        let completed = record.applying(.completed(message: "Done", result: result, details: "{}"), at: later)
        XCTAssertEqual(completed.status, .completed)
        XCTAssertEqual(completed.result, result)
        XCTAssertEqual(completed.finishedAt, later)
        XCTAssertNil(completed.leaseOwner)
        XCTAssertNil(completed.leaseExpiresAt)
        XCTAssertEqual(completed.fencingToken, 2, "the token stays, so later claims continue from it")

        let failed = completed.applying(.failed(JobFailure(code: "broken", message: "Broken.")), at: later)
        XCTAssertEqual(failed.errorCode, "broken")
        XCTAssertNil(failed.result, "a failed record offers no file")
        XCTAssertNil(failed.details)

        let cancelled = record.applying(.cancelled(message: "Job cancelled"), at: later)
        XCTAssertEqual(cancelled.status, .cancelled)
        XCTAssertEqual(cancelled.revision, 4)
        XCTAssertEqual(record.applying(.resumed, at: later).message, "Resuming after an interruption")
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
