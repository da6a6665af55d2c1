import ArgumentParser
import Foundation
import Optimization
import ResumeParsing

/// `resume-optimizer analyze`: the deterministic match report of a resume against a job description.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Score a resume against a job description and list matched and missing keywords.",
        discussion: "No AI model is used: the score is computed from the job description's weighted keywords."
    )

    @Option(name: .long, help: "The resume (.docx or .txt).")
    var resume: String

    @Option(name: .long, help: "The job description (a text file).")
    var job: String

    @Flag(name: .long, help: "Print {\"score\", \"matched\", \"missing\"} as JSON.")
    var json = false

    func run() async throws {
        let inputs: OptimizeInputs
        do {
            inputs = try OptimizeInputs.load(resumePath: resume, jobPath: job)
        } catch {
            printError("error: \(error.message)")
            throw ExitCode.failure
        }
        let report = MatchAnalyzer().report(resume: inputs.resume.text, jobDescription: inputs.jobDescription)
        if json {
            print(try AnalyzeOutput.json(report))
        } else {
            print(AnalyzeOutput.text(report))
        }
    }
}

/// How `analyze` prints a match report.
enum AnalyzeOutput {
    /// `{"matched":[…],"missing":[…],"score":…}`, keys sorted.
    static func json(_ report: MatchReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// Three lines for people.
    static func text(_ report: MatchReport) -> String {
        """
        Match score: \(report.score)/100
        Matched (\(report.matched.count)): \(report.matched.isEmpty ? "none" : report.matched.joined(separator: ", "))
        Missing (\(report.missing.count)): \(report.missing.isEmpty ? "none" : report.missing.joined(separator: ", "))
        """
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
