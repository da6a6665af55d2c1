import Foundation
import Optimization
import XCTest

final class OfflineTailorTests: XCTestCase {
    private let keywords = KeywordExtractor().keywords(in: "Requirements\n- Kafka\n- AWS Lambda\n- Go")

    func testTailor_keepsParenthesisedGroupsWholeWhenReorderingSkills() {
        let resume = "Ana Ruiz\nSkills\nPython, AWS (EC2, Lambda), Go, Kafka"

        let output = OfflineTailor().tailor(resume, keywords: keywords, format: .text)

        XCTAssertTrue(output.hasSuffix("Skills\nAWS (EC2, Lambda), Go, Kafka, Python"), output)
    }

    func testTailor_whenResumeHasNoBlankLines_addsNone() {
        let resume = "Ana Ruiz\nExperience\n• Wrote Go services.\nSkills\nGo"

        let output = OfflineTailor().tailor(resume, keywords: keywords, format: .text)

        XCTAssertEqual(
            output,
            "Ana Ruiz\nSummary\nRelevant to this role: Go.\nExperience\n• Wrote Go services.\nSkills\nGo"
        )
    }

    func testTailor_whenNothingMatches_returnsTheResumeUnchanged() {
        let resume = "Ana Ruiz\n\nSkills\nPhotography, Lighting"

        XCTAssertEqual(OfflineTailor().tailor(resume, keywords: keywords, format: .text), resume)
    }

    func testTailor_movesBulletsThatMentionTheJobFirstWithinEachList() {
        let resume = """
            Ana Ruiz
            Experience
            • Organised team offsites.
            • Built Kafka consumers in Go.
            • Wrote documentation.
            """

        let output = OfflineTailor().tailor(resume, keywords: keywords, format: .text)

        XCTAssertTrue(
            output.hasSuffix("• Built Kafka consumers in Go.\n• Organised team offsites.\n• Wrote documentation."),
            output
        )
    }

    // MARK: What it changed, and that it invents nothing

    /// The bundled sample resume and job description (Examples/Samples), as the quick start uses them.
    private func sample(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Examples/Samples/\(name)"), encoding: .utf8)
    }

    private func digits(_ text: String) -> [String] {
        text.split { !$0.isNumber }.map(String.init).sorted()
    }

