import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobOrchestration
import NIOCore
import Synchronization
import XCTest

@testable import resume_optimizer_server

/// A job kind for these tests: it upper-cases the resume text, or fails when the job description
/// says `fail`, or waits when it says `slow`.
struct UppercaseJob: ServedJobKind {
    struct Input: Codable, Sendable {
        var resume: Data
        var jobDescription: String
    }

    static let identifier = "uppercase-test"

    static func input(for submission: ResumeSubmission) -> Input {
        Input(resume: submission.resume, jobDescription: submission.jobDescription)
    }
    var submittedMessage: String { "Resume optimization job submitted" }
    var completedMessage: String { "Resume optimization complete" }

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<NoJobDetails> {
        await context.reportStage("Extracting resume text")
        if input.jobDescription == "slow" { try await Task.sleep(for: .seconds(30)) }
        if input.jobDescription == "fail" {
            throw JobFailure(code: "unreadableResume", message: "The resume has no text. Upload a resume with text.")
        }
        let text = String(decoding: input.resume, as: UTF8.self).uppercased()
        return JobOutput(
            artifact: JobArtifact(
                data: Data(text.utf8),
                fileType: "txt",
                contentType: "text/plain; charset=utf-8",
                downloadFilename: "optimized_resume_\(context.jobID.shortPrefix).txt"
            )
        )
    }
}

/// Every route against a real `JobCenter` (in memory) running as an application service.
final class EndToEndTests: XCTestCase {
    static let linkSecret = Array("end-to-end-download-link-secret-32b+".utf8)

    @discardableResult
    func withServer<Value: Sendable>(
        store: any JobStore = InMemoryJobStore(),
        _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let center = try JobCenter(
            kind: UppercaseJob(),
            store: store,
            configuration: .init(downloadLinks: .init(secret: Self.linkSecret))
        )
        let configuration = testConfiguration()
        let service = JobCenterService(center: center, publicURL: configuration.effectivePublicURL)
        let app = buildApplication(configuration: configuration, jobs: service, services: [center], logger: quietLogger)
        return try await app.test(.router) { client in try await test(client.checkingContract()) }
    }

    /// Submits a job for `user` and returns its id.
    static func submit(
        _ client: some TestClientProtocol,
        user: String = "alice",
        resume: String = "Jane Doe, Swift engineer",
        jobDescription: String = "Swift"
    ) async throws -> String {
        try await client.execute(
            uri: "/optimize",
            method: .post,
            headers: bearer(user),
            body: jsonBody(["resume": Data(resume.utf8).base64EncodedString(), "jobDescription": jobDescription])
        ) { response in
            XCTAssertEqual(response.status, .accepted, String(buffer: response.body))
            return try XCTUnwrap(try jsonObject(response.body)["jobId"] as? String)
        }
    }

    /// Long-polls until the job ends and returns the status body.
    static func waitForEnd(_ client: some TestClientProtocol, jobID: String, user: String = "alice") async throws
        -> [String: Any]
    {
        try await client.execute(uri: "/status?jobId=\(jobID)&wait=10", method: .get, headers: bearer(user)) {
            response in
            XCTAssertEqual(response.status, .ok)
            return try jsonObject(response.body)
        }
    }

