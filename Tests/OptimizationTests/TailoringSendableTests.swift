import Optimization
import XCTest

/// Fails to compile if a tailoring or analysis type stops being `Sendable`.
final class TailoringSendableTests: XCTestCase {
    private func assertSendable<T: Sendable>(_: T.Type) {}

    func testTailoringAndAnalysisTypes_areSendable() {
        assertSendable(ResumeOptimizer.self)
        assertSendable(ResumeOptimizer.Configuration.self)
        assertSendable(OptimizationRequest.self)
        assertSendable(OptimizationRequest.Options.self)
        assertSendable(OptimizationResult.self)
        assertSendable(OptimizationStage.self)
        assertSendable(OptimizationError.self)
        assertSendable(OfflineTailor.self)
        assertSendable(PromptBuilder.self)
        assertSendable(TailoringPrompt.self)
        assertSendable(OutputCleaner.self)
        assertSendable(MatchAnalyzer.self)
        assertSendable(MatchReport.self)
        assertSendable(KeywordExtractor.self)
        assertSendable(Keyword.self)
        assertSendable(FabricationGuard.self)
        assertSendable(FabricationWarning.self)
    }
}
