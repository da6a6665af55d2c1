import Optimization
import XCTest

/// Asserts that `body` throws an ``AIProviderError`` of `kind`, then hands the error to `onError`.
func XCTAssertThrowsAIProviderError<T>(
    _ kind: AIProviderError.Kind,
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: () async throws -> T,
    onError: (AIProviderError) throws -> Void = { _ in }
) async {
    do {
        _ = try await body()
        XCTFail("Expected AIProviderError.\(kind), but nothing was thrown", file: file, line: line)
    } catch let error as AIProviderError {
        XCTAssertEqual(error.kind, kind, "unexpected kind; message: \(error.message)", file: file, line: line)
        do {
            try onError(error)
        } catch {
            XCTFail("onError threw \(error)", file: file, line: line)
        }
    } catch {
        XCTFail("Expected AIProviderError.\(kind), got \(type(of: error))", file: file, line: line)
    }
}
