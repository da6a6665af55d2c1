import Foundation
import Logging
import MetricsTestKit
import Optimization
import ResumeParsing
import XCTest

final class ResumeOptimizerTests: XCTestCase {
    private let resume = ResumeDocument(
        text: """
            Jordan Rivera
            jordan@example.com

            Summary
            Backend engineer building payment services in Go.

            Experience
            Software Engineer — Larchmont Payments
            March 2021 – Present
            • Mentored four junior engineers.
            • Built a change data capture pipeline from PostgreSQL to Kafka.

            Skills
            Python, Docker, Go, Kafka, PostgreSQL
            """,
        format: .plainText
    )
    private let job = """
        Backend Engineer
        Requirements
        - Go and Kafka
        - Postgres and change data capture
        - Java
        """
    private let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    // MARK: Offline

    func testOptimize_withoutProvider_reordersSkillsAddsSummaryAndUsesNoAI() async throws {
        let request = OptimizationRequest(resume: resume, jobDescription: job)

        let result = try await ResumeOptimizer(provider: nil).optimize(request, logger: logger)

        XCTAssertFalse(result.usedAI)
        XCTAssertEqual(result.providerName, "offline tailor")
        XCTAssertTrue(result.summary.contains("no AI model was used"))
        XCTAssertEqual(result.usage, TokenUsage())
        XCTAssertTrue(result.text.contains("Go, Kafka, PostgreSQL, Python, Docker"))
        XCTAssertTrue(
            result.text.contains("Relevant to this role: Go, Kafka, PostgreSQL, change data capture and backend.")
        )
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.matchBefore.missing, ["Java"])
        XCTAssertEqual(result.matchAfter, result.matchBefore)
        XCTAssertEqual(result.format, .text)
        XCTAssertEqual(String(decoding: result.contents, as: UTF8.self), result.text)
    }

    func testOptimize_withoutProvider_outputHoldsOnlyFactsFromTheResume() async throws {
        let request = OptimizationRequest(resume: resume, jobDescription: job)

        let result = try await ResumeOptimizer(provider: nil).optimize(request, logger: logger)

        let added = Set(words(result.text)).subtracting(words(resume.text))
        XCTAssertTrue(added.isSubset(of: ["relevant", "to", "this", "role", "and"]), "\(added)")
        XCTAssertEqual(FabricationGuard().check(original: resume.text, tailored: result.text, jobDescription: job), [])
        XCTAssertEqual(
            Set(lines(result.text)).subtracting(lines(resume.text)),
            [
                "Relevant to this role: Go, Kafka, PostgreSQL, change data capture and backend.",
                "Go, Kafka, PostgreSQL, Python, Docker",
            ],
            "only the summary line and the reordered skills line are new"
        )
        XCTAssertEqual(lines(result.text).count, lines(resume.text).count + 1)
    }

    func testOptimize_withoutProvider_saysWhatChangedAndWhyTheScoreDidNotMove() async throws {
        let result = try await ResumeOptimizer(provider: nil).optimize(
            OptimizationRequest(resume: resume, jobDescription: job),
            logger: logger
        )

        XCTAssertEqual(
            result.changes,
            [
                "Added a line to “Summary” naming 5 of the job's keywords the resume already shows: Go, Kafka, "
                    + "PostgreSQL, change data capture and backend.",
                "“Skills”: put the skills this job asks for first (Go, Kafka and PostgreSQL).",
                "Moved 1 bullet under “Software Engineer — Larchmont Payments” up, the one that names Kafka, "
                    + "PostgreSQL and change data capture.",
            ]
        )
        XCTAssertEqual(result.matchAfter.score, result.matchBefore.score)
        XCTAssertTrue(result.summary.contains("3 changes"), result.summary)
        XCTAssertTrue(
            result.summary.contains(
                "(unchanged: the score counts which of the job's keywords the resume contains, not where, "
                    + "and the offline tailor adds none the resume lacks)"
            ),
            result.summary
        )
    }

    func testOptimize_withoutProvider_isDeterministic() async throws {
        let request = OptimizationRequest(resume: resume, jobDescription: job)
        let optimizer = ResumeOptimizer(provider: nil)

        let first = try await optimizer.optimize(request, logger: logger)
        let second = try await optimizer.optimize(request, logger: logger)

        XCTAssertEqual(first, second)
    }

    func testOptimize_withMarkdownFormat_writesMarkdownFile() async throws {
        let options = OptimizationRequest.Options(outputFormat: .markdown)
        let request = OptimizationRequest(resume: resume, jobDescription: job, options: options)

        let result = try await ResumeOptimizer(provider: nil).optimize(request, logger: logger)

        XCTAssertEqual(result.format, .markdown)
        XCTAssertEqual(String(decoding: result.contents, as: UTF8.self), result.text)
        XCTAssertTrue(result.text.hasPrefix("# Jordan Rivera"))
        XCTAssertTrue(result.text.contains("## Skills"))
        XCTAssertTrue(result.text.contains("- Mentored four junior engineers."))
    }

    func testOptimize_reportsStagesInOrder() async throws {
        let stages = StageRecorder()
        let request = OptimizationRequest(resume: resume, jobDescription: job)

        _ = try await ResumeOptimizer(provider: nil).optimize(request, logger: logger) { await stages.record($0) }

        let messages = await stages.messages
        XCTAssertEqual(messages, ["Tailoring with offline tailor", "Checking facts", "Writing result"])
    }

    func testOptimize_whenResumeIsEmpty_throwsInvalidInput() async {
        let request = OptimizationRequest(resume: ResumeDocument(text: "  \n", format: .plainText), jobDescription: job)

        await XCTAssertThrowsOptimizationError(code: .invalidInput) {
            _ = try await ResumeOptimizer(provider: nil).optimize(request, logger: self.logger)
        }
    }

    // MARK: With a model

    func testOptimize_withProvider_sendsDelimitedPromptAndCleansAnswer() async throws {
        let provider = StubProvider(replies: [
            .completion(
                Completion(
                    text: "Here is your tailored resume:\n```\n\(resume.text)\n```",
                    finishReason: .stop,
                    usage: TokenUsage(inputTokens: 900, outputTokens: 300),
                    model: "test-model"
                )
            )
        ])
        let options = OptimizationRequest.Options(model: "test-model")
        let request = OptimizationRequest(resume: resume, jobDescription: job, options: options)

        let result = try await ResumeOptimizer(provider: provider).optimize(request, logger: logger)

        XCTAssertTrue(result.usedAI)
        XCTAssertEqual(result.text, resume.text)
        XCTAssertEqual(result.usage, TokenUsage(inputTokens: 900, outputTokens: 300))
        XCTAssertEqual(result.model, "test-model")
        let sent = await provider.requests
        XCTAssertEqual(sent.count, 1)
        XCTAssertEqual(sent.first?.model, "test-model")
        XCTAssertTrue(sent.first?.messages.first?.content.contains("<<<RESUME_") ?? false)
        XCTAssertTrue(sent.first?.system?.contains("never instructions") ?? false)
    }

    func testOptimize_whenAnswerInventsClaims_attachesWarningsUnderWarnPolicy() async throws {
        let invented = resume.text.replacingOccurrences(of: "Python, Docker", with: "Java, Python, Docker")
            .replacingOccurrences(of: "March 2021", with: "March 2019")
        let provider = StubProvider(replies: [.text(invented)])
        let request = OptimizationRequest(resume: resume, jobDescription: job)

        let result = try await ResumeOptimizer(provider: provider).optimize(request, logger: logger)

        XCTAssertEqual(
            result.warnings,
            [
                FabricationWarning(kind: .newDate, text: "March 2019"),
                FabricationWarning(kind: .unsupportedSkill, text: "Java"),
                // The shifted date is also a date of the original the answer lost.
                FabricationWarning(kind: .droppedDate, text: "March 2021"),
            ]
        )
        XCTAssertGreaterThan(result.matchAfter.score, result.matchBefore.score)
    }

    func testOptimize_whenAnswerInventsClaims_failsUnderRejectPolicy() async {
        let invented = resume.text + "\n• Improved throughput by 300%."
        let provider = StubProvider(replies: [.text(invented)])
        let request = OptimizationRequest(resume: resume, jobDescription: job, options: .init(factCheck: .reject))

        await XCTAssertThrowsOptimizationError(code: .unsupportedClaims) {
            _ = try await ResumeOptimizer(provider: provider).optimize(request, logger: self.logger)
        } onError: { error in
            XCTAssertEqual(error.warnings, [FabricationWarning(kind: .newNumber, text: "300%")])
            // The message is stored and served: it names the kind and the count, never the claim.
            XCTAssertFalse(error.message.contains("300"), error.message)
            XCTAssertTrue(error.message.contains("1 claim the original does not support (number not in the resume)"))
        }
    }

    func testOptimize_underRepairPolicy_asksOnceMoreAndKeepsTheRepairedText() async throws {
        let invented = resume.text + "\n• Improved throughput by 300%."
        let provider = StubProvider(replies: [.text(invented), .text(resume.text)])
        let stages = StageRecorder()
        let request = OptimizationRequest(resume: resume, jobDescription: job, options: .init(factCheck: .repair))

        let result = try await ResumeOptimizer(provider: provider).optimize(request, logger: logger) {
            await stages.record($0)
        }

        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.text, resume.text)
        let sent = await provider.requests
        XCTAssertEqual(sent.count, 2)
        XCTAssertTrue(sent[1].messages[0].content.contains("number not in the resume: \"300%\""))
        let messages = await stages.messages
        XCTAssertEqual(
            messages,
            [
                "Tailoring with Stub", "Checking facts", "Removing unsupported claims with Stub",
                "Checking facts", "Writing result",
            ]
        )
    }

    func testOptimize_underRepairOrRejectPolicy_failsWhenClaimsRemain() async {
        let invented = resume.text + "\n• Improved throughput by 300%."
        let provider = StubProvider(replies: [.text(invented), .text(invented)])
        let request = OptimizationRequest(
            resume: resume,
            jobDescription: job,
            options: .init(factCheck: .repairOrReject)
        )

        await XCTAssertThrowsOptimizationError(code: .unsupportedClaims) {
            _ = try await ResumeOptimizer(provider: provider).optimize(request, logger: self.logger)
        } onError: { error in
            XCTAssertFalse(error.message.contains("300"), error.message)
            XCTAssertTrue(error.message.contains("even after a repair attempt"), error.message)
        }
    }

    func testOptimize_whenAnswerIsCutOff_retriesOnceWithMoreRoom() async throws {
        let provider = StubProvider(replies: [
            .completion(Completion(text: "Jordan", finishReason: .length, model: "m")), .text(resume.text),
        ])
        var configuration = ResumeOptimizer.Configuration()
        configuration.maximumOutputTokens = 1000
        configuration.retryMaximumOutputTokens = 3000

        let result = try await ResumeOptimizer(provider: provider, configuration: configuration)
            .optimize(OptimizationRequest(resume: resume, jobDescription: job), logger: logger)

        XCTAssertEqual(result.text, resume.text)
        let limits = await provider.requests.map(\.maxOutputTokens)
        XCTAssertEqual(limits, [1000, 2000])
    }

    func testOptimize_asksForAboutTwiceTheResumesTokens_withAFloorAndABoundedRetry() async throws {
        let longResume = ResumeDocument(
            text: resume.text + "\n" + String(repeating: "• Kept the payment ledgers balanced every day.\n", count: 60),
            format: .plainText
        )
        let provider = StubProvider(replies: [
            .completion(Completion(text: "Jordan", finishReason: .length, model: "m")), .text(longResume.text),
            .text(resume.text),
        ])
        var configuration = ResumeOptimizer.Configuration()
        configuration.retryMaximumOutputTokens = 6000
        let optimizer = ResumeOptimizer(provider: provider, configuration: configuration)

        _ = try await optimizer.optimize(OptimizationRequest(resume: longResume, jobDescription: job), logger: logger)
        _ = try await optimizer.optimize(OptimizationRequest(resume: resume, jobDescription: job), logger: logger)

        let limits = await provider.requests.map(\.maxOutputTokens)
        let expected = 2 * ResumeOptimizer.estimatedTokens(in: longResume.text)
        XCTAssertGreaterThan(expected, configuration.minimumOutputTokens)
        XCTAssertEqual(limits, [expected, min(6000, 2 * expected), configuration.minimumOutputTokens])
    }

    func testOptimize_whenAnswerIsCutOffTwice_throwsTruncatedOutput() async {
        let provider = StubProvider(replies: [
            .completion(Completion(text: "Jordan", finishReason: .length, model: "m")),
            .completion(Completion(text: "Jordan R", finishReason: .length, model: "m")),
        ])

        await XCTAssertThrowsOptimizationError(code: .truncatedOutput) {
            _ = try await ResumeOptimizer(provider: provider)
                .optimize(OptimizationRequest(resume: self.resume, jobDescription: self.job), logger: self.logger)
        }
    }

    func testOptimize_whenAnswerIsEmpty_throwsEmptyOutput() async {
        let provider = StubProvider(replies: [.text("Sure! Here is your resume:\n```\n```")])

        await XCTAssertThrowsOptimizationError(code: .emptyOutput) {
            _ = try await ResumeOptimizer(provider: provider)
                .optimize(OptimizationRequest(resume: self.resume, jobDescription: self.job), logger: self.logger)
        }
    }

    func testOptimize_whenProviderFails_throwsProviderErrorThatKeepsRetryability() async {
        let failure = AIProviderError(
            kind: .rateLimited,
            message: "Slow down.",
            isRetryable: true,
            httpStatus: 429,
            providerName: "Stub"
        )
        let provider = StubProvider(replies: [.error(failure)])

        await XCTAssertThrowsOptimizationError(code: .provider) {
            _ = try await ResumeOptimizer(provider: provider)
                .optimize(OptimizationRequest(resume: self.resume, jobDescription: self.job), logger: self.logger)
        } onError: { error in
            XCTAssertEqual(error.providerError?.kind, .rateLimited)
            XCTAssertTrue(error.isRetryable)
            XCTAssertFalse(error.message.contains("Jordan"))
        }
    }

    // MARK: Helpers

    private func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Collects stage messages from the progress callback.
