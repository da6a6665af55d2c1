import Optimization
import XCTest

final class APIKeyTests: XCTestCase {
    func testInitEnvironment_readsTheVariableAndIgnoresEmptyValues() {
        let environment = ["OPENAI_API_KEY": "sk-abc", "ANTHROPIC_API_KEY": ""]

        XCTAssertEqual(APIKey(environment: "OPENAI_API_KEY", in: environment)?.value, "sk-abc")
        XCTAssertNil(APIKey(environment: "ANTHROPIC_API_KEY", in: environment))
        XCTAssertNil(APIKey(environment: "MISSING", in: environment))
    }

    func testDescriptions_neverShowTheSecret() {
        let key: APIKey = "sk-very-secret"

        XCTAssertEqual("\(key)", "APIKey(redacted)")
        XCTAssertEqual(String(reflecting: key), "APIKey(redacted)")
        XCTAssertFalse("\([key])".contains("sk-very-secret"))
    }
}
