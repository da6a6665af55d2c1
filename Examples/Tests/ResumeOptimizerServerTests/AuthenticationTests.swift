import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import XCTest

@testable import resume_optimizer_server

/// Which routes need a bearer token, and how bad tokens are refused.
final class AuthenticationTests: XCTestCase {
    func withServer(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(configuration: testConfiguration(), jobs: RecordingJobService(), logger: quietLogger)
        try await app.test(.router) { client in try await test(client.checkingContract()) }
    }

    func testProtectedRoutes_withoutAToken_answer401WithAJSONMessage() async throws {
        try await withServer { client in
            let routes: [(String, HTTPRequest.Method)] = [
                ("/optimize", .post), ("/status?jobId=x", .get), ("/jobs", .get), ("/jobs/x", .delete),
            ]
            for (uri, method) in routes {
                try await client.execute(uri: uri, method: method) { response in
                    try assertRefusal(response, .unauthorized, messageContains: "Authorization")
                    XCTAssertEqual(response.headers[.wwwAuthenticate], #"Bearer realm="resume-optimizer""#)
                }
            }
        }
    }

    func testProtectedRoute_withAnotherScheme_answers401() async throws {
        try await withServer { client in
            try await client.execute(uri: "/jobs", method: .get, headers: [.authorization: "Basic YWxpY2U6c2VjcmV0"]) {
                response in
                try assertRefusal(response, .unauthorized, messageContains: "Bearer")
            }
        }
    }

    func testProtectedRoute_withATokenSignedByAnotherSecret_answers401() async throws {
        try await withServer { client in
            let forged = TestToken.hs256(
                subject: "alice",
                secret: Array("not-the-server-secret-but-32-bytes-long".utf8)
            )
            try await client.execute(uri: "/jobs", method: .get, headers: [.authorization: "Bearer \(forged)"]) {
                response in
                try assertRefusal(response, .unauthorized, messageContains: "signature")
                XCTAssertEqual(
                    response.headers[.wwwAuthenticate],
                    #"Bearer realm="resume-optimizer", error="invalid_token""#
                )
            }
        }
    }

    func testProtectedRoute_withAnExpiredToken_answers401() async throws {
        try await withServer { client in
            let expired = TestToken.hs256(
                subject: "alice",
                lifetime: .seconds(60),
                now: Date(timeIntervalSinceNow: -3600)
            )
            try await client.execute(uri: "/jobs", method: .get, headers: [.authorization: "Bearer \(expired)"]) {
                response in
                try assertRefusal(response, .unauthorized, messageContains: "expired")
            }
        }
    }

    func testProtectedRoute_withGarbageToken_answers401() async throws {
        try await withServer { client in
            try await client.execute(uri: "/jobs", method: .get, headers: [.authorization: "Bearer not-a-jwt"]) {
                response in
                try assertRefusal(response, .unauthorized)
            }
        }
    }

    func testProtectedRoute_withAValidToken_isServed() async throws {
        try await withServer { client in
            try await client.execute(uri: "/jobs", method: .get, headers: bearer("alice")) { response in
                XCTAssertEqual(response.status, .ok)
            }
        }
    }

    func testHealth_needsNoToken() async throws {
        try await withServer { client in
            try await client.execute(uri: "/health", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(try jsonObject(response.body)["status"] as? String, "ok")
            }
        }
    }

    func testDownload_needsNoBearerToken() async throws {
        try await withServer { client in
            try await client.execute(uri: "/downloads/valid", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
            }
        }
    }

    func testUnknownRoute_answers404WithAJSONMessage() async throws {
        try await withServer { client in
            try await client.execute(uri: "/nowhere", method: .get) { response in
                try assertRefusal(response, .notFound)
            }
        }
    }
}
