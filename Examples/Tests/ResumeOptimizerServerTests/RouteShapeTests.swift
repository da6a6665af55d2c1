import Foundation
import JobOrchestration
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import XCTest

@testable import resume_optimizer_server

/// The JSON shapes and status codes of `/status`, `/jobs`, `/downloads` and CORS, with a recording
/// job service behind the routes.
final class RouteShapeTests: XCTestCase {
    static let jobID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"

    func withServer(
        allowedOrigins: [String] = [],
        jobs: [JobSnapshot] = [],
        _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let service = RecordingJobService()
        for job in jobs { await service.add(job, userID: "alice") }
        let app = buildApplication(
            configuration: testConfiguration(allowedOrigins: allowedOrigins),
            jobs: service,
            logger: quietLogger
        )
        try await app.test(.router) { client in try await test(client.checkingContract()) }
    }

    static let completed = JobSnapshot(
        status: "COMPLETED",
        message: "Resume optimization complete",
        timestamp: JobTimestamp.date(from: "2024-07-23T18:01:30.000Z")!,
        jobID: JobID(jobID)!,
        download: .init(
            base: "https://resumes.example.com/downloads/",
            token: "v1.\(jobID).1721761290.signature",
            file: JobResultDescription(
                fileType: "txt",
                contentType: "text/plain; charset=utf-8",
                downloadFilename: "optimized_resume_3f2504e0.txt",
                byteCount: 9
            )
        )
    )

    func testStatus_whenJobCompleted_hasTheSeedFieldsAndTheDownloadLink() async throws {
        try await withServer(jobs: [Self.completed]) { client in
            try await client.execute(uri: "/status?jobId=\(Self.jobID)", method: .get, headers: bearer("alice")) {
                response in
                XCTAssertEqual(response.status, .ok)
                let body = try jsonObject(response.body)
                XCTAssertEqual(body["status"] as? String, "COMPLETED")
                XCTAssertEqual(body["message"] as? String, "Resume optimization complete")
                XCTAssertEqual(body["timestamp"] as? String, "2024-07-23T18:01:30.000Z")
                XCTAssertEqual(body["jobId"] as? String, Self.jobID)
                XCTAssertEqual(body["optimizedResumeUrl"] as? String, Self.completed.download?.url)
                XCTAssertEqual(body["fileType"] as? String, "txt")
                XCTAssertEqual(body["contentType"] as? String, "text/plain; charset=utf-8")
                XCTAssertEqual(body["downloadFilename"] as? String, "optimized_resume_3f2504e0.txt")
                XCTAssertNil(body["errorCode"])
            }
        }
    }

    func testStatus_whenJobIdIsMissing_answers400() async throws {
        try await withServer { client in
            try await client.execute(uri: "/status", method: .get, headers: bearer("alice")) { response in
                try assertRefusal(response, .badRequest, messageContains: "jobId")
            }
            try await client.execute(uri: "/status?jobId=", method: .get, headers: bearer("alice")) { response in
                try assertRefusal(response, .badRequest, messageContains: "jobId")
            }
        }
    }

    func testStatus_whenWaitIsNotANumber_answers400() async throws {
        try await withServer(jobs: [Self.completed]) { client in
            try await client.execute(
                uri: "/status?jobId=\(Self.jobID)&wait=soon",
                method: .get,
                headers: bearer("alice")
            ) {
                response in
                try assertRefusal(response, .badRequest, messageContains: "wait")
            }
        }
    }

    func testStatus_whenJobBelongsToAnotherUser_answers404LikeAnUnknownJob() async throws {
        try await withServer(jobs: [Self.completed]) { client in
            var otherUsersAnswer = ""
            try await client.execute(uri: "/status?jobId=\(Self.jobID)", method: .get, headers: bearer("mallory")) {
                response in
                try assertRefusal(response, .notFound)
                otherUsersAnswer = String(buffer: response.body)
            }
            try await client.execute(
                uri: "/status?jobId=\(UUID().uuidString.lowercased())",
                method: .get,
                headers: bearer("alice")
            ) {
                response in
                try assertRefusal(response, .notFound)
                XCTAssertEqual(String(buffer: response.body), otherUsersAnswer)
            }
        }
    }

    func testJobs_listsTheCallersJobsWithoutDownloadLinks() async throws {
        try await withServer(jobs: [Self.completed]) { client in
            try await client.execute(uri: "/jobs", method: .get, headers: bearer("alice")) { response in
                XCTAssertEqual(response.status, .ok)
                let jobs = try XCTUnwrap(try jsonObject(response.body)["jobs"] as? [[String: Any]])
                XCTAssertEqual(jobs.count, 1)
                XCTAssertEqual(jobs.first?["jobId"] as? String, Self.jobID)
                XCTAssertEqual(jobs.first?["status"] as? String, "COMPLETED")
                XCTAssertNil(jobs.first?["optimizedResumeUrl"])
            }
            try await client.execute(uri: "/jobs", method: .get, headers: bearer("mallory")) { response in
                XCTAssertEqual((try jsonObject(response.body)["jobs"] as? [[String: Any]])?.count, 0)
            }
        }
    }

    func testJobs_whenLimitIsOutOfRange_answers400() async throws {
        try await withServer { client in
            for limit in ["0", "101", "ten"] {
                try await client.execute(uri: "/jobs?limit=\(limit)", method: .get, headers: bearer("alice")) {
                    response in
                    try assertRefusal(response, .badRequest, messageContains: "limit")
                }
            }
        }
    }

