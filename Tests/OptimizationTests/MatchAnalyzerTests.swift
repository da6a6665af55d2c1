import Optimization
import XCTest

final class MatchAnalyzerTests: XCTestCase {
    func testReport_forBackendPair_listsMatchedAndMissingKeywordsIncludingAliasesAndMultiWordTerms() {
        let job = """
            Senior Platform Engineer — Quillpoint

            Requirements
            - Experience running Kubernetes in production on GCP.
            - Strong SQL and Postgres skills.
            - Change data capture with Debezium.
            - Familiarity with PCI DSS.

            Nice to have
            - Rust
            """
        let resume = """
            Dana Okafor
            Skills: k8s, Google Cloud Platform, PostgreSQL, SQL, Python
            Built change-data-capture pipelines with Debezium and Kafka.
            """

        let report = MatchAnalyzer().report(resume: resume, jobDescription: job)

        XCTAssertEqual(
            Set(report.matched),
            ["Kubernetes", "Google Cloud", "SQL", "PostgreSQL", "change data capture", "Debezium"]
        )
        XCTAssertEqual(Set(report.missing), ["PCI DSS", "Rust"])
        XCTAssertGreaterThan(report.score, 70)
        XCTAssertLessThan(report.score, 100)
    }

    func testReport_doesNotReportTheSubjectAndVerbOfAnOrdinarySentenceAsMissing() {
        let job = """
            Payments Backend Engineer — Halcyon Commerce

            What you'll do
            Halcyon Commerce processes card payments for 4,000 merchants across Europe, and our ledger team \
            maintains the systems that pay them out every night.
            - Build the settlement service in Go
            - Develop reconciliation reports and code reviews

            Requirements
            - Experience with Go and PostgreSQL
            """
        let resume = """
            Dana Okafor
            Built settlement services in Go and PostgreSQL; wrote reconciliation reports.
            """

        let report = MatchAnalyzer().report(resume: resume, jobDescription: job)

        XCTAssertFalse(report.missing.contains { $0.lowercased().contains("processes") }, "\(report.missing)")
        XCTAssertFalse(report.missing.contains { $0.lowercased().contains("halcyon") }, "\(report.missing)")
        XCTAssertFalse(report.missing.contains { $0.lowercased().contains("maintains") }, "\(report.missing)")
        // The noun phrases of the same section still count.
        XCTAssertTrue(report.matched.contains("settlement service"), "\(report.matched)")
        XCTAssertTrue(report.matched.contains("reconciliation reports"), "\(report.matched)")
        XCTAssertTrue(report.missing.contains("code reviews"), "\(report.missing)")
    }

    func testReport_forFrontendPair_recognisesTechnicalSpellings() {
        let job = """
            Software developer
            Requirements:
            - JS and TypeScript with Node.js
            - C# and .NET services, C++ a plus
            - CI/CD pipelines
            """
        let resume = """
            Wrote JavaScript and Typescript services on NodeJS.
            Maintained .NET Core APIs in C#.
            Set up continuous integration.
            """

        let report = MatchAnalyzer().report(resume: resume, jobDescription: job)

        XCTAssertEqual(Set(report.matched), ["JavaScript", "TypeScript", "Node.js", "C#", ".NET", "CI/CD"])
        XCTAssertEqual(report.missing, ["C++"])
    }

    func testReport_neverCountsStopwordsOrFiller() {
        let job = """
            Requirements
            - 5+ years of strong experience and the ability to work on a great team.
            - Excellent knowledge of Terraform.
            """
        let resume = "Years of strong experience, great team work, excellent ability and knowledge."

        let report = MatchAnalyzer().report(resume: resume, jobDescription: job)

        XCTAssertEqual(report.matched, [])
        XCTAssertEqual(report.missing, ["Terraform"])
        XCTAssertEqual(report.score, 0)
    }

    func testReport_weighsRequirementsAboveNiceToHave() {
        let job = """
            Requirements
            - Python
            Nice to have
            - Scala
            """
        let withRequired = MatchAnalyzer().report(resume: "Python", jobDescription: job)
        let withNiceToHave = MatchAnalyzer().report(resume: "Scala", jobDescription: job)

        XCTAssertEqual(withRequired.score, 80)
        XCTAssertEqual(withNiceToHave.score, 20)
    }

    func testReport_whenJobHasNoKeywords_scoresZero() {
        let report = MatchAnalyzer().report(resume: "Go, Kubernetes", jobDescription: "We are a friendly team.")

        XCTAssertEqual(report, MatchReport(score: 0, matched: [], missing: []))
    }
}
