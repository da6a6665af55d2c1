import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import XCTest

@testable import resume_optimizer_server

/// `"redactPersonalData": false` in the POST /optimize body reaches the job; the presets parse.
extension OptimizeRouteValidationTests {
    func testOptimize_whenBodySaysRedactPersonalDataFalse_passesItToTheJob() async throws {
        let resume = Data("Jordan Rivera\njordan@example.com\nSwift engineer".utf8)
        try await withServer { client, jobs in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody([
                    "resume": resume.base64EncodedString(), "jobDescription": "Swift engineer",
                    "redactPersonalData": false,
                ])
            ) { response in
                XCTAssertEqual(response.status, .accepted)
            }
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": resume.base64EncodedString(), "jobDescription": "Swift engineer"])
            ) { response in
                XCTAssertEqual(response.status, .accepted)
            }
            let submitted = await jobs.submitted
            XCTAssertEqual(submitted.map(\.submission.redactPersonalData), [false, nil])
        }
    }

    func testOptimize_whenRedactPersonalDataIsNotABoolean_answers400() async throws {
        try await withServer { client, _ in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": "aGk=", "jobDescription": "Swift", "redactPersonalData": "no"])
            ) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertTrue(String(buffer: response.body).contains("true or false"))
            }
        }
    }

    func testServe_acceptsTheLibrarysProviderPresets() throws {
        for preset in ["ollama", "vllm", "lmstudio", "openrouter", "azure", "openai", "anthropic", "stub"] {
            XCTAssertNoThrow(try ServeCommand.parse(["--provider", preset]), preset)
        }
    }
}
