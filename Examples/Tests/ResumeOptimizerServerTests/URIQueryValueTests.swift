import HummingbirdCore
import XCTest

@testable import resume_optimizer_server

/// `URI.queryValue(_:)` reads one parameter the way Hummingbird's `queryParameters` does.
final class URIQueryValueTests: XCTestCase {
    func testQueryValue_agreesWithQueryParameters() {
        let targets = [
            "/status", "/status?", "/status?jobId=3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            "/status?jobId=abc&wait=20", "/status?wait=20&jobId=abc", "/status?jobId=a&jobId=b",
            "/status?jobId", "/status?jobId=", "/status?&&jobId=x&&", "/status?jobIdx=1&xjobId=2",
            "/status?jobId=a%2Fb%20c", "/status?jobId=%E5%90%8D&wait=1", "/status?wait=1.5&limit=7",
            "/status?jobId=a=b", "/status?=x&jobId=y", "/jobs?limit=%32%30", "/status?jobId=a+b",
        ]
        for target in targets {
            let uri = URI(target)
            for name in ["jobId", "wait", "limit", ""] {
                XCTAssertEqual(
                    uri.queryValue(name).map { String($0) },
                    uri.queryParameters[Substring(name)].map { String($0) },
                    "\(target) \(name)"
                )
            }
        }
    }
}
