import Foundation
import JobOrchestration
@testable import JobOrchestrationPostgres
import PostgresNIO
import XCTest

/// The PostgreSQL store's own behaviour on a real database: schema, claims, fencing, notifications.
final class PostgresJobStoreTests: XCTestCase {
    // MARK: Schema

    func testMigration_isVersionedAndRunningItAgainChangesNothing() async throws {
        try await TestDatabase.withStores { stores in
            let store = stores[0]
            try await store.migrate()
            try await store.migrate()
            let rows = try await store.client.query(
                "SELECT version, name FROM \(unescaped: store.schema).schema_migrations ORDER BY version"
            )
            var versions: [Int] = []
            for try await (version, _) in rows.decode((Int, String).self) { versions.append(version) }
            XCTAssertEqual(versions, Schema.migrations.map(\.version))
        }
    }

    func testMigration_aDatabaseAtVersion1IsMigratedToVersion2() async throws {
        try await TestDatabase.withStores { stores in
            let store = stores[0]
            try await store.migrate()
            let record = TestRecords.queued()
            _ = try await store.insert(record, input: Data("input".utf8))
            // A database the first release created, with a job in it: the table is there, the claim
            // function and the trace context column are not.
            try await store.client.query("DROP FUNCTION \(unescaped: store.schema).claim_jobs")
            try await store.client.query("ALTER TABLE \(unescaped: store.schema).jobs DROP COLUMN trace_context")
            try await store.client.query("DELETE FROM \(unescaped: store.schema).schema_migrations WHERE version > 1")

            try await store.migrate()
            let claims = try await store.claimJobs(claimRequest("A", limit: 1, perUser: 1))
            XCTAssertEqual(claims.map(\.record.id), [record.id])
            XCTAssertEqual(claims.first?.input, Data("input".utf8))
            XCTAssertEqual(claims.first?.record.fencingToken, 1)
        }
    }

    func testMigration_storesStartingTogetherOnAnEmptySchemaDoNotRace() async throws {
        // Four stores migrate the same new schema at the same moment; the advisory lock makes them take turns.
        try await TestDatabase.withStores(4) { stores in
            let record = TestRecords.queued()
            _ = try await stores[3].insert(record, input: Data("input".utf8))
            for store in stores {
                let found = try await store.record(for: record.id, userID: record.userID)
                XCTAssertEqual(found, record)
            }
        }
    }

    // MARK: Records

    func testInsertReadAndHistory_roundTripRecordsExactly() async throws {
        try await TestDatabase.withStores(2) { stores in
            let base = TestRecords.now()
            var inserted: [JobRecord] = []
            for index in 0..<5 {
                var record = TestRecords.queued(submittedAt: base.addingTimeInterval(Double(index) / 1000))
                record.details = "{\"score\":\(index)}"
                guard case .inserted(let stored) = try await stores[0].insert(record, input: Data([UInt8(index)]))
                else {
                    return XCTFail("expected an insert")
                }
                XCTAssertEqual(stored, record)
                inserted.append(record)
            }
            // Another user's and another kind's jobs stay out of the history.
            _ = try await stores[0].insert(TestRecords.queued(user: "user-2"), input: Data())
            _ = try await stores[0].insert(TestRecords.queued(kind: "other.kind"), input: Data())

            // The other instance reads the same records, newest first, page by page.
            let first = try await stores[1].records(forUser: "user-1", kind: "test.kind", after: nil, limit: 2)
            XCTAssertEqual(first, [inserted[4], inserted[3]])
            let second = try await stores[1].records(
                forUser: "user-1",
                kind: "test.kind",
                after: first.last?.historyCursor,
                limit: 10
            )
            XCTAssertEqual(second, [inserted[2], inserted[1], inserted[0]])
            let allKinds = try await stores[1].records(forUser: "user-1", kind: nil, after: nil, limit: 10)
            XCTAssertEqual(allKinds.count, 6)
            let input = try await stores[1].input(for: inserted[3].id, userID: "user-1")
            XCTAssertEqual(input, Data([3]))
            let hidden = try await stores[1].record(for: inserted[0].id, userID: "user-2")
            XCTAssertNil(hidden, "another user's job is not found")
        }
    }

