import Foundation
import JobOrchestration
import XCTest

final class DownloadLinkSignerTests: XCTestCase {
    private let secret = Array("0123456789abcdef0123456789abcdef".utf8)

    func testVerify_withAFreshLink_grantsTheJobAndUser() throws {
        let signer = try DownloadLinkSigner(configuration: .init(secret: secret))
        let id = JobID.random()
        let now = Date(timeIntervalSince1970: 1_700_000_000)

        let link = signer.sign(jobID: id, userID: "alice@example.com", now: now)
        let grant = try signer.verify(link.token, now: now.addingTimeInterval(3599))

        XCTAssertEqual(grant.jobID, id)
        XCTAssertEqual(grant.userID, "alice@example.com")
        XCTAssertEqual(link.expiresAt, now.addingTimeInterval(3600), "the default lifetime is one hour")
        XCTAssertNil(link.token.rangeOfCharacter(from: CharacterSet(charactersIn: "+/=?&# ")), "the token is URL-safe")
    }

    func testSign_encryptsTheUserID_soTheLinkDoesNotShowWhoseItIs() throws {
        let signer = try DownloadLinkSigner(configuration: .init(secret: secret))
        let user = "alice@example.com"
        let first = signer.sign(jobID: .random(), userID: user)
        let second = signer.sign(jobID: .random(), userID: user)

        for link in [first, second] {
            XCTAssertFalse(link.token.contains("alice"))
            let parts = link.token.split(separator: ".").map(String.init)
            XCTAssertEqual(parts.count, 5)
            let base64 = parts[3].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            let padded = base64 + String(repeating: "=", count: (4 - base64.count % 4) % 4)
            let bytes = try XCTUnwrap(Data(base64Encoded: padded), "the user part is base64url")
            XCTAssertNil(bytes.range(of: Data("alice".utf8)), "the user id is encrypted, not encoded")
            XCTAssertEqual(try signer.verify(link.token).userID, user)
        }
        XCTAssertNotEqual(
            first.token.split(separator: ".")[3],
            second.token.split(separator: ".")[3],
            "two links of one user cannot be linked by their encrypted user part"
        )
    }

    func testSign_withLongAndUnusualUserIDs_roundTrips() throws {
        let signer = try DownloadLinkSigner(configuration: .init(secret: secret))
        let id = JobID.random()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        // Longer than one keystream block (32 bytes), up to the 256 bytes a user id may have.
        let users = [
            "a", String(repeating: "x", count: 31), String(repeating: "y", count: 33),
            "auth0|5f7c8ec7c33c6c004bbafe82/../../etc", String(repeating: "名", count: 85),
            String(repeating: "é", count: 128),
        ]
        for user in users {
            let link = signer.sign(jobID: id, userID: user, now: now)
            XCTAssertEqual(try signer.verify(link.token, now: now).userID, user)
        }
        let later = signer.sign(jobID: id, userID: users[2], now: now.addingTimeInterval(1))
        XCTAssertNotEqual(
            later.token.split(separator: ".")[3],
            signer.sign(jobID: id, userID: users[2], now: now).token.split(separator: ".")[3],
            "another expiry, another keystream"
        )
    }

    func testVerify_afterTheLifetime_throwsLinkExpired() throws {
        let signer = try DownloadLinkSigner(configuration: .init(secret: secret, lifetime: .seconds(60)))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let link = signer.sign(jobID: .random(), userID: "alice", now: now)

        XCTAssertThrowsError(try signer.verify(link.token, now: now.addingTimeInterval(60))) { error in
            XCTAssertEqual((error as? JobError)?.code, .linkExpired)
        }
    }

    func testVerify_withAnyPartChanged_throwsInvalidLink() throws {
        let signer = try DownloadLinkSigner(configuration: .init(secret: secret))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let link = signer.sign(jobID: .random(), userID: "alice", now: now)
        var parts = link.token.split(separator: ".").map(String.init)
        XCTAssertEqual(parts.count, 5)

        var longerExpiry = parts
        longerExpiry[2] = String(Int(parts[2])! + 86_400)
        var otherUser = parts
        otherUser[3] = "Ym9i"  // "bob"
        var otherJob = parts
        otherJob[1] = JobID.random().description
        parts[4] = String(parts[4].reversed())
        let tampered =
            [longerExpiry, otherUser, otherJob, parts].map { $0.joined(separator: ".") } + [
                String(link.token.dropLast(3)), "", "not a link", link.token + ".extra",
            ]

        for token in tampered {
            XCTAssertThrowsError(try signer.verify(token, now: now), token) { error in
                XCTAssertEqual((error as? JobError)?.code, .invalidLink)
            }
        }
    }

    func testVerify_withALinkFromAnotherSecret_throwsInvalidLink() throws {
        let signer = try DownloadLinkSigner(configuration: .init(secret: secret))
        let other = try DownloadLinkSigner(
            configuration: .init(secret: Array("another secret, also 32 bytes long".utf8))
        )
        let link = other.sign(jobID: .random(), userID: "alice")

        XCTAssertThrowsError(try signer.verify(link.token)) { error in
            XCTAssertEqual((error as? JobError)?.code, .invalidLink)
        }
    }

    func testInit_withAShortSecret_throwsInvalidConfiguration() {
        XCTAssertThrowsError(try DownloadLinkSigner(configuration: .init(secret: Array("short".utf8)))) { error in
            XCTAssertEqual((error as? JobError)?.code, .invalidConfiguration)
        }
    }

    func testStatusReads_mintAFreshLinkEachTime_andDownloadChecksIt() async throws {
        let center = try JobCenter(
            kind: ScriptedJob(),
            configuration: .testing()
        )
        let submitted = try await center.submit(.init(text: "file"), userID: "alice")
        try await withRunningJobCenter(center) { center in
            _ = try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }

        let first = try await center.status(of: submitted.jobID, userID: "alice")
        try await Task.sleep(for: .milliseconds(1100))
        let second = try await center.status(of: submitted.jobID, userID: "alice")
        let firstLink = try XCTUnwrap(first.downloadLink)
        let secondLink = try XCTUnwrap(second.downloadLink)

        XCTAssertNotEqual(firstLink.token, secondLink.token)
        XCTAssertGreaterThan(try XCTUnwrap(secondLink.expiresAt), try XCTUnwrap(firstLink.expiresAt))
        let download = try await center.download(token: secondLink.token)
        XCTAssertEqual(download.contentType, "text/plain; charset=utf-8")
        await XCTAssertThrowsJobError(.invalidLink) { try await center.download(token: secondLink.token + "x") }
        await XCTAssertThrowsJobError(.linkExpired) {
            try await center.download(token: secondLink.token, now: Date().addingTimeInterval(7200))
        }
    }
}
