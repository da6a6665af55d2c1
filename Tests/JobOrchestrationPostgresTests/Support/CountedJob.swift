import Foundation
import JobOrchestration
import NIOConcurrencyHelpers

/// A job kind that counts its executions, so that tests can tell a job that ran twice.
struct CountedJob: JobKind {
    static let identifier = "counted"

    struct Input: Codable, Sendable, Hashable {
        var text: String
        var delayMilliseconds: Int = 0
        var failureCode: String?
    }

    struct Details: Codable, Sendable, Hashable {
        var length: Int
    }

    let runs: ExecutionLog

    init(runs: ExecutionLog = ExecutionLog()) {
        self.runs = runs
    }

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<Details> {
        runs.started(context.jobID)
        await context.reportStage("Counted")
        if input.delayMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(input.delayMilliseconds))
        }
        if let code = input.failureCode {
            throw JobFailure(code: JobFailure.Code(code), message: "The job failed on purpose.")
        }
        return JobOutput(
            artifact: JobArtifact(
                data: Data(input.text.uppercased().utf8),
                fileType: "txt",
                contentType: "text/plain; charset=utf-8",
                downloadFilename: "result.txt"
            ),
            details: Details(length: input.text.count)
        )
    }
}

/// Which jobs started, how often and on which center.
final class ExecutionLog: Sendable {
    private let starts = NIOLockedValueBox([JobID: Int]())

    func started(_ id: JobID) {
        starts.withLockedValue { $0[id, default: 0] += 1 }
    }

    func count(of id: JobID) -> Int { starts.withLockedValue { $0[id] ?? 0 } }
    var total: Int { starts.withLockedValue { $0.values.reduce(0, +) } }
    var jobs: Int { starts.withLockedValue { $0.count } }
}

/// Runs the centers (and nothing else) while `body` runs, then shuts them down gracefully.
func withRunningCenters<Kind: JobKind, Result: Sendable>(
    _ centers: [JobCenter<Kind>],
    _ body: @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for center in centers {
            group.addTask { try await center.run() }
        }
        do {
            let result = try await body()
            for center in centers { center.triggerGracefulShutdown() }
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(
    timeout: Duration = .seconds(20),
    _ condition: @Sendable () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
