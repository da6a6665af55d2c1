import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOHTTP1
import ServiceLifecycle
import XCTest

@testable import resume_optimizer
@testable import resume_optimizer_server

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `resume-optimizer submit`'s client against a live server in this process (loopback, a free
/// port): long polling, the Idempotency-Key, cancelling on an interrupt, `--json`.
final class SubmitClientLiveTests: XCTestCase {
    static let resume = Data(
        "Jordan Rivera\nBackend engineer: Swift, PostgreSQL, payments APIs for 2 million users.\n".utf8
    )
    static let job = "Backend engineer with Swift, PostgreSQL and Kafka."

    /// A free loopback port: bound to port 0, read back, released.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ContractViolation(description: "socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw ContractViolation(description: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a live server with the real job system (offline optimizer, `stubDelay` per job).
    func withLiveServer(
        stubDelay: Duration,
        _ test: @escaping @Sendable (SubmitClient) async throws -> Void
    ) async throws {
        var configuration = ServerConfiguration(tokenSecret: testSecret)
        configuration.port = try Self.freePort()
        var options = JobSystemOptions()
        options.stubDelay = stubDelay
        let app = try await buildApplication(options: options, configuration: configuration, logger: quietLogger)
        let token = TestToken.hs256(subject: "alice")
        let server = try XCTUnwrap(URL(string: configuration.effectivePublicURL))
        let client = SubmitClient(server: server, token: token, httpClient: .shared)
        // The real server on its own port (download links carry it), as `serve` runs it.
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            var request = HTTPClientRequest(url: server.appendingPathComponent("health").absoluteString)
            request.method = .GET
            for attempt in 1...100 {
                if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(1)),
                    response.status == .ok
                {
                    break
                }
                if attempt == 100 { throw ContractViolation(description: "The live server did not start.") }
                try await Task.sleep(for: .milliseconds(50))
            }
            try await test(client)
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
    }

    static func makeFlow(_ client: SubmitClient, output: URL, lines: LineRecorder) -> SubmitFlow {
        SubmitFlow(client: client, longPollSeconds: 5, timeout: .seconds(60), outputDirectory: output.path) { line in
            lines.append(line)
        }
    }

    func testRun_followsTheJobWithLongPollsAndDownloadsTheFile() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("submit-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let lines = LineRecorder()
        try await withLiveServer(stubDelay: .milliseconds(1500)) { client in
            let started = ContinuousClock.now
            let outcome = try await Self.makeFlow(client, output: output, lines: lines).run(
                resume: Self.resume,
                fileName: "resume.txt",
                jobDescription: Self.job,
                idempotencyKey: "live-test-1",
                interrupts: AsyncStream<Void> { _ in }
            )
            guard case .completed(let status, let path) = outcome else { return XCTFail("\(outcome)") }
            XCTAssertLessThan(started.duration(to: .now), .seconds(20))
            let text = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(text.contains("Jordan Rivera"), text)
            XCTAssertNotNil(status.matchScoreBefore)
            XCTAssertEqual(status.matchedKeywords?.contains { $0.lowercased() == "swift" }, true, "\(status)")
            XCTAssertEqual(status.missingKeywords?.contains { $0.lowercased() == "kafka" }, true, "\(status)")
            // The JSON output is the status the server documented, plus where the file went.
            let json = try JSONValue.parse(Data(try outcome.jsonText().utf8))
            XCTAssertEqual(json["status"]?.string, "COMPLETED")
            XCTAssertEqual(json["savedTo"]?.string, path)

            // The same Idempotency-Key again: the same job, not a second one.
            let again = try await client.submit(
                resume: Self.resume,
                jobDescription: Self.job,
                fileName: "resume.txt",
                idempotencyKey: "live-test-1"
            )
            XCTAssertEqual(again.jobId, status.jobId)
        }
        XCTAssertEqual(
            lines.lines.first?.hasPrefix("PROCESSING: Resume optimization job submitted"),
            true,
            "\(lines.lines)"
        )
    }

    func testRun_whenInterrupted_cancelsTheJobOnTheServer() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("submit-live-\(UUID().uuidString)")
        let lines = LineRecorder()
        try await withLiveServer(stubDelay: .seconds(30)) { client in
            let (interrupts, interrupt) = AsyncStream<Void>.makeStream()
            let flow = Self.makeFlow(client, output: output, lines: lines)
            async let outcome = flow.run(
                resume: Self.resume,
                fileName: "resume.txt",
                jobDescription: Self.job,
                idempotencyKey: "live-test-2",
                interrupts: interrupts
            )
            // Ctrl-C once the job is running.
            while lines.lines.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            interrupt.yield()
            guard case .interrupted(let status) = try await outcome else { return XCTFail("not interrupted") }
            XCTAssertEqual(status.status, "CANCELLED")
            let after = try await client.status(jobID: status.jobId)
            XCTAssertEqual(after.status, "CANCELLED")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.path))
    }

    /// The hand-written client has a field for every property the document gives a status.
    func testStatus_hasAFieldForEveryPropertyOfTheDocumentsJobStatus() throws {
        let document = try JSONValue.parse(try WebClientRoutes.openAPIDocument())
        guard case .object(let properties) = document["components"]?["schemas"]?["JobStatus"]?["properties"] else {
            return XCTFail("JobStatus has no properties")
        }
        let status = SubmitClient.Status(
            status: "COMPLETED",
            message: "",
            timestamp: "",
            jobId: "",
            optimizedResumeUrl: "",
            fileType: "",
            contentType: "",
            downloadFilename: "",
            errorCode: "",
            matchScoreBefore: 0,
            matchScoreAfter: 0,
            matchedKeywords: [],
            missingKeywords: [],
            warnings: []
        )
        guard case .object(let encoded) = try JSONValue.parse(try JSONEncoder().encode(status)) else {
            return XCTFail("the status does not encode as an object")
        }
        XCTAssertEqual(Set(encoded.keys), Set(properties.keys))
    }

    func testCommand_readsTheServerFromTheEnvironment() throws {
        let command = try SubmitCommand.parse(["--resume", "r.txt", "--job", "j.txt", "--json"])
        XCTAssertEqual(
            try command.serverURL(environment: ["RESUME_OPTIMIZER_SERVER": "http://127.0.0.1:9999"]).absoluteString,
            "http://127.0.0.1:9999"
        )
        XCTAssertThrowsError(try command.serverURL(environment: [:]))
        XCTAssertThrowsError(try command.serverURL(environment: ["RESUME_OPTIMIZER_SERVER": "ftp://x"]))
        XCTAssertThrowsError(try SubmitCommand.parse(["--resume", "r", "--job", "j", "--wait", "31"]))
    }
}

/// Lines reported by a flow, readable from the test.
final class LineRecorder: Sendable {
    private let storage = LockedLines()
    func append(_ line: String) { storage.append(line) }
    var lines: [String] { storage.lines }
}

/// A lock around the lines; `@unchecked Sendable` because every access holds `lock`.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    func append(_ line: String) { lock.withLock { values.append(line) } }
    var lines: [String] { lock.withLock { values } }
}
