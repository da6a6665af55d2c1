/// Why one file of `extract` produced no output.
struct ExtractFailure: Error, Sendable, Equatable {
    /// The file as it was given on the command line.
    var file: String
    /// A stable identifier: the parser's error code, or one of the command's own
    /// (`outputNameTaken`, `unwritableOutput`).
    var code: String
    /// What happened, for a person. Never contains document text.
    var message: String

    /// The line printed on standard error: `error: FILE: MESSAGE (CODE)`.
    var line: String {
        "error: \(file): \(message) (\(code))"
    }
}
