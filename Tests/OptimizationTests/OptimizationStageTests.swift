import Foundation
import Optimization
import XCTest

final class OptimizationStageTests: XCTestCase {
    func testMessage_namesEachStageForPeople() {
        XCTAssertEqual(OptimizationStage.tailoring(providerName: "OpenAI").message, "Tailoring with OpenAI")
        XCTAssertEqual(OptimizationStage.checkingFacts.message, "Checking facts")
        XCTAssertEqual(
            OptimizationStage.repairing(providerName: "Anthropic").message,
            "Removing unsupported claims with Anthropic"
        )
        XCTAssertEqual(OptimizationStage.writingResult.message, "Writing result")
    }

    func testResult_roundTripsThroughJSON() throws {
        let result = OptimizationResult(
            text: "Jordan",
            matchBefore: MatchReport(score: 40, matched: ["Go"], missing: ["Java"]),
            matchAfter: MatchReport(score: 40, matched: ["Go"], missing: ["Java"]),
            warnings: [FabricationWarning(kind: .newNumber, text: "35%")],
            usage: TokenUsage(inputTokens: 10, outputTokens: 5),
            usedAI: true,
            providerName: "Stub",
            model: "m",
            summary: "Tailored with Stub (m).",
            file: OutputFile(text: "Jordan", format: .text, jobID: "abc")
        )

        let data = try JSONEncoder().encode(result)
        let decoded = try JSONDecoder().decode(OptimizationResult.self, from: data)

        XCTAssertEqual(decoded, result)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains(#""kind":"newNumber""#))
    }

    func testOutputFile_namesTheDownloadAfterTheJobID() {
        let file = OutputFile(text: "x", format: .text, jobID: "9b2f6c1e-0d4a-4e8b-a1c3-5f7e9d2b4c6a")

        XCTAssertEqual(file.downloadFilename, "optimized_resume_9b2f6c1e.txt")
        XCTAssertEqual(file.fileType, "txt")
        XCTAssertEqual(file.contentType, "text/plain; charset=utf-8")
    }
}
