// PLACEHOLDER: replaced by the ResumeParsing issue's tests.
import XCTest
@testable import ResumeParsing

final class PlaceholderTests: XCTestCase {
    func testModuleLoads() {}
}
