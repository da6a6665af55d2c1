import Foundation
import XCTest

/// `resume-optimizer extract`, run as a user runs it: the built executable, real files, exit codes.
final class ExtractCommandTests: XCTestCase {
    // MARK: One file to standard output

    func testExtract_withOneDocx_printsItsTextOnStandardOutput() throws {
        let scratch = try ScratchDirectory()
        let resume = try scratch.write(
            WordDocument.withParagraphs(["Jordan Rivera", "Backend engineer, six years of Go"]),
            to: "resume.docx"
        )

        let run = try CommandLineRun.resumeOptimizer(["extract", resume])

        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.output, "Jordan Rivera\nBackend engineer, six years of Go\n")
        XCTAssertEqual(run.standardError, "")
    }

    func testExtract_withAPlainTextFileNamedDocx_detectsTextFromTheContentAndNormalisesLineEndings() throws {
        let scratch = try ScratchDirectory()
        let resume = try scratch.write(Data("Jordan Rivera\r\nSeattle, WA\r\n".utf8), to: "resume.docx")

        let run = try CommandLineRun.resumeOptimizer(["extract", resume])

        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.output, "Jordan Rivera\nSeattle, WA\n")
    }

    func testExtract_withJSON_printsTheTextFormatAndDiagnostics() throws {
        let scratch = try ScratchDirectory()
        let resume = try scratch.write(WordDocument.withParagraphs(["Jordan Rivera"]), to: "resume.docx")

        let run = try CommandLineRun.resumeOptimizer(["extract", "--json", resume])

        XCTAssertEqual(run.status, 0)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: run.standardOutput) as? [String: Any])
        XCTAssertEqual(object["text"] as? String, "Jordan Rivera")
        let format = try XCTUnwrap(object["format"])
        XCTAssertTrue("\(format)".contains("docx"), "format: \(format)")
        XCTAssertNotNil(object["diagnostics"] as? [String: Any])
    }

    func testExtract_whenTheFileCannotBeRead_printsOneErrorLineWithItsCodeAndExitsWithOne() throws {
        let scratch = try ScratchDirectory()
        let empty = try scratch.write(Data(), to: "empty.docx")

        let run = try CommandLineRun.resumeOptimizer(["extract", empty])

        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.output, "")
        XCTAssertEqual(run.errorLines.count, 1)
        XCTAssertTrue(run.errorLines[0].hasPrefix("error: \(empty): "), run.standardError)
        XCTAssertTrue(run.errorLines[0].hasSuffix("(emptyInput)"), run.standardError)
    }

    func testExtract_whenTheFileDoesNotExist_reportsUnreadableFile() throws {
        let scratch = try ScratchDirectory()
        let missing = scratch.path("missing.docx")

        let run = try CommandLineRun.resumeOptimizer(["extract", missing])

        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.errorLines.count, 1)
        XCTAssertTrue(run.errorLines[0].hasSuffix("(unreadableFile)"), run.standardError)
    }

    // MARK: Many files into a folder

    func testExtract_withOutputDirectory_writesOneTextFilePerInputAndGoesOnPastFailures() throws {
        let scratch = try ScratchDirectory()
        let first = try scratch.write(WordDocument.withParagraphs(["Jordan Rivera"]), to: "in/jordan.docx")
        let pdf = try scratch.write(Data("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8), to: "in/scan.pdf")
        let second = try scratch.write(Data("Sam Lee\nData engineer\n".utf8), to: "in/sam.txt")
        let missing = scratch.path("in/missing.docx")

        let run = try CommandLineRun.resumeOptimizer([
            "extract", "--output-dir", scratch.path("out"), first, pdf, second, missing,
        ])

        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(try scratch.read("out/jordan.txt"), "Jordan Rivera\n")
        XCTAssertEqual(try scratch.read("out/sam.txt"), "Sam Lee\nData engineer\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("out/scan.txt")))
        XCTAssertEqual(run.errorLines.count, 2, run.standardError)
        XCTAssertTrue(run.errorLines[0].hasPrefix("error: \(pdf): "), run.standardError)
        XCTAssertTrue(run.errorLines[0].hasSuffix("(unsupportedFormat)"), run.standardError)
        XCTAssertTrue(run.errorLines[1].hasPrefix("error: \(missing): "), run.standardError)
        XCTAssertTrue(run.errorLines[1].hasSuffix("(unreadableFile)"), run.standardError)
        XCTAssertEqual(run.output, "")
    }

    func testExtract_withOutputDirectory_whenEveryFileSucceeds_exitsWithZeroAndPrintsNothing() throws {
        let scratch = try ScratchDirectory()
        let files = try (1...3).map { number in
            try scratch.write(WordDocument.withParagraphs(["Resume \(number)"]), to: "resume-\(number).docx")
        }

        let run = try CommandLineRun.resumeOptimizer(["extract", "--output-dir", scratch.path("out")] + files)

        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.standardError, "")
        XCTAssertEqual(run.output, "")
        for number in 1...3 {
            XCTAssertEqual(try scratch.read("out/resume-\(number).txt"), "Resume \(number)\n")
        }
    }

    func testExtract_withManyFiles_writesEveryOutputAndReportsFailuresInInputOrder() throws {
        let scratch = try ScratchDirectory()
        var files: [String] = []
        var failing: [String] = []
        for number in 0..<60 {
            if number % 15 == 7 {
                let path = try scratch.write(Data(), to: "in/empty-\(number).docx")
                files.append(path)
                failing.append(path)
            } else {
                files.append(
                    try scratch.write(WordDocument.withParagraphs(["Candidate \(number)"]), to: "in/c\(number).docx")
                )
            }
        }

        let run = try CommandLineRun.resumeOptimizer(["extract", "--output-dir", scratch.path("out")] + files)

        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.errorLines.count, failing.count, run.standardError)
        for (line, path) in zip(run.errorLines, failing) {
            XCTAssertTrue(line.hasPrefix("error: \(path): "), line)
        }
        for number in 0..<60 where number % 15 != 7 {
            XCTAssertEqual(try scratch.read("out/c\(number).txt"), "Candidate \(number)\n")
        }
    }

    func testExtract_withOutputDirectoryAndJSON_writesOneJSONFilePerInput() throws {
        let scratch = try ScratchDirectory()
        let resume = try scratch.write(WordDocument.withParagraphs(["Jordan Rivera"]), to: "jordan.docx")

        let run = try CommandLineRun.resumeOptimizer(["extract", "--json", "--output-dir", scratch.path("out"), resume])

        XCTAssertEqual(run.status, 0)
        let written = try Data(contentsOf: URL(fileURLWithPath: scratch.path("out/jordan.json")))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: written) as? [String: Any])
        XCTAssertEqual(object["text"] as? String, "Jordan Rivera")
    }

    func testExtract_whenTwoInputsShareAName_keepsTheFirstOutputAndFailsTheSecond() throws {
        let scratch = try ScratchDirectory()
        let first = try scratch.write(Data("First resume\n".utf8), to: "a/resume.txt")
        let second = try scratch.write(WordDocument.withParagraphs(["Second resume"]), to: "b/resume.docx")

        let run = try CommandLineRun.resumeOptimizer(["extract", "--output-dir", scratch.path("out"), first, second])

        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(try scratch.read("out/resume.txt"), "First resume\n")
        XCTAssertEqual(run.errorLines.count, 1, run.standardError)
        XCTAssertTrue(run.errorLines[0].hasPrefix("error: \(second): "), run.standardError)
        XCTAssertTrue(run.errorLines[0].hasSuffix("(outputNameTaken)"), run.standardError)
    }

    // MARK: Usage

    func testExtract_withSeveralFilesAndNoOutputDirectory_exitsWithTwo() throws {
        let scratch = try ScratchDirectory()
        let first = try scratch.write(Data("One\n".utf8), to: "one.txt")
        let second = try scratch.write(Data("Two\n".utf8), to: "two.txt")

        let run = try CommandLineRun.resumeOptimizer(["extract", first, second])

        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.output, "")
        XCTAssertTrue(run.standardError.contains("--output-dir"), run.standardError)
    }

    func testExtract_withNoFile_exitsWithTwo() throws {
        let run = try CommandLineRun.resumeOptimizer(["extract"])

        XCTAssertEqual(run.status, 2)
    }

    func testExtract_withAnUnknownOption_exitsWithTwo() throws {
        let run = try CommandLineRun.resumeOptimizer(["extract", "--no-such-option", "resume.docx"])

        XCTAssertEqual(run.status, 2)
    }

    func testExtractHelp_documentsTheExitCodes() throws {
        let run = try CommandLineRun.resumeOptimizer(["extract", "--help"])

        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.output.contains("Exit codes:"), run.output)
        XCTAssertTrue(run.output.contains("0  every file was extracted"), run.output)
        XCTAssertTrue(run.output.contains("1  at least one file failed"), run.output)
        XCTAssertTrue(run.output.contains("2  usage error"), run.output)
    }
}
