import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import XCTest

@testable import resume_optimizer_server

/// The OpenAPI document against the server: a session over every documented operation through
/// ``ContractCheckedClient`` with the real job system, the page and its security headers, and
/// proof that the checks fail on drift.
final class OpenAPIConformanceTests: XCTestCase {
    let contract = OpenAPIContract.bundled

    func withServer(
        development: Bool = false,
        _ test: @escaping @Sendable (ContractCheckedClient) async throws -> Void
    ) async throws {
        var configuration = testConfiguration()
        configuration.offersDevelopmentToken = development
        var options = JobSystemOptions()
        options.stubDelay = .milliseconds(300)
        let app = try await buildApplication(options: options, configuration: configuration, logger: quietLogger)
        try await app.test(.router) { client in try await test(client.checkingContract()) }
    }

    static let resume = """
        Jordan Rivera
        Backend engineer. Eight years of Swift and PostgreSQL; built a payments API serving 2 million users.
        """
    static let jobDescription = "We hire a backend engineer with Swift, PostgreSQL, Kafka and gRPC."

    // MARK: The server keeps the document's word

    func testSession_overEveryOperation_conformsToTheDocument() async throws {
        let resume = Data(Self.resume.utf8).base64EncodedString()
        let job = Self.jobDescription
        try await withServer { client in
            try await client.execute(uri: "/health", method: .get) { XCTAssertEqual($0.status, .ok) }
            try await client.execute(uri: "/optimize", method: .post, headers: [.contentType: "application/json"]) {
                XCTAssertEqual($0.status, .unauthorized)
            }
            var headers = bearer("alice")
            headers[.contentType] = "application/json"
            headers[HTTPField.Name("Idempotency-Key")!] = "conformance-1"
            let jobID = try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: headers,
                body: jsonBody(["resume": resume, "jobDescription": job, "fileName": "resume.txt"])
            ) { response in
                XCTAssertEqual(response.status, .accepted)
                return try XCTUnwrap(try jsonObject(response.body)["jobId"] as? String)
            }
            try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: headers,
                body: jsonBody(["resume": resume])
            ) {
                XCTAssertEqual($0.status.code / 100, 4)
            }
            try await client.execute(uri: "/status?jobId=\(jobID)", method: .get, headers: bearer("alice")) {
                XCTAssertEqual($0.status, .ok)
            }
            let link = try await client.execute(
                uri: "/status?jobId=\(jobID)&wait=20",
                method: .get,
                headers: bearer("alice")
            ) {
                response in
                XCTAssertEqual(
                    try jsonObject(response.body)["status"] as? String,
                    "COMPLETED",
                    String(buffer: response.body)
                )
                return try XCTUnwrap(try jsonObject(response.body)["optimizedResumeUrl"] as? String)
            }
            let path = try XCTUnwrap(URL(string: link)?.path)
            try await client.execute(uri: path, method: .get) { XCTAssertEqual($0.status, .ok) }
            try await client.execute(uri: path + "x", method: .get) { XCTAssertEqual($0.status, .forbidden) }
            try await client.execute(uri: "/status", method: .get, headers: bearer("alice")) {
                XCTAssertEqual($0.status, .badRequest)
            }
            try await client.execute(uri: "/status?jobId=\(jobID)", method: .get, headers: bearer("mallory")) {
                XCTAssertEqual($0.status, .notFound)
            }
            try await client.execute(uri: "/jobs?limit=5", method: .get, headers: bearer("alice")) {
                XCTAssertEqual($0.status, .ok)
            }
            try await client.execute(uri: "/jobs?limit=0", method: .get, headers: bearer("alice")) {
                XCTAssertEqual($0.status, .badRequest)
            }
            try await client.execute(uri: "/jobs/\(jobID)", method: .delete, headers: bearer("alice")) {
                XCTAssertEqual($0.status, .ok)
            }
            try await client.execute(uri: "/jobs/\(UUID().uuidString)", method: .delete, headers: bearer("alice")) {
                XCTAssertEqual($0.status, .notFound)
            }
            try await client.execute(uri: "/no-such-route", method: .get) { XCTAssertEqual($0.status, .notFound) }
        }
    }

    func testPage_isServedWithAStrictContentSecurityPolicy() async throws {
        try await withServer { client in
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                let policy = try XCTUnwrap(response.headers[.contentSecurityPolicy])
                XCTAssertTrue(policy.contains("default-src 'none'"), policy)
                XCTAssertTrue(policy.contains("script-src 'self'"), policy)
                XCTAssertFalse(policy.contains("unsafe-inline"), policy)
                let html = String(buffer: response.body)
                XCTAssertTrue(html.contains(#"<script src="/app.js" defer></script>"#))
                // No inline script and no inline handlers: the policy would block them.
                XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 1)
                XCTAssertNil(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression))
                XCTAssertFalse(
                    html.contains("http://") || html.contains("https://"),
                    "the page loads nothing from elsewhere"
                )
            }
            try await client.execute(uri: "/app.js", method: .get) { XCTAssertEqual($0.status, .ok) }
            try await client.execute(uri: "/app.css", method: .get) { XCTAssertEqual($0.status, .ok) }
        }
    }

    func testOpenAPIDocument_isServedWithoutAToken() async throws {
        try await withServer { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(Data(response.body.readableBytesView), try WebClientRoutes.openAPIDocument())
                XCTAssertEqual(try jsonObject(response.body)["openapi"] as? String, "3.1.0")
            }
        }
    }

    func testDevelopmentToken_isOfferedOnlyInDevelopmentMode() async throws {
        try await withServer { client in
            try await client.execute(uri: "/dev/token", method: .get) { XCTAssertEqual($0.status, .notFound) }
        }
        try await withServer(development: true) { client in
            let token = try await client.execute(uri: "/dev/token", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                return try XCTUnwrap(try jsonObject(response.body)["token"] as? String)
            }
            try await client.execute(uri: "/jobs", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                XCTAssertEqual($0.status, .ok)
            }
        }
    }

    /// Fails when a route is added to or removed from the server without the document saying so.
    func testRoutes_areExactlyTheDocumentsOperations() throws {
        let router = Router(context: ServerRequestContext.self)
        let configuration = testConfiguration()
        APIRoutes(
            configuration: configuration,
            jobs: RecordingJobService(),
            verifier: BearerTokenVerifier(secret: testSecret, policy: TokenPolicy()),
            longPolls: LongPollLimiter(maximumPerUser: 1)
        ).register(on: router)
        WebClientRoutes(configuration: configuration).register(on: router)
        // `/jobs/:jobID` in the router is `/jobs/{jobId}` in the document: compare with captures blanked.
        func shape(_ path: String) -> String {
            path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") || $0.hasPrefix("{") ? "{}" : String($0) }
                .joined(separator: "/")
        }
        let served = Set(
            router.routes.map {
                "\($0.method.rawValue) \(shape("\($0.path)".hasPrefix("/") ? "\($0.path)" : "/\($0.path)"))"
            }
        )
        guard case .object(let paths) = contract.document["paths"] else { return XCTFail("no paths") }
        var documented: Set<String> = []
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for method in operations.keys where ["get", "post", "put", "patch", "delete", "head"].contains(method) {
                documented.insert("\(method.uppercased()) \(shape(path))")
            }
        }
        XCTAssertEqual(served.subtracting(documented).sorted(), [], "routes the document does not describe")
        XCTAssertEqual(documented.subtracting(served).sorted(), [], "operations the server does not have")
    }

    // MARK: The checks fail on drift

    static let jobID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"

    func status(_ body: String) throws {
        try contract.check(
            method: .get,
            uri: "/status?jobId=\(Self.jobID)",
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: Data(body.utf8)
        )
    }

    func testCheck_whenAShapeDrifts_fails() throws {
        let processing =
            #"{"status":"PROCESSING","message":"Tailoring","timestamp":"2024-07-23T18:00:00.000Z","jobId":"\#(Self.jobID)"}"#
        XCTAssertNoThrow(try status(processing))
        // A field the document does not have.
        XCTAssertThrowsError(try status(processing.replacingOccurrences(of: "}", with: #","progress":3}"#)))
        // A required field gone.
        XCTAssertThrowsError(try status(processing.replacingOccurrences(of: #","message":"Tailoring""#, with: "")))
        // A wrong type, an unknown status, a timestamp without milliseconds.
        XCTAssertThrowsError(try status(processing.replacingOccurrences(of: #""Tailoring""#, with: "7")))
        XCTAssertThrowsError(try status(processing.replacingOccurrences(of: "PROCESSING", with: "RUNNING")))
        XCTAssertThrowsError(try status(processing.replacingOccurrences(of: ".000Z", with: "Z")))
        // COMPLETED without its download link; FAILED without its code.
        XCTAssertThrowsError(try status(processing.replacingOccurrences(of: "PROCESSING", with: "COMPLETED")))
        XCTAssertThrowsError(try status(processing.replacingOccurrences(of: "PROCESSING", with: "FAILED")))
    }

    func testCheck_whenARouteOrStatusDrifts_fails() throws {
        let error = Data(#"{"message":"No."}"#.utf8)
        let json: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        // A status the operation does not document.
        XCTAssertThrowsError(
            try contract.check(method: .get, uri: "/health", status: .notFound, headers: json, body: error)
        )
        // A route the document does not have that answers 200.
        XCTAssertThrowsError(
            try contract.check(method: .get, uri: "/admin", status: .ok, headers: json, body: Data("{}".utf8))
        )
        // An undocumented content type.
        XCTAssertThrowsError(
            try contract.check(
                method: .get,
                uri: "/health",
                status: .ok,
                headers: [.contentType: "text/plain"],
                body: Data("ok".utf8)
            )
        )
        // A documented required header missing (401 without WWW-Authenticate).
        XCTAssertThrowsError(
            try contract.check(method: .get, uri: "/jobs", status: .unauthorized, headers: json, body: error)
        )
        var challenged = json
        challenged[.wwwAuthenticate] = #"Bearer realm="resume-optimizer""#
        XCTAssertNoThrow(
            try contract.check(method: .get, uri: "/jobs", status: .unauthorized, headers: challenged, body: error)
        )
    }

    func testValidator_refusesKeywordsOutsideItsSubset() {
        let validator = JSONSchemaValidator(root: .null)
        let schema = JSONValue.object(["type": .string("string"), "dependentRequired": .object([:])])
        XCTAssertFalse(validator.validate(.string("x"), against: schema).isEmpty)
    }
}
