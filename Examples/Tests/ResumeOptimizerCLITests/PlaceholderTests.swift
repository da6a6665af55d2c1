// PLACEHOLDER: replaced by the command-line tests.
import XCTest

final class PlaceholderTests: XCTestCase {
    func testPackageLoads() {}
}