    func testSubmitPollDownload_completesAndServesTheFileThroughAnAbsoluteSignedLink() async throws {
        try await withServer { client in
            let jobID = try await Self.submit(client)

            let status = try await Self.waitForEnd(client, jobID: jobID)
            XCTAssertEqual(status["status"] as? String, "COMPLETED")
            XCTAssertEqual(status["message"] as? String, "Resume optimization complete")
            XCTAssertEqual(status["jobId"] as? String, jobID)
            let timestamp = try XCTUnwrap(status["timestamp"] as? String)
            XCTAssertNotNil(
                timestamp.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression),
                timestamp
            )
            XCTAssertEqual(status["fileType"] as? String, "txt")
            XCTAssertEqual(status["contentType"] as? String, "text/plain; charset=utf-8")
            XCTAssertEqual(status["downloadFilename"] as? String, "optimized_resume_\(jobID.prefix(8)).txt")
            let link = try XCTUnwrap(status["optimizedResumeUrl"] as? String)
            XCTAssertTrue(link.hasPrefix("https://resumes.example.com/downloads/"), link)

            let path = String(link.dropFirst("https://resumes.example.com".count))
            try await client.execute(uri: path, method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(String(buffer: response.body), "JANE DOE, SWIFT ENGINEER")
                XCTAssertEqual(response.headers[.contentType], "text/plain; charset=utf-8")
                XCTAssertEqual(
                    response.headers[.contentDisposition],
                    "attachment; filename=\"optimized_resume_\(jobID.prefix(8)).txt\""
                )
            }
        }
    }

    func testStatus_whileProcessing_namesTheStageAndHasNoLink() async throws {
        try await withServer { client in
            let jobID = try await Self.submit(client, jobDescription: "slow")
            try await client.execute(uri: "/status?jobId=\(jobID)&wait=0.2", method: .get, headers: bearer("alice")) {
                response in
                let body = try jsonObject(response.body)
                XCTAssertEqual(body["status"] as? String, "PROCESSING")
                XCTAssertNil(body["optimizedResumeUrl"])
                XCTAssertTrue(
                    ["Resume optimization job submitted", "Extracting resume text"].contains(body["message"] as? String)
                )
            }
            try await client.execute(uri: "/jobs/\(jobID)", method: .delete, headers: bearer("alice")) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(try jsonObject(response.body)["status"] as? String, "CANCELLED")
            }
        }
    }

    func testFailedJob_reportsTheMessageAndAStableErrorCode() async throws {
        try await withServer { client in
            let jobID = try await Self.submit(client, jobDescription: "fail")
            let status = try await Self.waitForEnd(client, jobID: jobID)
            XCTAssertEqual(status["status"] as? String, "FAILED")
            XCTAssertEqual(status["message"] as? String, "The resume has no text. Upload a resume with text.")
            XCTAssertEqual(status["errorCode"] as? String, "unreadableResume")
            XCTAssertNil(status["optimizedResumeUrl"])
        }
    }

    func testAnotherUsersJob_isNotFoundForStatusCancelAndHistory() async throws {
        try await withServer { client in
            let jobID = try await Self.submit(client, user: "alice")
            _ = try await Self.waitForEnd(client, jobID: jobID)

            try await client.execute(uri: "/status?jobId=\(jobID)", method: .get, headers: bearer("mallory")) {
                response in
                try assertRefusal(response, .notFound)
            }
            try await client.execute(uri: "/jobs/\(jobID)", method: .delete, headers: bearer("mallory")) { response in
                try assertRefusal(response, .notFound)
            }
            try await client.execute(uri: "/jobs", method: .get, headers: bearer("mallory")) { response in
                XCTAssertEqual((try jsonObject(response.body)["jobs"] as? [[String: Any]])?.count, 0)
            }
            try await client.execute(uri: "/status?jobId=not-a-uuid", method: .get, headers: bearer("alice")) {
                response in
                try assertRefusal(response, .notFound)
            }
        }
    }

    func testHistory_listsTheCallersJobsNewestFirst() async throws {
        try await withServer { client in
            let first = try await Self.submit(client, resume: "first")
            _ = try await Self.waitForEnd(client, jobID: first)
            let second = try await Self.submit(client, resume: "second")
            _ = try await Self.waitForEnd(client, jobID: second)

            try await client.execute(uri: "/jobs", method: .get, headers: bearer("alice")) { response in
                let jobs = try XCTUnwrap(try jsonObject(response.body)["jobs"] as? [[String: Any]])
                XCTAssertEqual(jobs.compactMap { $0["jobId"] as? String }, [second, first])
                XCTAssertEqual(jobs.compactMap { $0["status"] as? String }, ["COMPLETED", "COMPLETED"])
            }
            try await client.execute(uri: "/jobs?limit=1", method: .get, headers: bearer("alice")) { response in
                let jobs = try XCTUnwrap(try jsonObject(response.body)["jobs"] as? [[String: Any]])
                XCTAssertEqual(jobs.compactMap { $0["jobId"] as? String }, [second])
            }
        }
    }

    func testIdempotencyKey_returnsTheSameJobAndRefusesADifferentBody() async throws {
        try await withServer { client in
            var headers = bearer("alice")
            headers[HTTPField.Name("Idempotency-Key")!] = "upload-1"
            let body = ["resume": Data("Jane".utf8).base64EncodedString(), "jobDescription": "Swift"]
            let first = try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: headers,
                body: jsonBody(body)
            ) {
                try jsonObject($0.body)["jobId"] as? String
            }
            let again = try await client.execute(
                uri: "/optimize",
                method: .post,
                headers: headers,
                body: jsonBody(body)
            ) {
                XCTAssertEqual($0.status, .accepted)
                return try jsonObject($0.body)["jobId"] as? String
            }
            XCTAssertNotNil(first)
            XCTAssertEqual(first, again)

            var different = body
            different["jobDescription"] = "Kotlin"
            try await client.execute(uri: "/optimize", method: .post, headers: headers, body: jsonBody(different)) {
                response in
                try assertRefusal(response, .conflict)
            }
        }
    }

    func testDownload_whenTheLinkIsAltered_answers403() async throws {
        try await withServer { client in
            let jobID = try await Self.submit(client)
            let status = try await Self.waitForEnd(client, jobID: jobID)
            let link = try XCTUnwrap(status["optimizedResumeUrl"] as? String)
            var path = String(link.dropFirst("https://resumes.example.com".count))
            let last = path.removeLast()
            path.append(last == "A" ? "B" : "A")

            try await client.execute(uri: path, method: .get) { response in
                try assertRefusal(response, .forbidden)
            }
            try await client.execute(uri: "/downloads/garbage", method: .get) { response in
                try assertRefusal(response, .forbidden)
            }
        }
    }

    func testDownload_whenTheLinkHasExpired_answers403SayingSo() async throws {
        try await withServer { client in
            let jobID = try await Self.submit(client)
            _ = try await Self.waitForEnd(client, jobID: jobID)
            let signer = try DownloadLinkSigner(configuration: .init(secret: Self.linkSecret, lifetime: .seconds(60)))
            let expired = signer.sign(
                jobID: try XCTUnwrap(JobID(jobID)),
                userID: "alice",
                now: Date(timeIntervalSinceNow: -3600)
            )

            try await client.execute(uri: "/downloads/\(expired.token)", method: .get) { response in
                try assertRefusal(response, .forbidden, messageContains: "expired")
            }
        }
    }

    func testDeleteJob_whenTheJobHasEnded_erasesItAndItsLinkStopsWorking() async throws {
        try await withServer { client in
            let jobID = try await Self.submit(client)
            let status = try await Self.waitForEnd(client, jobID: jobID)
            let link = try XCTUnwrap(status["optimizedResumeUrl"] as? String)
            let path = String(link.dropFirst("https://resumes.example.com".count))
            try await client.execute(uri: path, method: .get) { XCTAssertEqual($0.status, .ok) }
            try await client.execute(uri: "/jobs/\(jobID)", method: .delete, headers: bearer("alice")) { response in
                XCTAssertEqual(response.status, .ok)
                let body = try jsonObject(response.body)
                XCTAssertEqual(body["status"] as? String, "COMPLETED")
                XCTAssertNil(body["optimizedResumeUrl"])
            }
            try await client.execute(uri: path, method: .get) { XCTAssertEqual($0.status.code / 100, 4) }
            try await client.execute(uri: "/status?jobId=\(jobID)", method: .get, headers: bearer("alice")) {
                try assertRefusal($0, .notFound)
            }
            try await client.execute(uri: "/jobs", method: .get, headers: bearer("alice")) { response in
                XCTAssertEqual((try jsonObject(response.body)["jobs"] as? [[String: Any]])?.count, 0)
            }
        }
    }

    func testDeleteJob_whileRunning_cancelsItAndASecondDeleteErasesIt() async throws {
        try await withServer { client in
            let jobID = try await Self.submit(client, jobDescription: "slow")
            try await client.execute(uri: "/jobs/\(jobID)", method: .delete, headers: bearer("alice")) { response in
                XCTAssertEqual(try jsonObject(response.body)["status"] as? String, "CANCELLED")
            }
            try await client.execute(uri: "/status?jobId=\(jobID)", method: .get, headers: bearer("alice")) {
                response in
                XCTAssertEqual(try jsonObject(response.body)["status"] as? String, "CANCELLED")
            }
            try await client.execute(uri: "/jobs/\(jobID)", method: .delete, headers: bearer("alice")) {
                XCTAssertEqual($0.status, .ok)
            }
            try await client.execute(uri: "/status?jobId=\(jobID)", method: .get, headers: bearer("alice")) {
                try assertRefusal($0, .notFound)
            }
        }
    }

    func testQueueBounds_answer429PerUserAnd503InAll_butARetriedSubmitFindsItsJob() async throws {
        let center = try JobCenter(
            kind: UppercaseJob(),
            store: InMemoryJobStore(),
            configuration: .init(
                downloadLinks: .init(secret: Self.linkSecret),
                maximumUnfinishedJobsPerUser: 2,
                maximumUnfinishedJobs: 3
            )
        )
        let configuration = testConfiguration()
        let service = JobCenterService(center: center, publicURL: configuration.effectivePublicURL)
        let app = buildApplication(configuration: configuration, jobs: service, services: [center], logger: quietLogger)
        try await app.test(.router) { client in
            let client = client.checkingContract()
            let first = try await Self.submit(client, jobDescription: "slow")
            let body = jsonBody(["resume": Data("x".utf8).base64EncodedString(), "jobDescription": "slow"])
            var keyed = bearer("alice")
            keyed[HTTPField.Name("Idempotency-Key")!] = "at-the-cap"
            let second = try await client.execute(uri: "/optimize", method: .post, headers: keyed, body: body) {
                XCTAssertEqual($0.status, .accepted)
                return try XCTUnwrap(try jsonObject($0.body)["jobId"] as? String)
            }
            try await client.execute(uri: "/optimize", method: .post, headers: bearer("alice"), body: body) {
                try assertRefusal($0, .tooManyRequests, messageContains: "2 jobs")
                XCTAssertEqual($0.headers[.retryAfter], "30")
            }
            // At the cap, a retry of an earlier submit (its key) is not a new job: it gets that job.
            try await client.execute(uri: "/optimize", method: .post, headers: keyed, body: body) {
                XCTAssertEqual($0.status, .accepted, String(buffer: $0.body))
                XCTAssertEqual(try jsonObject($0.body)["jobId"] as? String, second)
            }
            // Another user still may, until the queue holds three jobs in all.
            let third = try await Self.submit(client, user: "bob", jobDescription: "slow")
            try await client.execute(uri: "/optimize", method: .post, headers: bearer("carol"), body: body) {
                try assertRefusal($0, .serviceUnavailable, messageContains: "queue is full")
                XCTAssertEqual($0.headers[.retryAfter], "30")
            }
            // A cancelled job no longer counts.
            try await client.execute(uri: "/jobs/\(first)", method: .delete, headers: bearer("alice")) {
                XCTAssertEqual($0.status, .ok)
            }
            let fourth = try await Self.submit(client, jobDescription: "slow")
            for (job, user) in [(second, "alice"), (third, "bob"), (fourth, "alice")] {
                try await client.execute(uri: "/jobs/\(job)", method: .delete, headers: bearer(user)) {
                    XCTAssertEqual($0.status, .ok)
                }
            }
        }
    }

    func testDirectoryStore_keepsCompletedJobsAndDownloadsAcrossARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("server-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }

        let jobID = try await withServer(store: DirectoryJobStore(root: directory)) { client in
            let id = try await Self.submit(client)
            let status = try await Self.waitForEnd(client, jobID: id)
            XCTAssertEqual(status["status"] as? String, "COMPLETED")
            return id
        }

        try await withServer(store: DirectoryJobStore(root: directory)) { client in
            let status = try await Self.waitForEnd(client, jobID: jobID)
            XCTAssertEqual(status["status"] as? String, "COMPLETED")
            let link = try XCTUnwrap(status["optimizedResumeUrl"] as? String)
            try await client.execute(uri: String(link.dropFirst("https://resumes.example.com".count)), method: .get) {
                response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(String(buffer: response.body), "JANE DOE, SWIFT ENGINEER")
            }
        }
    }
}

