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
}
