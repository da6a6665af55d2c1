import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import XCTest

@testable import resume_optimizer_server

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The HTTP limits against a live server on loopback, with raw sockets: the bytes the framework's test
/// client cannot send (a stalled connection, `Expect: 100-continue`, a broken chunked body).
final class HTTPLimitsLiveTests: XCTestCase {
    /// Runs a live server with the real job system and gives the test its port.
    func withLiveServer(
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ test: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        var configuration = ServerConfiguration(tokenSecret: testSecret)
        configuration.port = try SubmitClientLiveTests.freePort()
        configure(&configuration)
        var options = JobSystemOptions()
        options.stubDelay = .seconds(30)
        let app = try await buildApplication(options: options, configuration: configuration, logger: quietLogger)
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: quietLogger)
        let port = configuration.port
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            for attempt in 1...100 {
                let answer = try? await RawConnection.exchange(
                    port: port,
                    send: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                )
                if answer?.hasPrefix("HTTP/1.1 200") == true { break }
                if attempt == 100 { throw ContractViolation(description: "The live server did not start.") }
                try await Task.sleep(for: .milliseconds(50))
            }
            try await test(port)
        }
    }

    func testExpectContinue_withAnOversizedLength_isAnswered413BeforeTheUpload() async throws {
        try await withLiveServer { port in
            let token = TestToken.hs256(subject: "alice")
            let started = ContinuousClock.now
            let answer = try await RawConnection.exchange(
                port: port,
                send:
                    "POST /optimize HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 99999999999\r\nExpect: 100-continue\r\n\r\n"
            )
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 413"), answer)
            XCTAssertFalse(answer.contains("100 Continue"), answer)
            XCTAssertTrue(answer.contains(#"{"message":"#), answer)
            XCTAssertLessThan(started.duration(to: .now), .seconds(5))
        }
    }

    func testExpectContinue_withoutAToken_isAnswered401BeforeTheUpload() async throws {
        try await withLiveServer { port in
            let answer = try await RawConnection.exchange(
                port: port,
                send:
                    "POST /optimize HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n"
            )
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 401"), answer)
            XCTAssertTrue(answer.contains(#"error="invalid_token""#) || answer.contains("WWW-Authenticate"), answer)
        }
    }

    func testHostHeader_missingOrTwice_isAnswered400() async throws {
        try await withLiveServer { port in
            let missing = try await RawConnection.exchange(
                port: port,
                send: "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n"
            )
            XCTAssertTrue(missing.hasPrefix("HTTP/1.1 400"), missing)
            XCTAssertTrue(missing.contains("exactly one Host"), missing)
            let twice = try await RawConnection.exchange(
                port: port,
                send: "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"
            )
            XCTAssertTrue(twice.hasPrefix("HTTP/1.1 400"), twice)
            let once = try await RawConnection.exchange(
                port: port,
                send: "GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            )
            XCTAssertTrue(once.hasPrefix("HTTP/1.1 200"), once)
        }
    }

    func testMalformedChunkedBody_isAnswered400() async throws {
        try await withLiveServer { port in
            let token = TestToken.hs256(subject: "alice")
            let head =
                "POST /optimize HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            // A chunk size that is not hexadecimal, and a chunk longer than it declares.
            for body in ["zz\r\n{}\r\n0\r\n\r\n", "2\r\n{\"resume\": 1}\r\n0\r\n\r\n"] {
                let answer = try await RawConnection.exchange(port: port, send: head + body)
                let status = answer.prefix(12)
                XCTAssertTrue(status.hasPrefix("HTTP/1.1 4") || answer.isEmpty, "\(body.debugDescription): \(answer)")
                XCTAssertFalse(answer.hasPrefix("HTTP/1.1 5"), answer)
            }
        }
    }

    func testIdleAndStalledConnections_areClosedAfterTheIdleTimeout() async throws {
        try await withLiveServer(configure: { $0.idleTimeout = .seconds(1) }) { port in
            for partial in [
                "", "GET /health HTTP/1.1\r\nHost: 127",
                "POST /optimize HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{}",
            ] {
                let started = ContinuousClock.now
                let answer = try await RawConnection.exchange(port: port, send: partial, timeout: 10)
                let elapsed = started.duration(to: .now)
                XCTAssertLessThan(elapsed, .seconds(5), "\(partial.debugDescription) stayed open: \(answer)")
                XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(900), partial.debugDescription)
            }
        }
    }

    func testTrickledHeaders_areCutOffAtTheHeaderTimeout_thoughEachByteResetsTheIdleTimer() async throws {
        try await withLiveServer(configure: {
            $0.idleTimeout = .seconds(5)
            $0.headerTimeout = .seconds(1)
        }) { port in
            // One header byte every 200 ms: never idle for 5 s, never a complete head.
            let head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + String(repeating: "a", count: 100)
            let started = ContinuousClock.now
            _ = try await RawConnection.exchange(port: port, chunks: head.map(String.init), pause: 200_000, timeout: 30)
            let elapsed = started.duration(to: .now)
            XCTAssertLessThan(elapsed, .seconds(4), "the connection is closed at the header timeout")
            XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(900))
            // A prompt request on a new connection is served.
            let answer = try await RawConnection.exchange(
                port: port,
                send: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            )
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 200"), answer)
        }
    }

    func testTrickledBody_isCutOffAtTheBodyTimeout() async throws {
        try await withLiveServer(configure: {
            $0.idleTimeout = .seconds(5)
            $0.bodyTimeout = .seconds(1)
        }) { port in
            let token = TestToken.hs256(subject: "alice")
            let head =
                "POST /optimize HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            let started = ContinuousClock.now
            let answer = try await RawConnection.exchange(
                port: port,
                chunks: [head] + Array(repeating: " ", count: 100),
                pause: 200_000,
                timeout: 30
            )
            let elapsed = started.duration(to: .now)
            XCTAssertLessThan(elapsed, .seconds(4), "the connection is closed at the body timeout: \(answer)")
            XCTAssertFalse(answer.hasPrefix("HTTP/1.1 5"), answer)
        }
    }

    func testRefusalsOfTheHTTPParser_areJSON_with431ForOversizedHeaders() async throws {
        try await withLiveServer(configure: { $0.maximumHeaderBytes = 8 * 1024 }) { port in
            let large = try await RawConnection.exchange(
                port: port,
                send: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Large: "
                    + String(repeating: "a", count: 16 * 1024) + "\r\nConnection: close\r\n\r\n"
            )
            XCTAssertTrue(large.hasPrefix("HTTP/1.1 431"), large)
            XCTAssertTrue(large.lowercased().contains("content-type: application/json"), large)
            XCTAssertTrue(large.contains(#"{"message":"The request's headers are too large"#), large)

            let garbage = try await RawConnection.exchange(port: port, send: "NOT HTTP AT ALL\r\n\r\n")
            XCTAssertTrue(garbage.hasPrefix("HTTP/1.1 400"), garbage)
            XCTAssertTrue(garbage.contains(#"{"message":"The request is not valid HTTP/1.1."}"#), garbage)
        }
    }

    func testSIGTERM_drains_answering503_thenStopsListening() async throws {
        var configuration = ServerConfiguration(tokenSecret: testSecret)
        configuration.port = try SubmitClientLiveTests.freePort()
        let gate = DrainGate()
        let app = buildApplication(
            configuration: configuration,
            jobs: RecordingJobService(),
            drainGate: gate,
            logger: quietLogger
        )
        let server = DrainingServer(application: app, gate: gate, drainPeriod: .seconds(2), logger: quietLogger)
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [], logger: quietLogger)
        let port = configuration.port
        let health = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var up = false
            for _ in 1...100 where !up {
                up = (try? await RawConnection.exchange(port: port, send: health))?.hasPrefix("HTTP/1.1 200") == true
                if !up { try await Task.sleep(for: .milliseconds(50)) }
            }
            XCTAssertTrue(up, "the server did not start")
            let stopping = ContinuousClock.now
            await group.triggerGracefulShutdown()
            let draining = try await RawConnection.exchange(port: port, send: health)
            XCTAssertTrue(draining.hasPrefix("HTTP/1.1 503"), draining)
            XCTAssertTrue(draining.contains("shutting down"), draining)
            XCTAssertTrue(draining.lowercased().contains("retry-after: 5"), draining)
            // After the drain the listener is closed.
            try await tasks.next()
            XCTAssertGreaterThanOrEqual(stopping.duration(to: .now), .milliseconds(1900))
            do {
                let late = try await RawConnection.exchange(port: port, send: health)
                XCTAssertTrue(late.isEmpty, late)
            } catch {
                // connect() refused: expected.
            }
        }
    }
}

/// A blocking TCP exchange on its own thread: connect to loopback, send, read until the server closes.
enum RawConnection {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `send` and returns everything the server answers until it closes the connection (or
    /// `timeout` seconds pass).
    static func exchange(port: Int, send: String, timeout: Int = 10) async throws -> String {
        try await exchange(port: port, chunks: [send], pause: 0, timeout: timeout)
    }

    /// Sends `chunks` one by one, `pause` microseconds apart (a client trickling its bytes), stopping when
    /// the server closes, and returns everything the server answers.
    static func exchange(port: Int, chunks: [String], pause: UInt32, timeout: Int = 10) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result {
                        try blockingExchange(port: port, chunks: chunks, pause: pause, timeout: timeout)
                    }
                )
            }
            thread.start()
        }
    }

    private static func blockingExchange(port: Int, chunks: [String], pause: UInt32, timeout: Int) throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(descriptor) }
        var interval = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw Failure(description: "connect() failed") }
        sending: for (index, chunk) in chunks.enumerated() {
            if index > 0, pause > 0 { usleep(pause) }
            let bytes = Array(chunk.utf8)
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes {
                    Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                guard count > 0 else { break sending }
                sent += count
            }
        }
        var answer = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            answer += buffer[0..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
