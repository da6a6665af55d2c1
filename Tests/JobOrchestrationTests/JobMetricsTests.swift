import CoreMetrics
import Foundation
import JobOrchestration
import MetricsTestKit
import Optimization
import XCTest

final class JobMetricsTests: XCTestCase {
    private let resume = "Jane Doe\nExperience\n• Built payment APIs in Swift.\nSkills\nSwift, PostgreSQL\n"

    func testACenter_recordsSubmittedCompletedFailedAttemptsAndParseTime() async throws {
        let metrics = TestMetrics()
        let kind = ResumeOptimizationJob(optimizer: ResumeOptimizer(provider: nil), metricsFactory: metrics)
        let center = try JobCenter(kind: kind, configuration: .testing(), metricsFactory: metrics)

        try await withRunningJobCenter(center) { center in
            let good = try await center.submit(
                .init(resume: Data(resume.utf8), jobDescription: "Swift and Kubernetes"),
                userID: "jane",
                idempotencyKey: "one"
            )
            // The same submit again is the same job: not counted twice.
            _ = try await center.submit(
                .init(resume: Data(resume.utf8), jobDescription: "Swift and Kubernetes"),
                userID: "jane",
                idempotencyKey: "one"
            )
            let empty = try await center.submit(.init(resume: Data(), jobDescription: "Swift"), userID: "jane")
            _ = try await center.wait(for: good.jobID, userID: "jane", timeout: .seconds(10))
            _ = try await center.wait(for: empty.jobID, userID: "jane", timeout: .seconds(10))
        }

        let kindDimension = [("kind", ResumeOptimizationJob.identifier)]
        XCTAssertEqual(try metrics.expectCounter(JobMetricsLabel.submitted, kindDimension).totalValue, 2)
        XCTAssertEqual(try metrics.expectCounter(JobMetricsLabel.completed, kindDimension).totalValue, 1)
        let failed = try metrics.expectCounter(
            JobMetricsLabel.failed,
            kindDimension + [("error_code", JobFailure.Code.emptyInput.identifier)]
        )
        XCTAssertEqual(failed.totalValue, 1)
        let succeeded = try metrics.expectTimer(
            JobMetricsLabel.attemptDuration,
            kindDimension + [("outcome", "succeeded")]
        )
        XCTAssertEqual(succeeded.values.count, 1)
        XCTAssertGreaterThan(succeeded.values[0], 0)
        let failedAttempts = try metrics.expectTimer(
            JobMetricsLabel.attemptDuration,
            kindDimension + [("outcome", "failed")]
        )
        XCTAssertEqual(failedAttempts.values.count, 1)
        let parsed = try metrics.expectTimer(
            JobMetricsLabel.parseDuration,
            [("format", "txt"), ("outcome", "succeeded")]
        )
        XCTAssertEqual(parsed.values.count, 1)
        let refused = try metrics.expectTimer(
            JobMetricsLabel.parseDuration,
            [("format", "unknown"), ("outcome", "emptyInput")]
        )
        XCTAssertEqual(refused.values.count, 1)
        XCTAssertEqual(try metrics.expectGauge(JobMetricsLabel.running, kindDimension).lastValue, 0, "all ended")
    }
}
