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

    @Flag(name: .long, help: "Print {\"score\", \"matched\", \"missing\", \"gaps\", \"inexact\"} as JSON.")
    var json = false

    func run() async throws {
        let inputs: OptimizeInputs
        let document: ResumeDocument
        do {
            inputs = try OptimizeInputs.load(resumePath: resume, jobPath: job)
            document = try inputs.parsedResume()
        } catch {
            printError("error: \(error.message)")
            throw ExitCode.failure
        }
        let report = MatchAnalyzer().report(resume: document.text, jobDescription: inputs.jobDescription)
        if json {
            print(try AnalyzeOutput.json(report))
        } else {
            print(AnalyzeOutput.text(report))
        }
    }
}

/// How `analyze` prints a match report.
enum AnalyzeOutput {
    /// `{"gaps":[…],"inexact":[…],"matched":[…],"missing":[…],"score":…}`, keys sorted.
    static func json(_ report: MatchReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// Three lines for people, then one line per gap and per inexact match, then the exact-phrase note.
    static func text(_ report: MatchReport) -> String {
        var lines = [
            "Match score: \(report.score)/100",
            "Matched (\(report.matched.count)): \(report.matched.isEmpty ? "none" : report.matched.joined(separator: ", "))",
            "Missing (\(report.missing.count)): \(report.missing.isEmpty ? "none" : report.missing.joined(separator: ", "))",
        ]
        lines += report.gaps.map { "  - \($0.explanation)" }
        lines += report.inexact.map {
            "  ~ \($0.term): credited, but the resume writes \"\($0.resumePhrase)\" where the job writes \"\($0.jobPhrase)\""
        }
        if !report.inexact.isEmpty || report.gaps.contains(where: { $0.related != nil }) {
            lines.append(MatchReport.exactPhraseNote)
        }
        return lines.joined(separator: "\n")
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
