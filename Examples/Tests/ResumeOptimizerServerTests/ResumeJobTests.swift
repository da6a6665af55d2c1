import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobOrchestration
import ResumeParsing
import XCTest

@testable import resume_optimizer_server

/// The server as `resume-optimizer-server` builds it: the resume job kind with the offline optimizer.
final class ResumeJobTests: XCTestCase {
    func withServer(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let configuration = testConfiguration()
        let app = try await buildApplication(
            options: JobSystemOptions(),
            configuration: configuration,
            logger: quietLogger
        )
        try await app.test(.router) { client in try await test(client.checkingContract()) }
    }

    func testOptimize_withAPlainTextResume_completesWithTheOptimizedFile() async throws {
        let resume = """
            Jane Doe
            jane@example.com

            Experience
            Backend Engineer, Acme Corp, 2019-2024
            Built billing services in Swift and PostgreSQL.

            Skills
            Python, Swift, PostgreSQL, Docker
            """
        try await withServer { client in
            let jobID = try await EndToEndTests.submit(
                client,
                resume: resume,
                jobDescription: "We need a backend engineer with Swift, PostgreSQL and Kubernetes."
            )
            let status = try await EndToEndTests.waitForEnd(client, jobID: jobID)

            XCTAssertEqual(status["status"] as? String, "COMPLETED", "\(status)")
            XCTAssertEqual(status["message"] as? String, "Resume optimization complete")
            XCTAssertEqual(status["fileType"] as? String, "txt")
            XCTAssertEqual(status["contentType"] as? String, "text/plain; charset=utf-8")
            XCTAssertEqual(status["downloadFilename"] as? String, "optimized_resume_\(jobID.prefix(8)).txt")
            let before = try XCTUnwrap(status["matchScoreBefore"] as? Int)
            let after = try XCTUnwrap(status["matchScoreAfter"] as? Int)
            XCTAssertTrue((0...100).contains(before) && (0...100).contains(after), "\(before) → \(after)")
            XCTAssertTrue(
                (status["missingKeywords"] as? [String])?.contains { $0.lowercased() == "kubernetes" } ?? false,
                "\(status)"
            )
            XCTAssertNotNil(status["warnings"] as? [String])
            let link = try XCTUnwrap(status["optimizedResumeUrl"] as? String)
            try await client.execute(uri: String(link.dropFirst("https://resumes.example.com".count)), method: .get) {
                response in
                XCTAssertEqual(response.status, .ok)
                let text = String(buffer: response.body)
                XCTAssertTrue(text.contains("Jane Doe"), text)
                XCTAssertTrue(text.contains("jane@example.com"), text)
            }
        }
    }

    func testOptimize_withAWordResume_servesTheUsersDocumentEditedInPlace() async throws {
        let resumeText = """
            Jane Doe
            jane@example.com

            EXPERIENCE
            Backend Engineer, Acme Corp, 2019 - 2024
            - Built billing services in Swift and PostgreSQL
            - Ran services on Docker

            SKILLS
            Python, Swift, PostgreSQL, Docker
            """
        let original = try SimpleDocument.make(text: resumeText)
        let docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        try await withServer { client in
            var texts: [String] = []
            var files: [Data] = []
            for trackChanges in [false, true] {
                let jobID = try await client.execute(
                    uri: "/optimize",
                    method: .post,
                    headers: bearer("alice"),
                    body: jsonBody([
                        "resume": original.base64EncodedString(),
                        "jobDescription": "We need a backend engineer with Swift, PostgreSQL and Kubernetes.",
                        "outputFormat": "docx",
                        "trackChanges": trackChanges,
                    ])
                ) { response in
                    XCTAssertEqual(response.status, .accepted, String(buffer: response.body))
                    return try XCTUnwrap(try jsonObject(response.body)["jobId"] as? String)
                }
                let status = try await EndToEndTests.waitForEnd(client, jobID: jobID)

                XCTAssertEqual(status["status"] as? String, "COMPLETED", "\(status)")
                XCTAssertEqual(status["fileType"] as? String, "docx")
                XCTAssertEqual(status["contentType"] as? String, docxType)
                XCTAssertEqual(status["downloadFilename"] as? String, "optimized_resume_\(jobID.prefix(8)).docx")
                let link = try XCTUnwrap(status["optimizedResumeUrl"] as? String)
                let path = String(link.dropFirst("https://resumes.example.com".count))
                let (text, file) = try await client.execute(uri: path, method: .get) { response in
                    XCTAssertEqual(response.status, .ok)
                    XCTAssertEqual(response.headers[.contentType], docxType)
                    XCTAssertEqual(
                        response.headers[.contentDisposition],
                        "attachment; filename=\"optimized_resume_\(jobID.prefix(8)).docx\""
                    )
                    let body = Data(response.body.readableBytesView)
                    let document = try ResumeParser().parse(body)
                    XCTAssertEqual(document.format, .docx)
                    XCTAssertTrue(document.text.contains("Jane Doe"), "the tailored resume, read back")
                    return (document.text, body)
                }
                texts.append(text)
                files.append(file)
            }
            // Tracked changes are another file that reads the same (insertions are read, deletions not).
            XCTAssertEqual(texts.count, 2)
            XCTAssertEqual(texts.first, texts.last)
            XCTAssertNotEqual(files.first, files.last)
        }
    }

    func testOptimize_whenTheResumeHasNoText_endsFailedWithTheParsersCode() async throws {
        try await withServer { client in
            let jobID = try await EndToEndTests.submit(client, resume: " \n\n \t \n", jobDescription: "Swift engineer")
            let status = try await EndToEndTests.waitForEnd(client, jobID: jobID)

            XCTAssertEqual(status["status"] as? String, "FAILED", "\(status)")
            XCTAssertEqual(status["errorCode"] as? String, "noText")
            XCTAssertFalse((status["message"] as? String ?? "").isEmpty)
        }
    }
}
