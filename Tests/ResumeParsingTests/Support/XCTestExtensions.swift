import ResumeParsing
import XCTest

/// Asserts that `expression` throws a ``ResumeParsingError`` with `code`, and hands the error to `onError`.
func XCTAssertThrowsParsingError<T>(
    _ expression: @autoclosure () throws -> T,
    code: ResumeParsingError.Code,
    file: StaticString = #filePath,
    line: UInt = #line,
    onError: (ResumeParsingError) -> Void = { _ in }
) {
    do {
        _ = try expression()
        XCTFail("Expected ResumeParsingError.\(code), but nothing was thrown", file: file, line: line)
    } catch let error as ResumeParsingError {
        XCTAssertEqual(error.code, code, "Unexpected error: \(error)", file: file, line: line)
        onError(error)
    } catch {
        XCTFail("Expected ResumeParsingError.\(code), got \(error)", file: file, line: line)
    }
}

/// Parses a .docx built inline with the default configuration.
func parseDocx(_ builder: DocxBuilder, configuration: ResumeParser.Configuration = .init()) throws -> ResumeDocument {
    try ResumeParser(configuration: configuration).parse(builder.data(), fileNameHint: "resume.docx")
}

/// Parses a .docx whose body is `body`.
func parseDocx(body: String) throws -> ResumeDocument {
    try parseDocx(DocxBuilder(body: body))
}