/// A store that can be taken away, as a database that restarts is: while it is away every call throws.
final class InterruptibleJobStore: JobStore {
    struct Unavailable: Error {}

    let base = InMemoryJobStore()
    let isAway = Mutex(false)

    private func check() throws {
        if isAway.withLock({ $0 }) { throw Unavailable() }
    }

    func insert(_ record: JobRecord, input: Data) async throws -> JobInsertion {
        try check()
        return try await base.insert(record, input: input)
    }
    func record(for id: JobID, userID: String) async throws -> JobRecord? {
        try check()
        return try await base.record(for: id, userID: userID)
    }
    func input(for id: JobID, userID: String) async throws -> Data? {
        try check()
        return try await base.input(for: id, userID: userID)
    }
    func result(for id: JobID, userID: String) async throws -> Data? {
        try check()
        return try await base.result(for: id, userID: userID)
    }
    func record(forIdempotencyKey key: String, userID: String) async throws -> JobRecord? {
        try check()
        return try await base.record(forIdempotencyKey: key, userID: userID)
    }
    func records(forUser userID: String, kind: String?, after cursor: JobHistoryCursor?, limit: Int) async throws
        -> [JobRecord]
    {
        try check()
        return try await base.records(forUser: userID, kind: kind, after: cursor, limit: limit)
    }
    func claimJobs(_ request: JobClaimRequest) async throws -> [JobClaim] {
        try check()
        return try await base.claimJobs(request)
    }
    func renewLeases(_ leases: [JobLease], leaseDuration: Duration, now: Date) async throws -> [JobLease] {
        try check()
        return try await base.renewLeases(leases, leaseDuration: leaseDuration, now: now)
    }
    func releaseLeases(owner: String) async throws -> Int {
        try check()
        return try await base.releaseLeases(owner: owner)
    }
    func update(_ record: JobRecord, condition: JobWriteCondition) async throws -> Bool {
        try check()
        return try await base.update(record, condition: condition)
    }
    func finish(_ record: JobRecord, result: Data?, keepInput: Bool, condition: JobWriteCondition) async throws
        -> Bool
    {
        try check()
        return try await base.finish(record, result: result, keepInput: keepInput, condition: condition)
    }
    func delete(id: JobID, userID: String) async throws -> Bool {
        try check()
        return try await base.delete(id: id, userID: userID)
    }
    func unfinishedJobCount(userID: String) async throws -> Int {
        try check()
        return try await base.unfinishedJobCount(userID: userID)
    }
    func unfinishedJobCount() async throws -> Int {
        try check()
        return try await base.unfinishedJobCount()
    }
    func prune(finishedBefore: Date, resultsFinishedBefore: Date?) async throws -> JobPruneSummary {
        try check()
        return try await base.prune(finishedBefore: finishedBefore, resultsFinishedBefore: resultsFinishedBefore)
    }
}

