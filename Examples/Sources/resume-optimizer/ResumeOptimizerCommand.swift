import ArgumentParser

/// The `resume-optimizer` command line: extract, analyze, optimize and submit resumes.
@main
struct ResumeOptimizerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume-optimizer",
        abstract: "Extract, analyze and tailor resumes to a job description.",
        discussion: """
            Exit codes: 0 success; 1 a file or job failed (one line per failure on stderr); \
            2 usage error.
            """,
        subcommands: [ExtractCommand.self, AnalyzeCommand.self, OptimizeCommand.self, SubmitCommand.self]
    )
}
