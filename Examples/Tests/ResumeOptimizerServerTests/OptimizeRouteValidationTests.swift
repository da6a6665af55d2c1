import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import XCTest

@testable import resume_optimizer_server

/// What `POST /optimize` refuses before any job is made, and what it passes on.
final class OptimizeRouteValidationTests: XCTestCase {
    let resume = Data("Jane Doe\nSwift engineer\n".utf8)

    func withServer(
        maximumResumeBytes: Int = 5 * 1024 * 1024,
        _ test: @escaping @Sendable (any TestClientProtocol, RecordingJobService) async throws -> Void
    ) async throws {
        let jobs = RecordingJobService()
        let app = buildApplication(
            configuration: testConfiguration(maximumResumeBytes: maximumResumeBytes),
            jobs: jobs,
            logger: quietLogger
        )
        try await app.test(.router) { client in try await test(client.checkingContract(), jobs) }
    }

    func testOptimize_whenBodyIsValid_answers202WithTheSeedShapeAndHeaders() async throws {
        let resume = self.resume
        try await withServer { client, jobs in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody([
                    "resume": resume.base64EncodedString(), "jobDescription": "Swift engineer", "fileName": "cv.txt",
                ])
            ) { response in
                XCTAssertEqual(response.status, .accepted)
                let body = try jsonObject(response.body)
                XCTAssertEqual(body["message"] as? String, "Resume optimization job submitted")
                XCTAssertEqual(body["status"] as? String, "PROCESSING")
                let jobID = try XCTUnwrap(body["jobId"] as? String)
                XCTAssertEqual(response.headers[.location], "/status?jobId=\(jobID)")
                XCTAssertEqual(response.headers[.retryAfter], "3")
            }
            let submitted = await jobs.submitted
            XCTAssertEqual(submitted.count, 1)
            XCTAssertEqual(submitted.first?.userID, "alice")
            XCTAssertEqual(submitted.first?.submission.resume, resume)
            XCTAssertEqual(submitted.first?.submission.jobDescription, "Swift engineer")
            XCTAssertEqual(submitted.first?.submission.fileName, "cv.txt")
            XCTAssertNil(submitted.first?.idempotencyKey)
        }
    }

    func testOptimize_whenIdempotencyKeyIsSent_passesItToTheJobSystem() async throws {
        let resume = self.resume
        try await withServer { client, jobs in
            var headers = bearer("alice")
            headers[HTTPField.Name("Idempotency-Key")!] = "upload-42"
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: headers,
                body: jsonBody(["resume": resume.base64EncodedString(), "jobDescription": "Swift engineer"])
            ) { response in
                XCTAssertEqual(response.status, .accepted)
            }
            let submitted = await jobs.submitted
            XCTAssertEqual(submitted.first?.idempotencyKey, "upload-42")
        }
    }

    func testOptimize_whenResumeIsADataURLWithLineBreaks_decodesIt() async throws {
        let resume = self.resume
        try await withServer { client, jobs in
            let encoded = resume.base64EncodedString(options: .lineLength64Characters)
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": "data:text/plain;base64,\(encoded)", "jobDescription": "Swift engineer"])
            ) { response in
                XCTAssertEqual(response.status, .accepted)
            }
            let submitted = await jobs.submitted
            XCTAssertEqual(submitted.first?.submission.resume, resume)
        }
    }

    func testOptimize_whenBodyIsNotJSON_answers400() async throws {
        try await withServer { client, jobs in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: ByteBuffer(string: "{\"resume\": ")
            ) { response in
                try assertRefusal(response, .badRequest, messageContains: "not valid JSON")
            }
            let count = await jobs.submitted.count
            XCTAssertEqual(count, 0)
        }
    }

    func testOptimize_whenBodyIsEmpty_answers400() async throws {
        try await withServer { client, _ in
            try await client.execute(uri: "/optimize", method: .post, headers: bearer("alice")) { response in
                try assertRefusal(response, .badRequest)
            }
        }
    }

    func testOptimize_whenBodyIsAJSONArray_answers400() async throws {
        try await withServer { client, _ in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: ByteBuffer(string: "[1,2]")
            ) {
                response in
                try assertRefusal(response, .badRequest, messageContains: "JSON object")
            }
        }
    }

    func testOptimize_whenResumeIsMissing_answers400NamingTheField() async throws {
        try await withServer { client, _ in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["jobDescription": "Swift engineer"])
            ) { response in
                try assertRefusal(response, .badRequest, messageContains: "'resume'")
            }
        }
    }

    func testOptimize_whenJobDescriptionIsMissing_answers400NamingTheField() async throws {
        let resume = self.resume
        try await withServer { client, _ in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": resume.base64EncodedString()])
            ) { response in
                try assertRefusal(response, .badRequest, messageContains: "'jobDescription'")
            }
        }
    }

    func testOptimize_whenAFieldHasTheWrongType_answers400NamingTheField() async throws {
        try await withServer { client, _ in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": 42, "jobDescription": "Swift engineer"])
            ) { response in
                try assertRefusal(response, .badRequest, messageContains: "'resume' must be a string")
            }
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": "SmFuZQ==", "jobDescription": NSNull()])
            ) { response in
                try assertRefusal(response, .badRequest, messageContains: "'jobDescription'")
            }
        }
    }

    func testOptimize_whenJobDescriptionIsBlank_answers400() async throws {
        let resume = self.resume
        try await withServer { client, jobs in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": resume.base64EncodedString(), "jobDescription": "  \n\t "])
            ) { response in
                try assertRefusal(response, .badRequest, messageContains: "must not be empty")
            }
            let count = await jobs.submitted.count
            XCTAssertEqual(count, 0)
        }
    }

    func testOptimize_whenResumeIsNotBase64_answers400() async throws {
        try await withServer { client, _ in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": "this is not base64!", "jobDescription": "Swift engineer"])
            ) { response in
                try assertRefusal(response, .badRequest, messageContains: "not valid base64")
            }
        }
    }

    func testOptimize_whenResumeIsEmpty_answers400() async throws {
        try await withServer { client, _ in
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": "", "jobDescription": "Swift engineer"])
            ) { response in
                try assertRefusal(response, .badRequest, messageContains: "empty")
            }
        }
    }

    func testOptimize_whenDecodedResumeExceedsTheLimit_answers413() async throws {
        try await withServer(maximumResumeBytes: 1000) { client, jobs in
            let tooLarge = Data(repeating: UInt8(ascii: "a"), count: 1001)
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": tooLarge.base64EncodedString(), "jobDescription": "Swift engineer"])
            ) { response in
                try assertRefusal(response, .contentTooLarge)
            }
            let exactlyAtLimit = Data(repeating: UInt8(ascii: "a"), count: 1000)
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": exactlyAtLimit.base64EncodedString(), "jobDescription": "Swift engineer"])
            ) { response in
                XCTAssertEqual(response.status, .accepted)
            }
            let count = await jobs.submitted.count
            XCTAssertEqual(count, 1)
        }
    }

    func testOptimize_whenWholeBodyExceedsTheBound_answers413() async throws {
        try await withServer(maximumResumeBytes: 1000) { client, _ in
            let padding = String(repeating: " ", count: 2_000_000)
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: ByteBuffer(string: "{\"resume\": \"SmFuZQ==\", \(padding) \"jobDescription\": \"x\"}")
            ) { response in
                try assertRefusal(response, .contentTooLarge)
            }
        }
    }

    func testOptimize_whenIdempotencyKeyIsTooLong_answers400() async throws {
        let resume = self.resume
        try await withServer { client, _ in
            var headers = bearer("alice")
            headers[HTTPField.Name("Idempotency-Key")!] = String(repeating: "k", count: 201)
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: headers,
                body: jsonBody(["resume": resume.base64EncodedString(), "jobDescription": "Swift engineer"])
            ) { response in
                try assertRefusal(response, .badRequest, messageContains: "Idempotency-Key")
            }
        }
    }

    func testOptimize_whenResumeIsAPDF_answers415AndMakesNoJob() async throws {
        try await withServer { client, jobs in
            let pdf = Data("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n".utf8)
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": pdf.base64EncodedString(), "jobDescription": "Swift engineer"])
            ) { response in
                try assertRefusal(response, .unsupportedMediaType, messageContains: "PDF")
            }
            let count = await jobs.submitted.count
            XCTAssertEqual(count, 0)
        }
    }

    func testOptimize_whenResumeIsBinaryData_answers415() async throws {
        try await withServer { client, _ in
            let binary = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + Array(repeating: 0, count: 64))
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": binary.base64EncodedString(), "jobDescription": "Swift engineer"])
            ) { response in
                try assertRefusal(response, .unsupportedMediaType)
            }
        }
    }

    func testOptimize_whenContentTypeIsNotJSON_answers415() async throws {
        let body = ["resume": resume.base64EncodedString(), "jobDescription": "Swift engineer"]
        try await withServer { client, jobs in
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                var headers = bearer("alice")
                headers[.contentType] = type
                try await client.execute(uri: "/optimize", method: .post, headers: headers, body: jsonBody(body)) {
                    response in
                    try assertRefusal(response, .unsupportedMediaType, messageContains: "application/json")
                }
            }
            for type in [
                "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/vnd.x+json",
            ] {
                var headers = bearer("alice")
                headers[.contentType] = type
                try await client.execute(uri: "/optimize", method: .post, headers: headers, body: jsonBody(body)) {
                    response in
                    XCTAssertEqual(response.status, .accepted, type)
                }
            }
            let count = await jobs.submitted.count
            XCTAssertEqual(count, 4)
        }
    }

    func testOptimize_whenBodyIsCompressed_answers415() async throws {
        try await withServer { client, jobs in
            var headers = bearer("alice")
            headers[.contentType] = "application/json"
            headers[.contentEncoding] = "gzip"
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: headers,
                body: ByteBuffer(bytes: [0x1F, 0x8B, 0x08, 0x00])
            ) { response in
                try assertRefusal(response, .unsupportedMediaType, messageContains: "Content-Encoding")
            }
            let count = await jobs.submitted.count
            XCTAssertEqual(count, 0)
        }
    }

    func testOptimize_whenJobDescriptionHasMoreCharactersThanTheOptimizerTakes_answers413AtOnce() async throws {
        let resume = self.resume
        try await withServer { client, jobs in
            // 30,001 characters in 30,001 bytes: under the byte limit, over the optimizer's character limit.
            let job = String(repeating: "a", count: 30_001)
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: bearer("alice"),
                body: jsonBody(["resume": resume.base64EncodedString(), "jobDescription": job])
            ) { response in
                try assertRefusal(response, .contentTooLarge, messageContains: "30000 characters")
            }
            let count = await jobs.submitted.count
            XCTAssertEqual(count, 0)
        }
    }

    func testLoggedPath_isCutAndHidesDownloadTokens() {
        let long = "/" + String(repeating: "a", count: 5000)
        let logged = RequestLogMiddleware<ServerRequestContext>.loggablePath(long)
        XCTAssertEqual(logged.count, 201)
        XCTAssertTrue(logged.hasSuffix("…"))
        XCTAssertEqual(RequestLogMiddleware<ServerRequestContext>.loggablePath("/jobs"), "/jobs")
        XCTAssertEqual(
            RequestLogMiddleware<ServerRequestContext>.loggablePath("/downloads/v1.secret"),
            "/downloads/<token>"
        )
    }
}
