import Optimization
import XCTest

final class OutputCleanerTests: XCTestCase {
    func testClean_stripsChatPreambleCodeFenceAndClosingRemark() {
        let answer = """
            Sure! Here is your optimized resume:

            ```text
            Jordan Rivera

            Skills
            Go, Kafka
            ```

            Let me know if you would like any changes.
            """

        XCTAssertEqual(OutputCleaner().clean(answer, format: .text), "Jordan Rivera\n\nSkills\nGo, Kafka")
    }

    func testClean_forPlainText_removesMarkdownMarksAndExtraBlankLines() {
        let answer = "## **Jordan Rivera**\r\n\r\n\r\n\r\n**Skills**   \n- Go"

        XCTAssertEqual(OutputCleaner().clean(answer, format: .text), "Jordan Rivera\n\nSkills\n- Go")
    }

    func testClean_forMarkdown_keepsMarkdown() {
        let answer = "Here's the tailored resume:\n# Jordan Rivera\n## Skills\n- **Go**"

        XCTAssertEqual(OutputCleaner().clean(answer, format: .markdown), "# Jordan Rivera\n## Skills\n- **Go**")
    }

    func testClean_removesEchoedDelimiters() {
        let answer = "<<<RESUME_abc>>>\nJordan Rivera\n<<<END_RESUME_abc>>>"

        XCTAssertEqual(OutputCleaner().clean(answer, format: .text), "Jordan Rivera")
    }

    func testClean_whenALlamaChatTemplateLeaked_keepsOnlyTheModelsTurn() {
        let answer = """
            <s>[INST] <<SYS>>
            You rewrite resumes.
            <</SYS>>

            Tailor this resume. [/INST] Jordan Rivera

            Skills
            Go, Kafka </s><s>[INST] Thanks! [/INST]
            """

        XCTAssertEqual(OutputCleaner().clean(answer, format: .text), "Jordan Rivera\n\nSkills\nGo, Kafka")
    }

    func testClean_whenAChatMLTemplateLeaked_keepsOnlyTheModelsTurn() {
        let answer = """
            <|im_start|>system
            You rewrite resumes.<|im_end|>
            <|im_start|>assistant
            Jordan Rivera

            Skills
            Go, Kafka<|im_end|>
            <|im_start|>user
            Thanks<|im_end|>
            """

        XCTAssertEqual(OutputCleaner().clean(answer, format: .text), "Jordan Rivera\n\nSkills\nGo, Kafka")
    }

    func testClean_removesStrayChatTemplateTokens() {
        let answer = "<|im_start|>Jordan Rivera <<SYS>>\n[INST]\nSkills\nGo, Kafka<|im_end|>"

        XCTAssertEqual(OutputCleaner().clean(answer, format: .text), "Jordan Rivera")
        XCTAssertEqual(
            OutputCleaner().clean("<s>Jordan Rivera<</SYS>>\n\nSkills\nGo, Kafka<|eot_id|>", format: .markdown),
            "Jordan Rivera\n\nSkills\nGo, Kafka"
        )
    }

    func testClean_whenOnlyChatRemains_returnsEmpty() {
        XCTAssertEqual(OutputCleaner().clean("```\n```\n", format: .text), "")
    }

    func testClean_dropsTrailingNotesParagraphWithItsList() {
        let answer = """
            Jordan Rivera

            Skills
            Go, Kafka

            ---
            **Key changes:**
            - Moved Go first.
            - Tightened the summary.
            """

        XCTAssertEqual(OutputCleaner().clean(answer, format: .text), "Jordan Rivera\n\nSkills\nGo, Kafka")
    }
}
