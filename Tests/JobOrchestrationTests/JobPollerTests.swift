import JobOrchestration
import NIOConcurrencyHelpers
import XCTest

final class JobPollerTests: XCTestCase {
    struct RemoteStatus: PollableJobStatus {
        var status: String
        var message: String
        var isTerminal: Bool { status != "PROCESSING" }
    }

    /// A status endpoint that answers from a script, one answer per call, repeating the last one.
    final class ScriptedEndpoint: Sendable {
        private let answers: [Result<RemoteStatus, TestError>]
        private let calls = NIOLockedValueBox(0)

        struct TestError: Error {}

        init(_ answers: [Result<RemoteStatus, TestError>]) {
            self.answers = answers
        }

        var callCount: Int { calls.withLockedValue { $0 } }

        func fetch() throws -> RemoteStatus {
            let index = calls.withLockedValue { calls -> Int in
                defer { calls += 1 }
                return calls
            }
            return try answers[min(index, answers.count - 1)].get()
        }
    }

    private func fast(timeout: Duration? = .seconds(10), failures: Int = 2) -> JobPoller<RemoteStatus>.Configuration {
        .init(interval: .milliseconds(2), jitter: 0.5, timeout: timeout, toleratedConsecutiveFailures: failures)
    }

    func testPoller_yieldsEachChangeOnceAndStopsAtTheTerminalStatus() async throws {
        let endpoint = ScriptedEndpoint([
            .success(.init(status: "PROCESSING", message: "Extracting resume text")),
            .success(.init(status: "PROCESSING", message: "Extracting resume text")),
            .success(.init(status: "PROCESSING", message: "Tailoring with OpenAI")),
            .success(.init(status: "PROCESSING", message: "Tailoring with OpenAI")),
            .success(.init(status: "COMPLETED", message: "Resume optimization complete")),
        ])
        let poller = JobPoller(configuration: fast()) { try endpoint.fetch() }

        var seen: [String] = []
        for try await status in poller { seen.append(status.message) }

        XCTAssertEqual(seen, ["Extracting resume text", "Tailoring with OpenAI", "Resume optimization complete"])
        XCTAssertEqual(endpoint.callCount, 5, "no call after the terminal status")
    }

    func testPoller_toleratesAFewFailuresInARow() async throws {
        let endpoint = ScriptedEndpoint([
            .success(.init(status: "PROCESSING", message: "Working")),
            .failure(.init()),
            .failure(.init()),
            .success(.init(status: "FAILED", message: "The resume could not be read.")),
        ])
        let poller = JobPoller(configuration: fast(failures: 2)) { try endpoint.fetch() }

        var seen: [String] = []
        for try await status in poller { seen.append(status.status) }

        XCTAssertEqual(seen, ["PROCESSING", "FAILED"])
    }

    func testPoller_afterTooManyFailures_throwsFetchFailed() async throws {
        let endpoint = ScriptedEndpoint([.failure(.init())])
        let poller = JobPoller(configuration: fast(failures: 1)) { try endpoint.fetch() }

        do {
            for try await _ in poller {}
            XCTFail("Expected an error")
        } catch let error as JobPollerError {
            XCTAssertEqual(error.code, .fetchFailed)
            XCTAssertTrue(error.cause is ScriptedEndpoint.TestError)
        }
        XCTAssertEqual(endpoint.callCount, 2)
    }

    func testPoller_whenTheJobOutlivesTheTimeout_throwsTimedOut() async throws {
        let endpoint = ScriptedEndpoint([.success(.init(status: "PROCESSING", message: "Still working"))])
        let poller = JobPoller(configuration: fast(timeout: .milliseconds(40))) { try endpoint.fetch() }

        var seen = 0
        do {
            for try await _ in poller { seen += 1 }
            XCTFail("Expected a timeout")
        } catch let error as JobPollerError {
            XCTAssertEqual(error.code, .timedOut)
        }
        XCTAssertEqual(seen, 1, "an unchanged status is yielded once")
        XCTAssertGreaterThan(endpoint.callCount, 2)
    }

    func testPoller_whenTheTaskIsCancelled_endsWithoutError() async throws {
        let endpoint = ScriptedEndpoint([.success(.init(status: "PROCESSING", message: "Forever"))])
        let poller = JobPoller(configuration: .init(interval: .seconds(3), timeout: nil)) { try endpoint.fetch() }

        let task = Task {
            var count = 0
            for try await _ in poller { count += 1 }
            return count
        }
        while endpoint.callCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        task.cancel()

        let count = try await task.value
        XCTAssertEqual(count, 1)
        XCTAssertEqual(endpoint.callCount, 1, "the 3-second wait was cut short by cancellation")
    }

    func testPoller_followsALocalJobCenter() async throws {
        let center = try JobCenter(kind: ScriptedJob(), configuration: .testing())
        let submitted = try await center.submit(
            .init(text: "poll me", stages: ["One", "Two"], delayMilliseconds: 30),
            userID: "alice"
        )

        let statuses = try await withRunningJobCenter(center) { center in
            let poller = JobPoller(configuration: .init(interval: .milliseconds(5))) {
                try await center.status(of: submitted.jobID, userID: "alice")
            }
            var statuses: [JobStatus] = []
            for try await report in poller { statuses.append(report.status) }
            return statuses
        }

        XCTAssertEqual(statuses.last, .completed)
        XCTAssertEqual(statuses.filter { $0 == .completed }.count, 1)
    }
}
