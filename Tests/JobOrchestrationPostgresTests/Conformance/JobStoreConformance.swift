import Foundation
import JobOrchestration
import XCTest

/// The behaviour every ``JobStore`` must have, written once and run against each store
/// (``InMemoryJobStoreConformanceTests``, ``DirectoryJobStoreConformanceTests``,
/// ``PostgresJobStoreConformanceTests``).
///
/// Each check takes a factory that runs its body with a fresh, empty, running store.
struct JobStoreConformance {
    typealias Factory = @Sendable (@Sendable (any JobStore) async throws -> Void) async throws -> Void

    let withStore: Factory

    // MARK: Records

    func insertReadAndHistory() async throws {
        try await withStore { store in
            let base = TestRecords.now()
            var inserted: [JobRecord] = []
            for index in 0..<4 {
                var record = TestRecords.queued(submittedAt: base.addingTimeInterval(Double(index) / 1000))
                record.details = "{\"n\":\(index)}"
                guard case .inserted(let stored) = try await store.insert(record, input: Data([UInt8(index)])) else {
                    return XCTFail("expected an insert")
                }
                XCTAssertEqual(stored, record)
                inserted.append(record)
            }
            _ = try await store.insert(TestRecords.queued(user: "user-2"), input: Data())
            _ = try await store.insert(TestRecords.queued(kind: "other.kind"), input: Data())

            let first = try await store.records(forUser: "user-1", kind: "test.kind", after: nil, limit: 3)
            XCTAssertEqual(first, [inserted[3], inserted[2], inserted[1]])
            let second = try await store.records(
                forUser: "user-1",
                kind: "test.kind",
                after: first.last?.historyCursor,
                limit: 3
            )
            XCTAssertEqual(second, [inserted[0]])
            let allKinds = try await store.records(forUser: "user-1", kind: nil, after: nil, limit: 10)
            XCTAssertEqual(allKinds.count, 5)
            let input = try await store.input(for: inserted[2].id, userID: "user-1")
            XCTAssertEqual(input, Data([2]))
            let hidden = try await store.record(for: inserted[0].id, userID: "user-2")
            XCTAssertNil(hidden, "another user's job is not found")
            let hiddenInput = try await store.input(for: inserted[0].id, userID: "user-2")
            XCTAssertNil(hiddenInput)
            let unfinishedOfUser = try await store.unfinishedJobCount(userID: "user-1")
            XCTAssertEqual(unfinishedOfUser, 5)
            let unfinished = try await store.unfinishedJobCount()
            XCTAssertEqual(unfinished, 6)
        }
    }

