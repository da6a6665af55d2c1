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
            format: .text,
            contents: Data("Jordan".utf8)
        )

        let data = try JSONEncoder().encode(result)
        let decoded = try JSONDecoder().decode(OptimizationResult.self, from: data)

        XCTAssertEqual(decoded, result)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains(#""kind":"newNumber""#))
    }
}