    func testTailoring_theSample_reordersEachRolesBullets_andSaysWhatItChanged() throws {
        let resume = try sample("resume.txt")
        let job = try sample("job-description.txt")

        let tailoring = OfflineTailor().tailoring(resume, keywords: KeywordExtractor().keywords(in: job), format: .text)

        XCTAssertEqual(
            tailoring.text,
            OfflineTailor().tailor(resume, keywords: KeywordExtractor().keywords(in: job), format: .text)
        )
        let lines = tailoring.text.split(separator: "\n").map(String.init)
        // Each role's bullets, heaviest match first, stay under their own role.
        let larchmont = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Senior Software Engineer — Larchmont") })
        XCTAssertTrue(lines[larchmont + 2].contains("change data capture pipeline from PostgreSQL to Kafka"))
        let northwind = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Software Engineer — Northwind") })
        XCTAssertEqual(
            Array(lines[(northwind + 2)...(northwind + 4)]),
            [
                "• Built internal REST APIs with Flask and PostgreSQL.",
                "• Added CI/CD with GitHub Actions and Terraform, reducing release time from two days to one hour.",
                "• Wrote Python ETL jobs with Airflow that loaded 2 TB of event data per day into Redshift.",
            ]
        )
        XCTAssertEqual(
            lines.filter { $0.hasPrefix("• ") }.count,
            resume.split(separator: "\n").filter { $0.hasPrefix("• ") }.count
        )
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("Go, PostgreSQL, Kafka, AWS (EC2, S3, Lambda, Redshift), Kubernetes") },
            tailoring.text
        )

        XCTAssertEqual(tailoring.changes.count, 4, "\(tailoring.changes)")
        XCTAssertTrue(
            tailoring.changes[0].hasPrefix("Added a line to “Summary” naming 8 of the job's keywords"),
            tailoring.changes[0]
        )
        XCTAssertTrue(
            tailoring.changes.contains {
                $0.hasPrefix("Moved") && $0.contains("under “Software Engineer — Northwind Analytics")
            },
            "the change names the role, not its date line: \(tailoring.changes)"
        )
        XCTAssertTrue(
            tailoring.changes.contains {
                $0.hasPrefix("“Skills”: put the skills this job asks for first (Go, PostgreSQL")
            }
        )
    }

    func testTailoring_theSample_addsNoClaimNumberOrSkill_andTheFabricationGuardStaysSilent() throws {
        let resume = try sample("resume.txt")
        let job = try sample("job-description.txt")

        let output = OfflineTailor().tailor(resume, keywords: KeywordExtractor().keywords(in: job), format: .text)

        XCTAssertEqual(FabricationGuard().check(original: resume, tailored: output, jobDescription: job), [])
        XCTAssertEqual(digits(output), digits(resume), "no number added or dropped")
        let added = Set(output.split(separator: "\n").map(String.init)).subtracting(
            resume.split(separator: "\n").map(String.init)
        )
        XCTAssertEqual(added.count, 2, "only the summary line and the reordered skills line are new: \(added)")
        let resumeIndex = MatchAnalyzer().report(resume: resume, jobDescription: job)
        let outputIndex = MatchAnalyzer().report(resume: output, jobDescription: job)
        XCTAssertEqual(outputIndex.matched, resumeIndex.matched, "no skill the resume lacks")
    }

    func testTailoring_manyLayouts_theFabricationGuardStaysSilent() {
        let job = """
            Requirements
            - Go, Kafka, PostgreSQL and Kubernetes on AWS.
            - PCI DSS, Terraform and CI/CD.
            Nice to have: gRPC, Rust.
            """
        let resumes = [
            "Ana Ruiz\nPROFILE\nPlatform engineer.\nEXPERIENCE\nStaff Engineer, Acme, 2019 - 2024\n- Ran Kafka on AWS.\n- Wrote docs.\n"
                + "- Cut Terraform apply time by 40%.\nSKILLS\nRust; Go; Kafka; Terraform",
            "Li Wei\n\nExperience\n\nEngineer at Globex (2020–2023)\n\n* Organised hack days.\n* Moved 12 services to Kubernetes.\n\n"
                + "Technical Skills\nLanguages: Python, Go | Tools: Docker, Terraform",
            "Sam Okafor\nSummary\nBackend developer since 2015.\nWork History\nInitech — Developer\nJan 2016 – Present\n"
                + "• Built gRPC APIs in Go with PostgreSQL.\n• Led 3 interns.\n• Kept PCI DSS controls current.\nSkills\nJava · Go · gRPC · PostgreSQL",
            "Mia Chen\nEducation\nB.S., 2012\nSkills\nPhotography, Go",
        ]
        let keywords = KeywordExtractor().keywords(in: job)
        for resume in resumes {
            let tailoring = OfflineTailor().tailoring(resume, keywords: keywords, format: .text)

            XCTAssertEqual(
                FabricationGuard().check(original: resume, tailored: tailoring.text, jobDescription: job),
                [],
                resume
            )
            XCTAssertEqual(digits(tailoring.text), digits(resume), resume)
            XCTAssertFalse(tailoring.changes.isEmpty, resume)
            let markdown = OfflineTailor().tailor(resume, keywords: keywords, format: .markdown)
            XCTAssertEqual(
                FabricationGuard().check(original: resume, tailored: markdown, jobDescription: job),
                [],
                resume
            )
        }
    }

    func testTailoring_whenNothingMatches_changesNothingAndSaysSo() {
        let resume = "Ana Ruiz\n\nSkills\nPhotography, Lighting"

        let tailoring = OfflineTailor().tailoring(resume, keywords: keywords, format: .text)

        XCTAssertEqual(tailoring, OfflineTailoring(text: resume, changes: []))
    }
}
