import Foundation
import JobOrchestration
import XCTest

/// The conformance suite on ``InMemoryJobStore``.
final class InMemoryJobStoreConformanceTests: XCTestCase {
    private var suite: JobStoreConformance {
        JobStoreConformance { body in try await body(InMemoryJobStore()) }
    }

    func testInsertReadAndHistory() async throws { try await suite.insertReadAndHistory() }

    func testIdempotencyKey_givesOneJob() async throws { try await suite.idempotencyKeyGivesOneJob() }

    func testClaim_isFairAndHonoursThePerUserLimit() async throws {
        try await suite.claimIsFairAndHonoursThePerUserLimit()
    }

    func testFencing_keepsATakenOverWorkerOut() async throws { try await suite.fencingKeepsATakenOverWorkerOut() }

    func testRenewAndRelease() async throws { try await suite.renewAndRelease() }

    func testRevisionCondition_isCompareAndSet() async throws { try await suite.revisionConditionIsCompareAndSet() }

    func testDeleteAndPrune() async throws { try await suite.deleteAndPrune() }

    func testJobCenter_runsJobsEndToEnd() async throws { try await suite.jobCenterRunsJobsEndToEnd() }
}

/// The conformance suite on ``DirectoryJobStore``, in a fresh directory per check.
final class DirectoryJobStoreConformanceTests: XCTestCase {
    private var suite: JobStoreConformance {
        JobStoreConformance { body in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: root) }
            try await body(DirectoryJobStore(root: root))
        }
    }

    func testInsertReadAndHistory() async throws { try await suite.insertReadAndHistory() }

    func testIdempotencyKey_givesOneJob() async throws { try await suite.idempotencyKeyGivesOneJob() }

    func testClaim_isFairAndHonoursThePerUserLimit() async throws {
        try await suite.claimIsFairAndHonoursThePerUserLimit()
    }

    func testFencing_keepsATakenOverWorkerOut() async throws { try await suite.fencingKeepsATakenOverWorkerOut() }

    func testRenewAndRelease() async throws { try await suite.renewAndRelease() }

    func testRevisionCondition_isCompareAndSet() async throws { try await suite.revisionConditionIsCompareAndSet() }

    func testDeleteAndPrune() async throws { try await suite.deleteAndPrune() }

    func testJobCenter_runsJobsEndToEnd() async throws { try await suite.jobCenterRunsJobsEndToEnd() }
}

/// The conformance suite on ``PostgresJobStore``, in a fresh schema per check.
final class PostgresJobStoreConformanceTests: XCTestCase {
    private var suite: JobStoreConformance {
        JobStoreConformance { body in
            try await TestDatabase.withStores(1) { stores in try await body(stores[0]) }
        }
    }

    func testInsertReadAndHistory() async throws { try await suite.insertReadAndHistory() }

    func testIdempotencyKey_givesOneJob() async throws { try await suite.idempotencyKeyGivesOneJob() }

    func testClaim_isFairAndHonoursThePerUserLimit() async throws {
        try await suite.claimIsFairAndHonoursThePerUserLimit()
    }

    func testFencing_keepsATakenOverWorkerOut() async throws { try await suite.fencingKeepsATakenOverWorkerOut() }

    func testRenewAndRelease() async throws { try await suite.renewAndRelease() }

    func testRevisionCondition_isCompareAndSet() async throws { try await suite.revisionConditionIsCompareAndSet() }

    func testDeleteAndPrune() async throws { try await suite.deleteAndPrune() }

    func testJobCenter_runsJobsEndToEnd() async throws { try await suite.jobCenterRunsJobsEndToEnd() }
}
