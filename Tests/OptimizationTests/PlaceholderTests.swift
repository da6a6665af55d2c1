// PLACEHOLDER: replaced by the Optimization issue's tests.
import XCTest
@testable import Optimization

final class PlaceholderTests: XCTestCase {
    func testModuleLoads() {}
}
