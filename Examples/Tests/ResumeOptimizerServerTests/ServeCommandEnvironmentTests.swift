import ArgumentParser
import Foundation
import XCTest

@testable import resume_optimizer_server

/// `serve`'s options from environment variables.
final class ServeCommandEnvironmentTests: XCTestCase {
    func parse(_ arguments: [String], environment: [String: String]) throws -> ServeCommand {
        let command = try ResumeOptimizerServerCommand.parseAsRoot(
            ServeCommand.addingEnvironment(to: arguments, environment: environment)
        )
        return try XCTUnwrap(command as? ServeCommand)
    }

    func testEnvironment_suppliesOptionsTheCommandLineLacks() throws {
        let command = try parse(
            [],
            environment: [
                "RESUME_OPTIMIZER_PORT": "9191",
                "RESUME_OPTIMIZER_HOSTNAME": "0.0.0.0",
                "RESUME_OPTIMIZER_STORE": "directory",
                "RESUME_OPTIMIZER_DATA_DIR": "/var/lib/ro",
                "RESUME_OPTIMIZER_ALLOWED_ORIGINS": "https://a.example, https://b.example",
                "RESUME_OPTIMIZER_DEV": "true",
                "RESUME_OPTIMIZER_JOB_TIMEOUT": "42",
            ]
        )
        XCTAssertEqual(command.port, 9191)
        XCTAssertEqual(command.hostname, "0.0.0.0")
        XCTAssertEqual(command.jobSystemOptions().store, .directory)
        XCTAssertEqual(command.jobSystemOptions().dataDirectory, "/var/lib/ro")
        XCTAssertEqual(command.jobSystemOptions().jobTimeout, .seconds(42))
        XCTAssertEqual(command.allowedOrigins, ["https://a.example", "https://b.example"])
        XCTAssertTrue(command.dev)
    }

    func testEnvironment_whenTheCommandLineHasTheOption_losesToIt() throws {
        let command = try parse(["serve", "--port=8181", "--dev"], environment: ["RESUME_OPTIMIZER_PORT": "9191"])
        XCTAssertEqual(command.port, 8181)
        let off = try parse(["--port", "8181"], environment: ["RESUME_OPTIMIZER_DEV": "0"])
        XCTAssertFalse(off.dev)
        XCTAssertEqual(off.port, 8181)
    }

    func testEnvironment_badValues_areRefusedLikeTheOptions() {
        XCTAssertThrowsError(try parse([], environment: ["RESUME_OPTIMIZER_PORT": "eighty"]))
        XCTAssertThrowsError(try parse([], environment: ["RESUME_OPTIMIZER_STORE": "floppy"]))
        XCTAssertThrowsError(try parse([], environment: ["RESUME_OPTIMIZER_DEV": "maybe"])) { error in
            XCTAssertTrue("\(error)".contains("RESUME_OPTIMIZER_DEV"), "\(error)")
        }
        XCTAssertNoThrow(try parse([], environment: ["RESUME_OPTIMIZER_DEV": ""]))
    }

    func testEnvironment_leavesOtherSubcommandsAlone() throws {
        let arguments = ["token", "--user", "alice"]
        XCTAssertEqual(
            try ServeCommand.addingEnvironment(to: arguments, environment: ["RESUME_OPTIMIZER_PORT": "1"]),
            arguments
        )
        XCTAssertEqual(
            try ServeCommand.addingEnvironment(to: ["--help"], environment: ["RESUME_OPTIMIZER_PORT": "1"]),
            ["--help"]
        )
    }

    /// Fails when an option is added to `serve` without an environment variable (or the reverse).
    func testEveryServeOption_hasAnEnvironmentVariableDocumentedInHelp() throws {
        let help = ServeCommand.helpMessage(columns: 400)
        let expression = try NSRegularExpression(pattern: #"^\s+(?:-\w, )?--([a-z0-9-]+)"#, options: .anchorsMatchLines)
        let options = Set(
            expression.matches(in: help, range: NSRange(help.startIndex..., in: help)).compactMap { match in
                Range(match.range(at: 1), in: help).map { String(help[$0]) }
            }
        ).subtracting(["help", "version"])
        XCTAssertFalse(options.isEmpty, help)
        XCTAssertEqual(options, Set(ServeCommand.environmentOptions.map(\.option)))
        for option in ServeCommand.environmentOptions {
            XCTAssertTrue(help.contains(option.variable), "--help does not name \(option.variable)")
        }
    }
}
