// PLACEHOLDER: replaced by the JobOrchestration issue's tests.
import XCTest
@testable import JobOrchestration

final class PlaceholderTests: XCTestCase {
    func testModuleLoads() {}
}
