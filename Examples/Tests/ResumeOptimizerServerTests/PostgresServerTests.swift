import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobOrchestration
import XCTest

@testable import resume_optimizer_server

/// Two servers with `--store postgres` on one database behave as one service: a job submitted to one is
/// run, reported and downloaded through the other. Needs `RESUME_OPTIMIZER_TEST_DATABASE_URL` (set by
/// `Scripts/test.sh` and CI, which start a throwaway cluster); skipped with a message when it is absent.
final class PostgresServerTests: XCTestCase {
    private func makeServer(databaseURL: String) async throws -> some ApplicationProtocol {
        let configuration = testConfiguration()
        var options = JobSystemOptions()
        options.store = .postgres
        options.databaseURL = databaseURL
        return try await buildApplication(options: options, configuration: configuration, logger: quietLogger)
    }

    func testTwoServersOnOneDatabase_shareJobsStatusesAndLinks() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["RESUME_OPTIMIZER_TEST_DATABASE_URL"] else {
            if environment["CI"] != nil { return XCTFail("CI must provide RESUME_OPTIMIZER_TEST_DATABASE_URL.") }
            throw XCTSkip("RESUME_OPTIMIZER_TEST_DATABASE_URL is not set: no PostgreSQL to test against.")
        }
        let first = try await makeServer(databaseURL: url)
        let second = try await makeServer(databaseURL: url)

        try await first.test(.router) { firstClient in
            try await second.test(.router) { secondClient in
                let jobID = try await firstClient.execute(
                    uri: "/optimize",
                    method: .post,
                    headers: bearer("alice"),
                    body: jsonBody([
                        "resume": Data("Jane Doe\nSkills\nSwift, PostgreSQL\n".utf8).base64EncodedString(),
                        "jobDescription": "Swift and Kubernetes.",
                    ])
                ) { response in
                    XCTAssertEqual(response.status, .accepted, String(buffer: response.body))
                    return try XCTUnwrap(try jsonObject(response.body)["jobId"] as? String)
                }

                // The other instance long-polls the job to its end and serves its file.
                let status = try await EndToEndTests.waitForEnd(secondClient, jobID: jobID)
                XCTAssertEqual(status["status"] as? String, "COMPLETED", "\(status)")
                let link = try XCTUnwrap(status["optimizedResumeUrl"] as? String)
                let path = String(link.dropFirst("https://resumes.example.com".count))
                try await secondClient.execute(uri: path, method: .get) { response in
                    XCTAssertEqual(response.status, .ok)
                    XCTAssertTrue(String(buffer: response.body).contains("Swift"))
                }
                // Each user sees only their own jobs, on either instance.
                try await firstClient.execute(uri: "/status?jobId=\(jobID)", method: .get, headers: bearer("bob")) {
                    response in
                    XCTAssertEqual(response.status, .notFound)
                }
                try await firstClient.execute(uri: "/jobs", method: .get, headers: bearer("alice")) { response in
                    let jobs = try XCTUnwrap(try jsonObject(response.body)["jobs"] as? [[String: Any]])
                    XCTAssertTrue(jobs.contains { $0["jobId"] as? String == jobID })
                }
            }
        }
    }
}
