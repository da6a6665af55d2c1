import ArgumentParser
import Foundation
import Optimization
import XCTest

@testable import resume_optimizer

final class AnalyzeCommandTests: XCTestCase {
    func testJSON_printsScoreMatchedMissingGapsAndInexactMatches() throws {
        let report = MatchAnalyzer().report(
            resume: "Skills: Go, k8s, Postgres",
            jobDescription: "Requirements\n- Go, Kubernetes and PostgreSQL\n- Java"
        )

        let json = try AnalyzeOutput.json(report)

        XCTAssertEqual(
            json,
            #"{"gaps":[{"importance":"required","jobLine":"- Java","term":"Java"}],"inexact":[{"jobPhrase":"Kubernetes","resumePhrase":"k8s","term":"Kubernetes"},{"jobPhrase":"PostgreSQL","resumePhrase":"Postgres","term":"PostgreSQL"}],"matched":["Go","Kubernetes","PostgreSQL"],"missing":["Java"],"score":75}"#
        )
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