extension EndToEndTests {
    func testStoreAway_answers503WithRetryAfter_andServesAgainWhenItIsBack() async throws {
        let store = InterruptibleJobStore()
        try await withServer(store: store) { client in
            let id = try await Self.submit(client)
            _ = try await Self.waitForEnd(client, jobID: id)

            store.isAway.withLock { $0 = true }
            let body = jsonBody(["resume": Data("x".utf8).base64EncodedString(), "jobDescription": "Swift"])
            let requests: [(String, HTTPRequest.Method, ByteBuffer?)] = [
                ("/status?jobId=\(id)", .get, nil),
                ("/jobs", .get, nil),
                ("/optimize", .post, body),
                ("/jobs/\(id)", .delete, nil),
            ]
            for (uri, method, body) in requests {
                try await client.execute(uri: uri, method: method, headers: bearer("alice"), body: body) {
                    try assertRefusal($0, .serviceUnavailable, messageContains: "job store")
                    XCTAssertNotNil($0.headers[.retryAfter], "\(method) \(uri) says when to retry")
                }
            }

            store.isAway.withLock { $0 = false }
            let status = try await Self.waitForEnd(client, jobID: id)
            XCTAssertEqual(status["status"] as? String, "COMPLETED", "nothing was lost while the store was away")
            _ = try await Self.submit(client)
        }
    }
}

