import Optimization
import XCTest

final class RetryPolicyTests: XCTestCase {
    func testDefault_matchesTheOfficialSDKs() {
        let policy = RetryPolicy.default

        XCTAssertEqual(policy.maxRetries, 2)
        XCTAssertEqual(policy.initialDelay, .milliseconds(500))
        XCTAssertEqual(policy.maxDelay, .seconds(8))
        XCTAssertEqual(policy.jitter, 0.25)
        XCTAssertEqual(policy.maximumServerRequestedDelay, .seconds(60))
        XCTAssertEqual(RetryPolicy.none.maxRetries, 0)
    }

    func testBackoffDelay_withoutJitter_doublesFromHalfASecondUpToEightSeconds() {
        let policy = RetryPolicy()

        let delays = (0..<7).map { policy.backoffDelay(beforeRetry: $0, randomFraction: 0) }

        XCTAssertEqual(
            delays,
            [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)]
        )
    }

    func testBackoffDelay_withFullJitter_isShortenedByAQuarter() {
        let policy = RetryPolicy()

        XCTAssertEqual(policy.backoffDelay(beforeRetry: 0, randomFraction: 1), .milliseconds(375))
        XCTAssertEqual(policy.backoffDelay(beforeRetry: 4, randomFraction: 1), .seconds(6))
        XCTAssertEqual(policy.backoffDelay(beforeRetry: 1, randomFraction: 0.5), .milliseconds(875))
    }

    func testDelay_whenServerAsksForAtMostSixtySeconds_usesTheServersWait() {
        let policy = RetryPolicy()

        XCTAssertEqual(policy.delay(beforeRetry: 0, serverRequested: .seconds(3), randomFraction: 0.9), .seconds(3))
        XCTAssertEqual(policy.delay(beforeRetry: 3, serverRequested: .seconds(60), randomFraction: 0), .seconds(60))
        XCTAssertEqual(policy.delay(beforeRetry: 1, serverRequested: .zero, randomFraction: 0), .zero)
    }

    func testDelay_whenServerAsksForMoreThanSixtySeconds_fallsBackToBackoff() {
        let policy = RetryPolicy()

        XCTAssertEqual(policy.delay(beforeRetry: 1, serverRequested: .seconds(61), randomFraction: 0), .seconds(1))
        XCTAssertEqual(policy.delay(beforeRetry: 0, serverRequested: nil, randomFraction: 0), .milliseconds(500))
    }

    func testInit_withNegativeRetries_clampsToZero() {
        XCTAssertEqual(RetryPolicy(maxRetries: -3).maxRetries, 0)
    }
}