    func testIdempotencyKey_givesOneJobAcrossInstances() async throws {
        try await TestDatabase.withStores(3) { stores in
            let records = (0..<3).map { _ in TestRecords.queued(idempotencyKey: "same-key") }
            let outcomes = try await withThrowingTaskGroup(of: JobInsertion.self) { group in
                for (index, store) in stores.enumerated() {
                    let record = records[index]
                    group.addTask { try await store.insert(record, input: Data("x".utf8)) }
                }
                var outcomes: [JobInsertion] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            var insertedIDs: [JobID] = []
            var existingIDs: [JobID] = []
            for outcome in outcomes {
                switch outcome {
                case .inserted(let record): insertedIDs.append(record.id)
                case .existing(let record): existingIDs.append(record.id)
                }
            }
            XCTAssertEqual(insertedIDs.count, 1)
            XCTAssertEqual(existingIDs, [insertedIDs[0], insertedIDs[0]])
            // The same key of another user is another job.
            let other = try await stores[0].insert(
                TestRecords.queued(user: "user-2", idempotencyKey: "same-key"),
                input: Data()
            )
            guard case .inserted = other else { return XCTFail("another user's key is independent") }
            let count = try await stores[0].unfinishedJobCount()
            XCTAssertEqual(count, 2)
        }
    }

    // MARK: Claims

    func testClaim_takesUsersInTurnsAndHonoursThePerUserLimitAcrossOwners() async throws {
        try await TestDatabase.withStores(2) { stores in
            let base = TestRecords.now().addingTimeInterval(-10)
            var next = 0.0
            func submit(_ user: String, _ count: Int) async throws {
                for _ in 0..<count {
                    next += 1
                    _ = try await stores[0].insert(
                        TestRecords.queued(user: user, submittedAt: base.addingTimeInterval(next / 1000)),
                        input: Data()
                    )
                }
            }
            try await submit("alice", 5)
            try await submit("bob", 2)
            try await submit("carol", 1)

            let first = try await stores[0].claimJobs(claimRequest("A", limit: 4, perUser: 2))
            XCTAssertEqual(first.map(\.record.userID), ["alice", "bob", "carol", "alice"])
            XCTAssertTrue(
                first.allSatisfy { $0.record.fencingToken == 1 && $0.record.attempts == 1 && !$0.wasInterrupted }
            )
            XCTAssertTrue(first.allSatisfy { $0.record.leaseOwner == "A" })

            // Alice has 2 live leases: another instance gets only bob's second job.
            let second = try await stores[1].claimJobs(claimRequest("B", limit: 10, perUser: 2))
            XCTAssertEqual(second.map(\.record.userID), ["bob"])
            let none = try await stores[1].claimJobs(claimRequest("B", limit: 10, perUser: 2))
            XCTAssertEqual(none.count, 0)
        }
    }

    func testConcurrentClaims_ofThreeInstancesKeepThePerUserLimit() async throws {
        // Claims of one kind take turns under the advisory lock, and each sees the leases the one
        // before it committed: however the claims interleave, one user never holds more than the limit.
        try await TestDatabase.withStores(3) { stores in
            for _ in 0..<40 { _ = try await stores[0].insert(TestRecords.queued(user: "alice"), input: Data()) }
            for round in 0..<5 {
                let claimed = try await withThrowingTaskGroup(of: Int.self) { group in
                    for (index, store) in stores.enumerated() {
                        for attempt in 0..<4 {
                            group.addTask {
                                try await store.claimJobs(
                                    claimRequest("owner-\(round)-\(index)-\(attempt)", limit: 2, perUser: 3)
                                ).count
                            }
                        }
                    }
                    return try await group.reduce(0, +)
                }
                XCTAssertEqual(claimed, 3, "round \(round)")
                // The leases end; the next round may claim three more.
                try await stores[0].client.query(
                    """
                    UPDATE \(unescaped: stores[0].schema).jobs SET status = 'COMPLETED', lease_owner = NULL,
                        lease_expires_at = NULL WHERE lease_owner IS NOT NULL
                    """
                )
            }
        }
    }

    func testConcurrentClaims_neverHandOutAJobTwice() async throws {
        try await TestDatabase.withStores(3) { stores in
            for index in 0..<300 {
                _ = try await stores[0].insert(TestRecords.queued(user: "user-\(index % 7)"), input: Data())
            }
            let claimed = try await withThrowingTaskGroup(of: [JobID].self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        var ids: [JobID] = []
                        while true {
                            let batch = try await store.claimJobs(
                                claimRequest("owner-\(index)", limit: 7, perUser: 1000)
                            )
                            if batch.isEmpty { return ids }
                            ids += batch.map(\.record.id)
                        }
                    }
                }
                var all: [JobID] = []
                for try await ids in group { all += ids }
                return all
            }
            XCTAssertEqual(claimed.count, 300)
            XCTAssertEqual(Set(claimed).count, 300)
        }
    }

    func testFencing_aTakenOverLeaseCannotWriteAndTheNewOwnerCan() async throws {
        try await TestDatabase.withStores(2) { stores in
            let record = TestRecords.queued()
            _ = try await stores[0].insert(record, input: Data("in".utf8))
            let now = TestRecords.now()
            let first = try await stores[0].claimJobs(claimRequest("A", lease: .seconds(1), now: now))
            XCTAssertEqual(first.count, 1)
            let staleLease = JobLease(jobID: record.id, owner: "A", fencingToken: first[0].record.fencingToken)

            // The lease lapses; B rescues the job.
            let later = now.addingTimeInterval(2)
            let second = try await stores[1].claimJobs(claimRequest("B", now: later))
            XCTAssertEqual(second.count, 1)
            XCTAssertTrue(second[0].wasInterrupted)
            XCTAssertEqual(second[0].record.fencingToken, 2)
            XCTAssertEqual(second[0].record.attempts, 2)
            XCTAssertEqual(second[0].input, Data("in".utf8))

            // A wakes up: its progress, its outcome and its heartbeat are refused.
            var stale = first[0].record
            stale.message = "stale stage"
            stale.revision += 1
            let staleUpdate = try await stores[0].update(stale, condition: .leased(staleLease))
            XCTAssertFalse(staleUpdate)
            var staleFinish = stale
            staleFinish.status = .completed
            staleFinish.finishedAt = later
            let staleFinished = try await stores[0].finish(
                staleFinish,
                result: Data("stale".utf8),
                keepInput: false,
                condition: .leased(staleLease)
            )
            XCTAssertFalse(staleFinished)
            let lost = try await stores[0].renewLeases([staleLease], leaseDuration: .seconds(30), now: later)
            XCTAssertEqual(lost, [staleLease])

            // B completes it.
            let lease = JobLease(jobID: record.id, owner: "B", fencingToken: second[0].record.fencingToken)
            var done = second[0].record
            done.status = .completed
            done.message = "Done"
            done.revision += 1
            done.finishedAt = later
            done.leaseOwner = nil
            done.leaseExpiresAt = nil
            let finished = try await stores[1].finish(
                done,
                result: Data("result".utf8),
                keepInput: false,
                condition: .leased(lease)
            )
            XCTAssertTrue(finished)
            let stored = try await stores[0].record(for: record.id, userID: record.userID)
            XCTAssertEqual(stored, done)
            let result = try await stores[0].result(for: record.id, userID: record.userID)
            XCTAssertEqual(result, Data("result".utf8))
            let input = try await stores[0].input(for: record.id, userID: record.userID)
            XCTAssertNil(input, "the input is deleted when the job ends")
            // Nothing is runnable any more.
            let after = try await stores[0].claimJobs(claimRequest("C", now: later.addingTimeInterval(60)))
            XCTAssertTrue(after.isEmpty)
        }
    }

    func testRenewAndRelease() async throws {
        try await TestDatabase.withStores { stores in
            let store = stores[0]
            for _ in 0..<3 { _ = try await store.insert(TestRecords.queued(), input: Data()) }
            let now = TestRecords.now()
            let claims = try await store.claimJobs(claimRequest("A", lease: .seconds(1), now: now))
            let leases = claims.map { JobLease(jobID: $0.record.id, owner: "A", fencingToken: $0.record.fencingToken) }
            // A heartbeat keeps them: another instance finds nothing after the first expiry.
            let lost = try await store.renewLeases(
                leases,
                leaseDuration: .seconds(30),
                now: now.addingTimeInterval(0.5)
            )
            XCTAssertEqual(lost, [])
            let stolen = try await store.claimJobs(claimRequest("B", now: now.addingTimeInterval(5)))
            XCTAssertEqual(stolen.count, 0)
            // Release on shutdown: runnable at once, the stopped attempt not counted.
            let released = try await store.releaseLeases(owner: "A")
            XCTAssertEqual(released, 3)
            let taken = try await store.claimJobs(claimRequest("B", now: now.addingTimeInterval(1)))
            XCTAssertEqual(taken.count, 3)
            XCTAssertTrue(
                taken.allSatisfy { $0.record.attempts == 1 && $0.record.fencingToken == 2 && !$0.wasInterrupted }
            )
        }
    }

    func testRevisionCondition_cancelBeatsTheLease() async throws {
        try await TestDatabase.withStores { stores in
            let store = stores[0]
            let record = TestRecords.queued()
            _ = try await store.insert(record, input: Data())
            let claim = try await store.claimJobs(claimRequest("A"))[0]
            var cancelled = claim.record
            cancelled.status = .cancelled
            cancelled.message = "Cancelled"
            cancelled.revision += 1
            cancelled.finishedAt = TestRecords.now()
            let wrongRevision = try await store.update(cancelled, condition: .revision(claim.record.revision + 5))
            XCTAssertFalse(wrongRevision)
            let applied = try await store.update(cancelled, condition: .revision(claim.record.revision))
            XCTAssertTrue(applied)
            var late = claim.record
            late.message = "late stage"
            late.revision += 2
            let lease = JobLease(jobID: record.id, owner: "A", fencingToken: claim.record.fencingToken)
            let refused = try await store.update(late, condition: .leased(lease))
            XCTAssertFalse(refused, "the worker of a cancelled job cannot write")
            let stored = try await store.record(for: record.id, userID: record.userID)
            XCTAssertEqual(stored?.status, .cancelled)
            XCTAssertNil(stored?.leaseOwner)
        }
    }

    // MARK: Limits, deletion, retention

    func testResultLargerThanTheLimit_isRefusedWithATypedError() async throws {
        let schema = TestDatabase.freshSchema()
        var configuration = try TestDatabase.configuration(schema: schema)
        configuration.maximumResultSize = 10
        let store = try PostgresJobStore(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            try await store.waitUntilReady()
            let record = TestRecords.queued()
            _ = try await store.insert(record, input: Data())
            let claim = try await store.claimJobs(claimRequest("A"))[0]
            var done = claim.record
            done.status = .completed
            done.revision += 1
            do {
                try await store.finish(
                    done,
                    result: Data(count: 11),
                    keepInput: false,
                    condition: .leased(.init(jobID: record.id, owner: "A", fencingToken: claim.record.fencingToken))
                )
                XCTFail("an 11-byte result exceeds the limit")
            } catch let error as PostgresJobStoreError {
                XCTAssertEqual(error.code, .resultTooLarge)
            }
            let stored = try await store.record(for: record.id, userID: record.userID)
            XCTAssertEqual(stored?.status, .processing, "nothing was written")
            try await TestDatabase.dropSchema(schema, using: store)
        }
    }

    func testDeleteAndPrune() async throws {
        try await TestDatabase.withStores(2) { stores in
            let now = TestRecords.now()
            var finished: [JobRecord] = []
            for index in 0..<4 {
                let record = TestRecords.queued(idempotencyKey: "key-\(index)")
                _ = try await stores[0].insert(record, input: Data())
                finished.append(record)
            }
            let claims = try await stores[0].claimJobs(claimRequest("A"))
            for claim in claims {
                var done = claim.record
                done.status = .completed
                done.revision += 1
                let index = finished.firstIndex { $0.id == done.id }!
                done.finishedAt = now.addingTimeInterval(Double(index - 4) * 3600)  // 4 h, 3 h, 2 h, 1 h ago
                let lease = JobLease(jobID: done.id, owner: "A", fencingToken: claim.record.fencingToken)
                try await stores[0].finish(done, result: Data("r".utf8), keepInput: false, condition: .leased(lease))
            }
            let deleted = try await stores[1].delete(id: finished[3].id, userID: "user-1")
            XCTAssertTrue(deleted)
            let again = try await stores[1].insert(TestRecords.queued(idempotencyKey: "key-3"), input: Data())
            guard case .inserted = again else { return XCTFail("a deleted job's key is free again") }

            // Two instances prune at once: one does the work, the other finds the lock taken.
            let summaries = try await withThrowingTaskGroup(of: JobPruneSummary.self) { group in
                for store in stores {
                    group.addTask {
                        try await store.prune(
                            finishedBefore: now.addingTimeInterval(-2.5 * 3600),
                            resultsFinishedBefore: now.addingTimeInterval(-1.5 * 3600)
                        )
                    }
                }
                var summaries: [JobPruneSummary] = []
                for try await summary in group { summaries.append(summary) }
                return summaries
            }
            let total = summaries.reduce(into: JobPruneSummary()) {
                $0.deletedJobs += $1.deletedJobs
                $0.deletedResults += $1.deletedResults
            }
            XCTAssertEqual(total, JobPruneSummary(deletedJobs: 2, deletedResults: 1))
            let kept = try await stores[0].record(for: finished[2].id, userID: "user-1")
            XCTAssertNotNil(kept)
            let result = try await stores[0].result(for: finished[2].id, userID: "user-1")
            XCTAssertNil(result)
        }
    }

    // MARK: Notifications

    func testChanges_reachEveryInstance() async throws {
        try await TestDatabase.withStores(2) { stores in
            guard let changes = stores[1].changes() else { return XCTFail("the store notifies") }
            var iterator = changes.makeAsyncIterator()
            let record = TestRecords.queued()
            _ = try await stores[0].insert(record, input: Data())
            let inserted = await iterator.next()
            XCTAssertEqual(inserted?.jobID, record.id)
            XCTAssertEqual(inserted?.event, .runnable)
            XCTAssertEqual(inserted?.userID, record.userID)
            let claim = try await stores[0].claimJobs(claimRequest("A"))[0]
            var stage = claim.record
            stage.message = "Working"
            stage.revision += 1
            let lease = JobLease(jobID: record.id, owner: "A", fencingToken: claim.record.fencingToken)
            try await stores[0].update(stage, condition: .leased(lease))
            let changed = await iterator.next()
            XCTAssertEqual(changed?.event, .changed)
            XCTAssertEqual(changed?.revision, stage.revision)
            _ = try await stores[0].releaseLeases(owner: "A")
            let released = await iterator.next()
            XCTAssertEqual(released?.event, .runnable)
            try await stores[0].delete(id: record.id, userID: record.userID)
            let deleted = await iterator.next()
            XCTAssertEqual(deleted?.event, .deleted)
        }
    }
}