extension EndToEndTests {
    func testLongPolls_beyondTheUsersCap_answerAtOnce_whileOtherUsersStillWait() async throws {
        let center = try JobCenter(
            kind: UppercaseJob(),
            store: InMemoryJobStore(),
            configuration: .init(downloadLinks: .init(secret: Self.linkSecret))
        )
        var configuration = testConfiguration()
        configuration.maximumLongPollsPerUser = 2
        let service = JobCenterService(center: center, publicURL: configuration.effectivePublicURL)
        let app = buildApplication(configuration: configuration, jobs: service, services: [center], logger: quietLogger)
        try await app.test(.router) { client in
            let client = client.checkingContract()
            let alices = try await Self.submit(client, jobDescription: "slow")
            let bobs = try await Self.submit(client, user: "bob", jobDescription: "slow")
            /// A long poll of 3 s; returns how long it took.
            @Sendable func poll(_ job: String, _ user: String) async throws -> Duration {
                let start = ContinuousClock.now
                try await client.execute(uri: "/status?jobId=\(job)&wait=3", method: .get, headers: bearer(user)) {
                    XCTAssertEqual($0.status, .ok)
                    XCTAssertEqual(try jsonObject($0.body)["status"] as? String, "PROCESSING")
                }
                return ContinuousClock.now - start
            }
            async let first = poll(alices, "alice")
            async let second = poll(alices, "alice")
            try await Task.sleep(for: .milliseconds(500))
            async let bob = poll(bobs, "bob")
            let third = try await poll(alices, "alice")
            XCTAssertLessThan(third, .seconds(2), "alice's third long poll answers at once")
            for waited in try await [first, second, bob] {
                XCTAssertGreaterThan(waited, .milliseconds(2500), "polls within the cap, and other users', wait")
            }
            // The places are given back: a new poll waits again.
            let again = try await poll(alices, "alice")
            XCTAssertGreaterThan(again, .milliseconds(2500))
            for (job, user) in [(alices, "alice"), (bobs, "bob")] {
                try await client.execute(uri: "/jobs/\(job)", method: .delete, headers: bearer(user)) {
                    XCTAssertEqual($0.status, .ok)
                }
            }
        }
    }
}