    func testDeleteJob_whenJobIsUnknown_answers404() async throws {
        try await withServer { client in
            try await client.execute(
                uri: "/jobs/\(UUID().uuidString.lowercased())",
                method: .delete,
                headers: bearer("alice")
            ) {
                response in
                try assertRefusal(response, .notFound)
            }
        }
    }

    func testDownload_sendsTheFileAsAnAttachment() async throws {
        try await withServer { client in
            try await client.execute(uri: "/downloads/valid", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "text/plain; charset=utf-8")
                XCTAssertEqual(
                    response.headers[.contentDisposition],
                    #"attachment; filename="optimized_resume_3f2504e0.txt""#
                )
                XCTAssertEqual(String(buffer: response.body), "JANE DOE\n")
            }
        }
    }

    func testDownload_whenLinkIsRefused_answers403WithAJSONMessage() async throws {
        try await withServer { client in
            try await client.execute(uri: "/downloads/forged", method: .get) { response in
                try assertRefusal(response, .forbidden)
            }
        }
    }

    func testCORS_whenOriginIsAllowed_answersThePreflightAndTagsResponses() async throws {
        try await withServer(allowedOrigins: ["https://app.example.com"]) { client in
            try await client.execute(
                uri: "/optimize",
                method: .options,
                headers: [.origin: "https://app.example.com", .accessControlRequestMethod: "POST"]
            ) { response in
                XCTAssertEqual(response.status, .noContent)
                XCTAssertEqual(response.headers[.accessControlAllowOrigin], "https://app.example.com")
                XCTAssertTrue(response.headers[.accessControlAllowHeaders]?.contains("Authorization") ?? false)
                XCTAssertTrue(response.headers[.accessControlAllowMethods]?.contains("POST") ?? false)
            }
            try await client.execute(uri: "/jobs", method: .get, headers: [.origin: "https://app.example.com"]) {
                response in
                XCTAssertEqual(response.status, .unauthorized)
                XCTAssertEqual(response.headers[.accessControlAllowOrigin], "https://app.example.com")
            }
        }
    }

    func testCORS_whenOriginIsNotAllowed_addsNoAllowOriginHeader() async throws {
        try await withServer(allowedOrigins: ["https://app.example.com"]) { client in
            try await client.execute(uri: "/health", method: .get, headers: [.origin: "https://evil.example.net"]) {
                response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertNil(response.headers[.accessControlAllowOrigin])
            }
            try await client.execute(
                uri: "/optimize",
                method: .options,
                headers: [.origin: "https://evil.example.net", .accessControlRequestMethod: "POST"]
            ) { response in
                try assertRefusal(response, .forbidden)
            }
        }
    }

    // MARK: Methods

    func testWrongMethod_onAKnownRoute_answers405WithAllow() async throws {
        try await withServer(jobs: [Self.completed]) { client in
            let cases: [(uri: String, method: HTTPRequest.Method, allow: String)] = [
                ("/health", .post, "GET, HEAD"),
                ("/optimize", .get, "POST"),
                ("/status?jobId=\(Self.jobID)", .delete, "GET, HEAD"),
                ("/jobs", .put, "GET, HEAD"),
                ("/jobs/\(Self.jobID)", .get, "DELETE"),
                ("/downloads/valid", .post, "GET, HEAD"),
                ("/", .options, "GET, HEAD"),
                ("/openapi.json", .patch, "GET, HEAD"),
            ]
            for item in cases {
                // No token: the method is refused before authentication.
                try await client.execute(uri: item.uri, method: item.method) { response in
                    try assertRefusal(response, .methodNotAllowed, messageContains: item.allow)
                    XCTAssertEqual(response.headers[.allow], item.allow, "\(item.method) \(item.uri)")
                }
            }
        }
    }

    func testUnknownPath_stillAnswers404() async throws {
        try await withServer { client in
            for method in [HTTPRequest.Method.get, .post, .delete] {
                try await client.execute(uri: "/no-such-route", method: method) { response in
                    try assertRefusal(response, .notFound)
                    XCTAssertNil(response.headers[.allow])
                }
            }
            try await client.execute(uri: "/jobs/\(Self.jobID)/extra", method: .delete, headers: bearer("alice")) {
                try assertRefusal($0, .notFound)
            }
        }
    }

    func testHead_answersWhereGetDoes_withTheHeadersAndNoBody() async throws {
        try await withServer(jobs: [Self.completed]) { client in
            try await client.execute(uri: "/health", method: .head) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "application/json; charset=utf-8")
                XCTAssertEqual(response.headers[.contentLength], "15")
                XCTAssertEqual(response.body.readableBytes, 0)
            }
            try await client.execute(uri: "/status?jobId=\(Self.jobID)", method: .head, headers: bearer("alice")) {
                response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.body.readableBytes, 0)
            }
            // HEAD goes through the same checks as GET.
            try await client.execute(uri: "/status?jobId=\(Self.jobID)", method: .head) { response in
                XCTAssertEqual(response.status, .unauthorized)
                XCTAssertEqual(response.body.readableBytes, 0)
            }
            try await client.execute(uri: "/", method: .head) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertNotNil(response.headers[.contentSecurityPolicy])
            }
        }
    }
}
