import ArgumentParser
import Foundation
import Optimization
import XCTest

@testable import resume_optimizer

final class AnalyzeCommandTests: XCTestCase {
    func testJSON_printsScoreMatchedAndMissingOnly() throws {
        let report = MatchAnalyzer().report(
            resume: "Skills: Go, k8s, Postgres",
            jobDescription: "Requirements\n- Go, Kubernetes and PostgreSQL\n- Java"
        )

        let json = try AnalyzeOutput.json(report)

        XCTAssertEqual(json, #"{"matched":["Go","Kubernetes","PostgreSQL"],"missing":["Java"],"score":75}"#)
    }

    func testText_printsScoreAndBothLists() {
        let text = AnalyzeOutput.text(MatchReport(score: 40, matched: ["Go"], missing: ["Java", "Rust"]))

        XCTAssertEqual(text, "Match score: 40/100\nMatched (1): Go\nMissing (2): Java, Rust")
    }

    func testParse_requiresResumeAndJob() {
        XCTAssertThrowsError(try AnalyzeCommand.parse(["--resume", "resume.txt"]))
        XCTAssertNoThrow(try AnalyzeCommand.parse(["--resume", "resume.txt", "--job", "job.txt", "--json"]))
    }
}
