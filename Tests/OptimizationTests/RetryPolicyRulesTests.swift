@testable import Optimization
import XCTest

/// Which HTTP failures are retried: the internal rule table behind every HTTP provider.
final class RetryPolicyRulesTests: XCTestCase {
    func testShouldRetry_retriesTimeoutsConflictsRateLimitsAndServerErrors() {
        for status in [408, 409, 429, 500, 502, 503, 504, 529] {
            XCTAssertTrue(RetryPolicy.shouldRetry(status: status, shouldRetryHeader: nil, errorCode: nil), "\(status)")
        }
    }

    func testShouldRetry_neverRetriesClientErrors_evenWhenTheServerSaysTo() {
        for status in [400, 401, 403, 404, 413, 422] {
            XCTAssertFalse(RetryPolicy.shouldRetry(status: status, shouldRetryHeader: nil, errorCode: nil), "\(status)")
            XCTAssertFalse(
                RetryPolicy.shouldRetry(status: status, shouldRetryHeader: "true", errorCode: nil),
                "\(status)"
            )
        }
    }

    func testShouldRetry_whenQuotaIsExhausted_doesNotRetryTheRateLimit() {
        XCTAssertFalse(RetryPolicy.shouldRetry(status: 429, shouldRetryHeader: nil, errorCode: "insufficient_quota"))
        XCTAssertFalse(RetryPolicy.shouldRetry(status: 429, shouldRetryHeader: "true", errorCode: "insufficient_quota"))
    }

    func testShouldRetry_obeysTheShouldRetryHeader() {
        XCTAssertFalse(RetryPolicy.shouldRetry(status: 500, shouldRetryHeader: "false", errorCode: nil))
        XCTAssertFalse(RetryPolicy.shouldRetry(status: 429, shouldRetryHeader: "FALSE", errorCode: nil))
        XCTAssertTrue(RetryPolicy.shouldRetry(status: 418, shouldRetryHeader: "true", errorCode: nil))
        XCTAssertFalse(RetryPolicy.shouldRetry(status: 418, shouldRetryHeader: nil, errorCode: nil))
    }
}