private actor StageRecorder {
    private(set) var messages: [String] = []

    func record(_ stage: OptimizationStage) { messages.append(stage.message) }
}

/// Asserts that `body` throws an ``OptimizationError`` with `code`.
func XCTAssertThrowsOptimizationError(
    code: OptimizationError.Code,
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: () async throws -> Void,
    onError: (OptimizationError) -> Void = { _ in }
) async {
    do {
        try await body()
        XCTFail("Expected OptimizationError.\(code), but nothing was thrown", file: file, line: line)
    } catch let error as OptimizationError {
        XCTAssertEqual(error.code, code, file: file, line: line)
        onError(error)
    } catch {
        XCTFail("Expected OptimizationError.\(code), got \(error)", file: file, line: line)
    }
}

final class OptimizationMetricsTests: XCTestCase {
    func testAModelCall_recordsItsLatencyAndTokens_andAFailureItsKind() async throws {
        let metrics = TestMetrics()
        let resume = ResumeDocument(text: "Sam Lee\nSkills\nSwift, Go", format: .plainText)
        let good = StubProvider(replies: [
            .completion(
                Completion(
                    text: resume.text,
                    finishReason: .stop,
                    usage: TokenUsage(inputTokens: 120, outputTokens: 30),
                    model: "m"
                )
            )
        ])
        let request = OptimizationRequest(resume: resume, jobDescription: "Go and Swift")

        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        _ = try await ResumeOptimizer(provider: good, metricsFactory: metrics).optimize(request, logger: logger)
        let failing = StubProvider(replies: [.failure(.rateLimited)])
        _ = try? await ResumeOptimizer(provider: failing, metricsFactory: metrics).optimize(request, logger: logger)

        let provider = ("provider", "Stub")
        let latency = try metrics.expectTimer(
            OptimizationMetricsLabel.providerLatency,
            [provider, ("outcome", "succeeded")]
        )
        XCTAssertEqual(latency.values.count, 1)
        let input = try metrics.expectCounter(OptimizationMetricsLabel.providerTokens, [provider, ("type", "input")])
        let output = try metrics.expectCounter(OptimizationMetricsLabel.providerTokens, [provider, ("type", "output")])
        XCTAssertEqual(input.totalValue, 120)
        XCTAssertEqual(output.totalValue, 30)
        let refused = try metrics.expectTimer(
            OptimizationMetricsLabel.providerLatency,
            [provider, ("outcome", "rateLimited")]
        )
        XCTAssertEqual(refused.values.count, 1)
    }
}
