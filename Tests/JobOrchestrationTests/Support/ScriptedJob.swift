import Foundation
import JobOrchestration
import NIOConcurrencyHelpers
import XCTest

/// A job kind whose behaviour each input describes: stages to report, a delay, failures.
struct ScriptedJob: JobKind {
    static let identifier = "scripted"

    struct Input: Codable, Sendable, Hashable {
        var text: String
        var stages: [String] = []
        var delayMilliseconds: Int = 0
        /// The first attempts that fail with a retryable failure.
        var failingAttempts: Int = 0
        /// A code for a permanent failure.
        var failureCode: String?
        /// Keeps running after cancellation until the delay has passed.
        var ignoresCancellation = false
    }

    struct Details: Codable, Sendable, Hashable {
        var length: Int
        var attempt: Int
    }

    var submittedMessage: String { "Scripted job submitted" }
    var completedMessage: String { "Scripted job complete" }

    let runs: RunLog

    init(runs: RunLog = RunLog()) {
        self.runs = runs
    }

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<Details> {
        runs.started(context.jobID)
        defer { runs.ended(context.jobID) }
        for stage in input.stages {
            await context.reportStage(stage)
        }
        if input.delayMilliseconds > 0 {
            if input.ignoresCancellation {
                let end = ContinuousClock.now.advanced(by: .milliseconds(input.delayMilliseconds))
                while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(5)) }
            } else {
                try await Task.sleep(for: .milliseconds(input.delayMilliseconds))
            }
        }
        if context.attempt <= input.failingAttempts {
            throw JobFailure(code: "flaky", message: "A temporary problem; it will be retried.", isRetryable: true)
        }
        if let code = input.failureCode {
            throw JobFailure(code: JobFailure.Code(code), message: "The job failed on purpose.")
        }
        return JobOutput(
            artifact: JobArtifact(
                data: Data(input.text.uppercased().utf8),
                fileType: "txt",
                contentType: "text/plain; charset=utf-8",
                downloadFilename: "result_\(context.jobID.shortPrefix).txt"
            ),
            details: Details(length: input.text.count, attempt: context.attempt)
        )
    }
}

/// Counts how often each job ran and how many run at once.
final class RunLog: Sendable {
    private struct State {
        var starts: [JobID: Int] = [:]
        var running = 0
        var maximumRunning = 0
    }

    private let state = NIOLockedValueBox(State())

    func started(_ id: JobID) {
        state.withLockedValue { state in
            state.starts[id, default: 0] += 1
            state.running += 1
            state.maximumRunning = max(state.maximumRunning, state.running)
        }
    }

    func ended(_ id: JobID) {
        state.withLockedValue { $0.running -= 1 }
    }

    func starts(of id: JobID) -> Int { state.withLockedValue { $0.starts[id] ?? 0 } }
    var totalStarts: Int { state.withLockedValue { $0.starts.values.reduce(0, +) } }
    var running: Int { state.withLockedValue { $0.running } }
    var maximumRunning: Int { state.withLockedValue { $0.maximumRunning } }
}

/// Asserts that `body` throws a ``JobError`` with the given code.
func XCTAssertThrowsJobError<T>(
    _ code: JobError.Code,
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        XCTFail("Expected JobError.\(code), but nothing was thrown", file: file, line: line)
    } catch let error as JobError {
        XCTAssertEqual(error.code, code, "Unexpected error: \(error)", file: file, line: line)
    } catch {
        XCTFail("Expected JobError.\(code), got \(error)", file: file, line: line)
    }
}

/// A fresh, empty temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("jobs-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

extension JobCenterConfiguration {
    /// A configuration for tests: fast retries, short grace period, a fixed link secret.
    static func testing(
        maximumConcurrentJobs: Int = 8,
        perUser: Int = 8,
        attemptTimeout: Duration = .seconds(30),
        deadline: Duration = .seconds(60),
        retry: JobRetryPolicy = JobRetryPolicy(
            maximumAttempts: 3,
            initialBackoff: .milliseconds(5),
            maximumBackoff: .milliseconds(20)
        ),
        grace: Duration = .seconds(5),
        retention: JobRetention = JobRetention()
    ) -> JobCenterConfiguration {
        JobCenterConfiguration(
            maximumConcurrentJobs: maximumConcurrentJobs,
            maximumConcurrentJobsPerUser: perUser,
            attemptTimeout: attemptTimeout,
            deadline: deadline,
            retry: retry,
            shutdownGracePeriod: grace,
            downloadLinks: .init(secret: Array("a test secret that is long enough!".utf8)),
            retention: retention
        )
    }
}
