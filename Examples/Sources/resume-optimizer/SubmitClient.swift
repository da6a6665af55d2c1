import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small client for the REST API of `resume-optimizer-server`, in the shapes of its OpenAPI
/// document (`GET /openapi.json`).
///
/// It is written by hand rather than generated with swift-openapi-generator: the four calls it makes
/// fit in this file, while a generated client would add the generator's build plugin, its runtime and
/// a transport package to every build of the examples, and turn the document's `oneOf` status into
/// nested enums that this command would unwrap again. It still cannot drift from the document: a
/// test checks that ``Status`` has a field for every property of the document's `JobStatus`, and
/// the live tests run it against the server whose every answer is checked against the document.
struct SubmitClient: Sendable {
    /// A refusal or failure, with the server's message when it gave one.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        /// The HTTP status, when the server answered.
        var status: Int?
        var description: String { message }
    }

    /// The answer to `POST /optimize` (`Submitted` in the document).
    struct Submitted: Codable, Sendable {
        var message: String
        var jobId: String
        var status: String
    }

    /// The answer to `GET /status` and `DELETE /jobs/<id>` (`JobStatus` in the document).
    struct Status: Codable, Sendable, Equatable {
        var status: String
        var message: String
        var timestamp: String
        var jobId: String
        var optimizedResumeUrl: String?
        var fileType: String?
        var contentType: String?
        var downloadFilename: String?
        var errorCode: String?
        var matchScoreBefore: Int?
        var matchScoreAfter: Int?
        var matchedKeywords: [String]?
        var missingKeywords: [String]?
        var warnings: [String]?

        var isTerminal: Bool { status != "PROCESSING" }
    }

    let server: URL
    let token: String
    let httpClient: HTTPClient
    /// The largest answer read, status or file. Default 32 MiB.
    var maximumResponseBytes = 32 * 1024 * 1024
    /// How long one request may take. Default 60 s (a long poll takes up to 30 s).
    var requestTimeout: TimeAmount = .seconds(60)
    /// How often a submit is sent again after a network failure (with the same Idempotency-Key, so
    /// the server never makes a second job). Default 2.
    var submitRetries = 2

    /// Posts a resume and a job description.
    ///
    /// - Parameter idempotencyKey: Sent as `Idempotency-Key`; every retry sends the same key.
    func submit(resume: Data, jobDescription: String, fileName: String?, idempotencyKey: String) async throws
        -> Submitted
    {
        var body: [String: String] = ["resume": resume.base64EncodedString(), "jobDescription": jobDescription]
        body["fileName"] = fileName
        var request = HTTPClientRequest(url: endpoint("optimize").absoluteString)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        var attempt = 0
        while true {
            do {
                let (status, data) = try await execute(request)
                guard status == .accepted else { throw failure(status: status, body: data) }
                return try decode(Submitted.self, from: data)
            } catch let failure as Failure where failure.status == nil && attempt < submitRetries {
                attempt += 1
                try await Task.sleep(for: .milliseconds(500 * attempt))
            }
        }
    }

    /// Reads a job's status; with `wait`, the server answers as soon as the job ends or after
    /// that many seconds (long polling, at most 30).
    func status(jobID: String, wait: Int? = nil) async throws -> Status {
        var components = URLComponents(url: endpoint("status"), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "jobId", value: jobID)]
        if let wait { components?.queryItems?.append(URLQueryItem(name: "wait", value: "\(wait)")) }
        guard let url = components?.url else { throw Failure(message: "Cannot build the status URL for \(server).") }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let (status, data) = try await execute(request)
        guard status == .ok else { throw failure(status: status, body: data) }
        return try decode(Status.self, from: data)
    }

    /// Cancels a job (`DELETE /jobs/<id>`) and returns its status afterwards.
    func cancel(jobID: String) async throws -> Status {
        var request = HTTPClientRequest(url: endpoint("jobs").appendingPathComponent(jobID).absoluteString)
        request.method = .DELETE
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let (status, data) = try await execute(request)
        guard status == .ok else { throw failure(status: status, body: data) }
        return try decode(Status.self, from: data)
    }

    /// Downloads a signed link (no bearer token: the signature is the authorization).
    func download(_ link: String) async throws -> Data {
        let (status, data) = try await execute(HTTPClientRequest(url: link))
        guard status == .ok else { throw failure(status: status, body: data) }
        return data
    }

    private func endpoint(_ path: String) -> URL {
        server.appendingPathComponent(path)
    }

    private func execute(_ request: HTTPClientRequest) async throws -> (HTTPResponseStatus, Data) {
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: requestTimeout)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Failure(message: "Cannot reach \(server): \(error).")
        }
        let body = try await response.body.collect(upTo: maximumResponseBytes)
        return (response.status, Data(body.readableBytesView))
    }

    private func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw Failure(message: "The server's answer is not the expected JSON.")
        }
    }

    private func failure(status: HTTPResponseStatus, body: Data) -> Failure {
        struct ErrorBody: Decodable { var message: String }
        let message = (try? JSONDecoder().decode(ErrorBody.self, from: body))?.message ?? status.reasonPhrase
        return Failure(message: "HTTP \(status.code): \(message)", status: Int(status.code))
    }
}
