import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small client for the REST API of `resume-optimizer-server`.
struct SubmitClient: Sendable {
    /// A refusal or failure, with the server's message when it gave one.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The answer to `POST /optimize`.
    struct Submitted: Decodable, Sendable {
        var message: String
        var jobId: String
        var status: String
    }

    /// The answer to `GET /status`.
    struct Status: Decodable, Sendable, Equatable {
        var status: String
        var message: String
        var timestamp: String
        var jobId: String
        var optimizedResumeUrl: String?
        var fileType: String?
        var contentType: String?
        var downloadFilename: String?
        var errorCode: String?
    }

    let server: URL
    let token: String
    let httpClient: HTTPClient
    /// The largest answer read, status or file. Default 32 MiB.
    var maximumResponseBytes = 32 * 1024 * 1024
    /// How long one request may take. Default 60 s (a long poll takes up to 30 s).
    var requestTimeout: TimeAmount = .seconds(60)

    /// Posts a resume and a job description.
    func submit(resume: Data, jobDescription: String, fileName: String?) async throws -> Submitted {
        var body: [String: String] = ["resume": resume.base64EncodedString(), "jobDescription": jobDescription]
        body["fileName"] = fileName
        var request = HTTPClientRequest(url: endpoint("optimize").absoluteString)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let (status, data) = try await execute(request)
        guard status == .accepted else { throw failure(status: status, body: data) }
        return try decode(Submitted.self, from: data)
    }

    /// Reads a job's status.
    func status(jobID: String) async throws -> Status {
        var components = URLComponents(url: endpoint("status"), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "jobId", value: jobID)]
        guard let url = components?.url else { throw Failure(message: "Cannot build the status URL for \(server).") }
        var request = HTTPClientRequest(url: url.absoluteString)
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
        return Failure(message: "HTTP \(status.code): \(message)")
    }
}