    func idempotencyKeyGivesOneJob() async throws {
        try await withStore { store in
            let records = (0..<4).map { _ in TestRecords.queued(idempotencyKey: "same-key") }
            let outcomes = try await withThrowingTaskGroup(of: JobInsertion.self) { group in
                for record in records {
                    group.addTask { try await store.insert(record, input: Data("x".utf8)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            var insertedIDs: [JobID] = []
            var existingIDs: [JobID] = []
            for outcome in outcomes {
                switch outcome {
                case .inserted(let record): insertedIDs.append(record.id)
                case .existing(let record): existingIDs.append(record.id)
                }
            }
            XCTAssertEqual(insertedIDs.count, 1, "exactly one of the concurrent inserts is stored")
            XCTAssertEqual(Set(existingIDs), Set(insertedIDs))
            // Another user may use the same key.
            let other = try await store.insert(
                TestRecords.queued(user: "user-2", idempotencyKey: "same-key"),
                input: Data()
            )
            guard case .inserted(let otherRecord) = other else {
                return XCTFail("another user's key is independent")
            }
            // The key finds each user's own job, and nothing for a key never used.
            let found = try await store.record(forIdempotencyKey: "same-key", userID: "user-1")
            XCTAssertEqual(found?.id, insertedIDs.first)
            let foundOther = try await store.record(forIdempotencyKey: "same-key", userID: "user-2")
            XCTAssertEqual(foundOther?.id, otherRecord.id)
            let unknown = try await store.record(forIdempotencyKey: "never-used", userID: "user-1")
            XCTAssertNil(unknown)
            let strangers = try await store.record(forIdempotencyKey: "same-key", userID: "user-3")
            XCTAssertNil(strangers)
        }
    }

    // MARK: The queue

    func claimIsFairAndHonoursThePerUserLimit() async throws {
        try await withStore { store in
            let base = TestRecords.now()
            let first = TestRecords.queued(user: "user-1", submittedAt: base)
            let other = TestRecords.queued(user: "user-2", submittedAt: base.addingTimeInterval(0.001))
            let second = TestRecords.queued(user: "user-1", submittedAt: base.addingTimeInterval(0.002))
            let third = TestRecords.queued(user: "user-1", submittedAt: base.addingTimeInterval(0.003))
            for record in [first, other, second, third] { _ = try await store.insert(record, input: Data("in".utf8)) }

            let claims = try await store.claimJobs(claimRequest("A", perUser: 2))
            XCTAssertEqual(claims.map(\.record.id), [first.id, other.id, second.id], "users take turns")
            for claim in claims {
                XCTAssertEqual(claim.record.leaseOwner, "A")
                XCTAssertEqual(claim.record.attempts, 1)
                XCTAssertEqual(claim.record.fencingToken, 1)
                XCTAssertEqual(claim.record.revision, first.revision, "a claim is not a visible change")
                XCTAssertEqual(claim.input, Data("in".utf8))
                XCTAssertFalse(claim.wasInterrupted)
            }
            let more = try await store.claimJobs(claimRequest("A", perUser: 2))
            XCTAssertEqual(more, [], "user-1 holds two live leases; user-2 has nothing left")
            let stillUnfinished = try await store.unfinishedJobCount()
            XCTAssertEqual(stillUnfinished, 4, "claimed jobs are unfinished")
        }
    }

    func fencingKeepsATakenOverWorkerOut() async throws {
        try await withStore { store in
            let record = TestRecords.queued()
            _ = try await store.insert(record, input: Data())
            let start = TestRecords.now()
            let stale = try await store.claimJobs(claimRequest("A", lease: .seconds(1), now: start))[0]
            // A's lease lapses; B rescues the job.
            let fresh = try await store.claimJobs(claimRequest("B", now: start.addingTimeInterval(5)))
            XCTAssertEqual(fresh.map(\.record.id), [record.id], "a lapsed lease is rescued")
            XCTAssertTrue(fresh[0].wasInterrupted)
            XCTAssertEqual(fresh[0].record.attempts, 2)
            XCTAssertGreaterThan(fresh[0].record.fencingToken, stale.record.fencingToken)

            var staleOutcome = stale.record
            staleOutcome.status = .failed
            staleOutcome.message = "stale"
            staleOutcome.revision += 1
            staleOutcome.finishedAt = TestRecords.now()
            let staleUpdate = try await store.update(staleOutcome, condition: .leased(stale.lease))
            XCTAssertFalse(staleUpdate, "the stale worker cannot update")
            let staleFinish = try await store.finish(
                staleOutcome,
                result: nil,
                keepInput: false,
                condition: .leased(stale.lease)
            )
            XCTAssertFalse(staleFinish, "the stale worker cannot finish")
            let staleRenewal = try await store.renewLeases([stale.lease], leaseDuration: .seconds(30), now: start)
            XCTAssertEqual(staleRenewal, [stale.lease], "the stale lease is reported lost")

            var outcome = fresh[0].record
            outcome.status = .completed
            outcome.message = "done"
            outcome.revision += 1
            outcome.finishedAt = TestRecords.now()
            outcome.result = JobResultDescription(
                fileType: "txt",
                contentType: "text/plain",
                downloadFilename: "result.txt",
                byteCount: 1
            )
            let finished = try await store.finish(
                outcome,
                result: Data("R".utf8),
                keepInput: false,
                condition: .leased(fresh[0].lease)
            )
            XCTAssertTrue(finished)
            let stored = try await store.record(for: record.id, userID: record.userID)
            XCTAssertEqual(stored?.status, .completed)
            XCTAssertEqual(stored?.message, "done")
            XCTAssertNil(stored?.leaseOwner)
            let result = try await store.result(for: record.id, userID: record.userID)
            XCTAssertEqual(result, Data("R".utf8))
            let input = try await store.input(for: record.id, userID: record.userID)
            XCTAssertNil(input, "the input is deleted unless kept")
            let after = try await store.claimJobs(claimRequest("C", now: start.addingTimeInterval(60)))
            XCTAssertEqual(after, [], "a finished job is never claimed")
        }
    }

    func renewAndRelease() async throws {
        try await withStore { store in
            let record = TestRecords.queued()
            _ = try await store.insert(record, input: Data())
            let start = TestRecords.now()
            let claim = try await store.claimJobs(claimRequest("A", lease: .seconds(2), now: start))[0]
            let lost = try await store.renewLeases([claim.lease], leaseDuration: .seconds(60), now: start)
            XCTAssertEqual(lost, [])
            let none = try await store.claimJobs(claimRequest("B", now: start.addingTimeInterval(10)))
            XCTAssertEqual(none, [], "a renewed lease is still live")
            let released = try await store.releaseLeases(owner: "A")
            XCTAssertEqual(released, 1)
            let taken = try await store.claimJobs(claimRequest("B", now: start.addingTimeInterval(10)))
            XCTAssertEqual(taken.map(\.record.id), [record.id], "a released job is runnable at once")
            XCTAssertEqual(taken.first?.record.attempts, 1, "the released attempt does not count")
        }
    }

    func revisionConditionIsCompareAndSet() async throws {
        try await withStore { store in
            let record = TestRecords.queued()
            _ = try await store.insert(record, input: Data())
            let claim = try await store.claimJobs(claimRequest("A"))[0]
            var cancelled = record
            cancelled.status = .cancelled
            cancelled.message = "cancelled"
            cancelled.revision = record.revision + 1
            cancelled.finishedAt = TestRecords.now()
            let wrongRevision = try await store.finish(
                cancelled,
                result: nil,
                keepInput: false,
                condition: .revision(7)
            )
            XCTAssertFalse(wrongRevision)
            let cancel = try await store.finish(
                cancelled,
                result: nil,
                keepInput: false,
                condition: .revision(record.revision)
            )
            XCTAssertTrue(cancel)
            var late = claim.record
            late.status = .completed
            late.revision = record.revision + 1
            let lateWorker = try await store.finish(
                late,
                result: nil,
                keepInput: false,
                condition: .leased(claim.lease)
            )
            XCTAssertFalse(lateWorker, "the worker cannot complete a cancelled job")
            let stored = try await store.record(for: record.id, userID: record.userID)
            XCTAssertEqual(stored?.status, .cancelled)
        }
    }

    func deleteAndPrune() async throws {
        try await withStore { store in
            let now = TestRecords.now()
            var old = TestRecords.queued(submittedAt: now.addingTimeInterval(-7200))
            var recent = TestRecords.queued(submittedAt: now.addingTimeInterval(-10))
            let doomed = TestRecords.queued()
            for record in [old, recent, doomed] { _ = try await store.insert(record, input: Data()) }
            for (record, finishedAt) in [(old, now.addingTimeInterval(-3600)), (recent, now.addingTimeInterval(-5))] {
                var done = record
                done.status = .completed
                done.revision = record.revision + 1
                done.finishedAt = finishedAt
                done.result = JobResultDescription(
                    fileType: "txt",
                    contentType: "text/plain",
                    downloadFilename: "r.txt",
                    byteCount: 1
                )
                let stored = try await store.finish(
                    done,
                    result: Data("r".utf8),
                    keepInput: false,
                    condition: .revision(record.revision)
                )
                XCTAssertTrue(stored)
                if record.id == old.id { old = done } else { recent = done }
            }
            let deleted = try await store.delete(id: doomed.id, userID: doomed.userID)
            XCTAssertTrue(deleted)
            let again = try await store.delete(id: doomed.id, userID: doomed.userID)
            XCTAssertFalse(again)
            let gone = try await store.record(for: doomed.id, userID: doomed.userID)
            XCTAssertNil(gone)

            let summary = try await store.prune(
                finishedBefore: now.addingTimeInterval(-1800),
                resultsFinishedBefore: now.addingTimeInterval(-1)
            )
            XCTAssertEqual(summary.deletedJobs, 1)
            XCTAssertEqual(summary.deletedResults, 1)
            let oldRecord = try await store.record(for: old.id, userID: old.userID)
            XCTAssertNil(oldRecord)
            let kept = try await store.record(for: recent.id, userID: recent.userID)
            XCTAssertEqual(kept?.status, .completed)
            XCTAssertNil(kept?.result, "the expired result's description goes with it")
            let result = try await store.result(for: recent.id, userID: recent.userID)
            XCTAssertNil(result)
            let unfinished = try await store.unfinishedJobCount()
            XCTAssertEqual(unfinished, 0)
        }
    }

    // MARK: A job center on the store

    func jobCenterRunsJobsEndToEnd() async throws {
        try await withStore { store in
            let runs = ExecutionLog()
            let center = try JobCenter(
                kind: CountedJob(runs: runs),
                store: store,
                configuration: .init(pollInterval: .milliseconds(200))
            )
            try await withRunningCenters([center]) {
                let submitted = try await center.submit(.init(text: "hello"), userID: "user-1", idempotencyKey: "k1")
                let repeated = try await center.submit(.init(text: "hello"), userID: "user-1", idempotencyKey: "k1")
                XCTAssertEqual(repeated.jobID, submitted.jobID)
                try await Task.sleep(for: .milliseconds(5))  // a later submission time, for the history's order
                let failing = try await center.submit(.init(text: "no", failureCode: "refused"), userID: "user-1")
                let done = try await center.wait(for: submitted.jobID, userID: "user-1", timeout: .seconds(20))
                XCTAssertEqual(done.status, .completed)
                XCTAssertEqual(done.details, CountedJob.Details(length: 5))
                let link = try XCTUnwrap(done.downloadLink)
                let download = try await center.download(token: link.token)
                XCTAssertEqual(download.data, Data("HELLO".utf8))
                let failed = try await center.wait(for: failing.jobID, userID: "user-1", timeout: .seconds(20))
                XCTAssertEqual(failed.status, .failed)
                XCTAssertEqual(failed.errorCode, JobFailure.Code("refused"))
                let history = try await center.history(of: "user-1")
                XCTAssertEqual(history.jobs.map(\.jobID), [failing.jobID, submitted.jobID])
                await XCTAssertThrowsJobError(.notFound) {
                    try await center.status(of: submitted.jobID, userID: "user-2")
                }
                try await center.delete(submitted.jobID, userID: "user-1")
                await XCTAssertThrowsJobError(.notFound) {
                    try await center.status(of: submitted.jobID, userID: "user-1")
                }
                XCTAssertEqual(runs.count(of: submitted.jobID), 1)
                let unfinished = try await center.unfinishedJobCount()
                XCTAssertEqual(unfinished, 0)
            }
        }
    }
}

/// A claim of `test.kind` jobs.
func claimRequest(
    _ owner: String,
    limit: Int = 10,
    perUser: Int = 10,
    lease: Duration = .seconds(30),
    now: Date = TestRecords.now()
) -> JobClaimRequest {
    JobClaimRequest(
        kind: "test.kind",
        owner: owner,
        limit: limit,
        maximumRunningPerUser: perUser,
        leaseDuration: lease,
        now: now
    )
}

/// Asserts that `body` throws a ``JobError`` with the given code.
func XCTAssertThrowsJobError<T>(
    _ code: JobError.Code,
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        XCTFail("Expected JobError.\(code), but nothing was thrown", file: file, line: line)
    } catch let error as JobError {
        XCTAssertEqual(error.code, code, "Unexpected error: \(error)", file: file, line: line)
    } catch {
        XCTFail("Expected JobError.\(code), got \(error)", file: file, line: line)
    }
}
