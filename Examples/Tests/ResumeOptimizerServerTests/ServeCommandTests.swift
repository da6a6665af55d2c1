import ArgumentParser
import XCTest

@testable import resume_optimizer_server

/// The server's flags and start-up checks.
final class ServeCommandTests: XCTestCase {
    func testParse_readsEveryFlagIntoTheJobSystemOptions() throws {
        let command = try ServeCommand.parse([
            "--hostname", "0.0.0.0", "--port", "9090", "--provider", "stub", "--model", "m", "--base-url",
            "http://localhost:11434/v1",
            "--stub-delay", "1.5", "--store", "directory", "--data-dir", "/tmp/x", "--max-concurrent-jobs", "3",
            "--job-timeout", "20", "--public-url", "https://resumes.example.com", "--allowed-origin",
            "https://a.example",
            "--allowed-origin", "https://b.example", "--dev",
        ])
        let options = command.jobSystemOptions()

        XCTAssertEqual(command.hostname, "0.0.0.0")
        XCTAssertEqual(command.port, 9090)
        XCTAssertEqual(command.allowedOrigins, ["https://a.example", "https://b.example"])
        XCTAssertTrue(command.dev)
        XCTAssertEqual(options.provider, .stub)
        XCTAssertEqual(options.model, "m")
        XCTAssertEqual(options.baseURL, "http://localhost:11434/v1")
        XCTAssertEqual(options.stubDelay, .milliseconds(1500))
        XCTAssertEqual(options.store, .directory)
        XCTAssertEqual(options.dataDirectory, "/tmp/x")
        XCTAssertEqual(options.maximumConcurrentJobs, 3)
        XCTAssertEqual(options.jobTimeout, .seconds(20))
    }

    func testParse_withoutFlags_usesTheOfflineOptimizerAndTheMemoryStore() throws {
        let options = try ServeCommand.parse([]).jobSystemOptions()

        XCTAssertNil(options.provider)
        XCTAssertEqual(options.store, .memory)
        XCTAssertEqual(options.jobTimeout, .seconds(300))
    }

    func testParse_refusesUnknownProvidersAndBadNumbers() {
        for arguments in [
            ["--provider", "gemini"], ["--port", "0"], ["--stub-delay", "-1"], ["--max-concurrent-jobs", "0"],
            ["--public-url", "resumes.example.com"], ["--log-level", "loud"],
        ] {
            XCTAssertThrowsError(try ServeCommand.parse(arguments), "\(arguments)")
        }
    }

    func testDownloadLinkSecret_isDerivedFromButDifferentFromTheTokenSecret() {
        let secret = Array("a-token-secret-of-at-least-32-bytes-long".utf8)

        let derived = downloadLinkSecret(fromTokenSecret: secret)

        XCTAssertEqual(derived.count, 32)
        XCTAssertNotEqual(derived, Array(secret.prefix(32)))
        XCTAssertEqual(derived, downloadLinkSecret(fromTokenSecret: secret))
        XCTAssertNotEqual(
            derived,
            downloadLinkSecret(fromTokenSecret: Array("another-token-secret-of-32-bytes-long!!".utf8))
        )
    }
}
