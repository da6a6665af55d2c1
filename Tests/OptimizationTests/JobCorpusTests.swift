import Foundation
import Logging
import Optimization
import ResumeParsing
import XCTest

/// The match report on job descriptions from twelve and more fields: the terms each job asks for are
/// found, its generic words are not, and the offline tailor and the fabrication guard keep working.
final class JobCorpusTests: XCTestCase {
    private static func normalized(_ text: String) -> String {
        var word = text.lowercased()
        if word.hasSuffix("s"), word.count > 3 { word.removeLast() }
        return word
    }

    private static func isFound(_ expected: String, in keywords: [Keyword]) -> Bool {
        let target = normalized(expected)
        return keywords.contains { keyword in
            // "finite element analysis (FEA)" names both spellings.
            let names =
                [keyword.term, keyword.jobPhrase]
                + keyword.term.split(separator: "(").map {
                    $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ")")))
                }
            return names.contains { normalized($0) == target }
        }
    }

    func testKeywords_findEveryExpectedTermAndNoGenericWord_onEveryJob() {
        XCTAssertGreaterThanOrEqual(Set(JobCorpus.cases.map(\.field)).count, 12)
        var found = 0
        var expected = 0
        var genericReported = 0
        var genericChecked = 0
        for job in JobCorpus.cases {
            let keywords = KeywordExtractor().keywords(in: job.job)
            for term in job.expected {
                expected += 1
                if Self.isFound(term, in: keywords) {
                    found += 1
                } else {
                    XCTFail("\(job.field): \"\(term)\" not found in \(keywords.map(\.term))")
                }
            }
            for word in JobCorpus.commonGeneric + job.generic {
                genericChecked += 1
                if keywords.contains(where: { $0.term.lowercased() == word }) {
                    genericReported += 1
                    XCTFail("\(job.field): generic word \"\(word)\" reported as a keyword")
                }
            }
        }
        print(
            "Extraction over \(JobCorpus.cases.count) job descriptions: found \(found)/\(expected) expected terms; generic words reported \(genericReported)/\(genericChecked)"
        )
    }

    func testOfflineTailor_onEveryJob_raisesNoWarningAndNeverLowersTheScore() async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        for job in JobCorpus.cases {
            let request = OptimizationRequest(
                resume: ResumeDocument(text: job.resume, format: .plainText),
                jobDescription: job.job
            )
            let result = try await ResumeOptimizer(provider: nil).optimize(request, logger: logger)

            XCTAssertEqual(result.warnings, [], job.field)
            XCTAssertGreaterThanOrEqual(result.matchAfter.score, result.matchBefore.score, job.field)
            XCTAssertGreaterThan(result.matchBefore.score, 0, job.field)
            XCTAssertEqual(result.matchBefore.gaps.map(\.term), result.matchBefore.missing, job.field)
        }
    }

    func testFabricationGuard_onEveryJob_reportsAMissingTermStuffedIntoTheResume() throws {
        for job in JobCorpus.cases {
            let report = MatchAnalyzer().report(resume: job.resume, jobDescription: job.job)
            let stuffed = try XCTUnwrap(report.missing.first, job.field)
            let tailored = job.resume + "\n• Expert in \(stuffed)."

            let warnings = FabricationGuard().check(original: job.resume, tailored: tailored, jobDescription: job.job)

            XCTAssertTrue(
                warnings.contains {
                    $0.kind == .unsupportedSkill && stuffed.lowercased().contains($0.text.lowercased())
                },
                "\(job.field): \(stuffed) not reported in \(warnings)"
            )
        }
    }

    func testReport_explainsAGapWithTheJobLineAndARelatedPhrase() {
        let job = """
            Requirements
            - Experience with stream processing at scale
            """
        let resume = "Built Kafka Streams jobs for payments."

        let report = MatchAnalyzer().report(resume: resume, jobDescription: job)

        let gap = try? XCTUnwrap(report.gaps.first { $0.term == "stream processing" })
        XCTAssertEqual(gap?.jobLine, "- Experience with stream processing at scale")
        XCTAssertEqual(gap?.importance, .required)
        XCTAssertEqual(gap?.related, "Kafka Streams")
        XCTAssertTrue(gap?.explanation.contains("the exact phrase is missing") ?? false)
    }

    func testReport_creditsAnAliasButSaysTheExactPhraseIsMissing() {
        let job = """
            Requirements
            - Kubernetes and micro-services
            - Site Reliability Engineering (SRE)
            """
        let resume = "Ran k8s clusters for our microservices; did SRE on-call."

        let report = MatchAnalyzer().report(resume: resume, jobDescription: job)

        XCTAssertEqual(report.missing, [])
        XCTAssertEqual(report.score, 100)
        XCTAssertTrue(
            report.inexact.contains { $0.term == "Kubernetes" && $0.resumePhrase == "k8s" },
            "\(report.inexact)"
        )
        XCTAssertTrue(report.inexact.contains { $0.jobPhrase == "micro-services" }, "\(report.inexact)")
        XCTAssertFalse(MatchReport.exactPhraseNote.isEmpty)
    }

    func testKeywords_weighMustHaveAboveNiceToHaveAndCountRepetitions() throws {
        let job = """
            About the role
            You will work with Terraform every day.
            Requirements
            - Terraform and Ansible are required
            - Terraform modules
            Nice to have
            - Pulumi
            """
        let keywords = KeywordExtractor().keywords(in: job)
        let terraform = try XCTUnwrap(keywords.first { $0.term == "Terraform" })
        let ansible = try XCTUnwrap(keywords.first { $0.term == "Ansible" })
        let pulumi = try XCTUnwrap(keywords.first { $0.term == "Pulumi" })

        // max weight 2 × (1 + 0.5 × (3 − 1)) = 4
        XCTAssertEqual(terraform.weight, 4)
        XCTAssertEqual(terraform.occurrences, 3)
        XCTAssertEqual(ansible.weight, 2)
        XCTAssertEqual(ansible.importance, .required)
        XCTAssertEqual(pulumi.weight, 0.5)
        XCTAssertEqual(pulumi.importance, .preferred)
    }
}
