public import Foundation
public import ResumeParsing

/// What both fuzzers do with an input once it is a file: parse it with the default limits and
/// check the promises the parser makes on every input.
public enum FuzzTarget {
    /// One parser for the whole run, as a server would keep one.
    public static let parser = ResumeParser()

    /// Parses `bytes`. A typed error is a fine outcome; a crash, a leak, a hang or a huge
    /// allocation is a finding (the sanitizers and libFuzzer's limits report those).
    public static func parse(_ bytes: Data) {
        do {
            let document = try parser.parse(bytes)
            // A document with no text is an error, never an empty resume.
            if document.text.isEmpty {
                fatalError("parse returned a document with no text instead of throwing")
            }
        } catch {
            // Refusals are expected: most fuzzed inputs are not documents.
        }
    }
}
