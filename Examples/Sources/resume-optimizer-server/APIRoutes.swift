import Foundation
import HTTPTypes
import Hummingbird
import JobOrchestration
import Logging
import NIOCore
import Optimization
import ResumeParsing

/// The REST API: `POST /optimize`, `GET /status`, `GET /downloads/<token>`, `GET /jobs`,
/// `DELETE /jobs/<id>` and `GET /health`.
struct APIRoutes: Sendable {
    typealias Context = ServerRequestContext

    let configuration: ServerConfiguration
    let jobs: any ResumeJobService
    let verifier: BearerTokenVerifier
    let longPolls: LongPollLimiter

    static let idempotencyKeyHeader = HTTPField.Name("Idempotency-Key")!
    static let maximumIdempotencyKeyLength = 200
    static let maximumFileNameLength = 255
    static let defaultHistoryLimit = 20
    static let maximumHistoryLimit = 100

    func register(on router: Router<Context>) {
        router.get("/health") { _, _ in
            ["status": "ok"]
        }
        router.get("/downloads/:token") { _, context in
            try await download(token: context.parameters.require("token"))
        }

        let authenticated = router.group()
            .add(middleware: BearerAuthMiddleware(verifier: verifier))
        authenticated.post("/optimize") { request, context in
            try await optimize(request, context: context)
        }
        authenticated.get("/status") { request, context in
            try await status(request, context: context)
        }
        authenticated.get("/jobs") { request, context in
            try await history(request, context: context)
        }
        authenticated.delete("/jobs/:jobID") { _, context in
            let jobID = try context.parameters.require("jobID")
            return try await jobs.remove(jobID: jobID, userID: context.requireUserID())
        }
    }

    // MARK: POST /optimize

    private struct OptimizeRequest: Decodable {
        var resume: String
        var jobDescription: String
        var fileName: String?
        /// `false` sends the resume to a remote model as it is; absent or `true` redacts personal data.
        var redactPersonalData: Bool?
        /// `txt`, `md` or `docx`; absent: `docx` for a Word resume (edited in place), `txt` otherwise.
        var outputFormat: String?
        /// For `docx`: write the edits as tracked changes.
        var trackChanges: Bool?
    }

    private struct OptimizeResponse: ResponseEncodable {
        var message: String
        var jobId: String
        var status: String
    }

    func optimize(_ request: Request, context: Context) async throws -> some ResponseGenerator {
        let userID = try context.requireUserID()
        let idempotencyKey = request.headers[Self.idempotencyKeyHeader]
        if let idempotencyKey {
            guard !idempotencyKey.isEmpty, idempotencyKey.count <= Self.maximumIdempotencyKeyLength else {
                throw APIError.badRequest(
                    "The Idempotency-Key header must hold 1 to \(Self.maximumIdempotencyKeyLength) characters."
                )
            }
        }

        if let type = request.headers[.contentType], !Self.isJSON(type) {
            throw APIError.unsupportedMediaType("Send the request body as JSON with 'Content-Type: application/json'.")
        }
        if let encoding = request.headers[.contentEncoding], encoding.lowercased() != "identity" {
            throw APIError.unsupportedMediaType(
                "The request body must not be compressed (Content-Encoding); send plain JSON."
            )
        }
        let tooLarge = APIError.contentTooLarge(
            "The request body is too large. The resume may be at most \(Self.formatBytes(configuration.maximumResumeBytes))."
        )
        // A declared length over the bound is refused before a byte of the body is read (a client
        // that sent `Expect: 100-continue` gets this answer instead of `100 Continue`).
        if let declared = request.headers[.contentLength], let length = Int(declared),
            length > configuration.maximumRequestBodyBytes
        {
            throw tooLarge
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maximumRequestBodyBytes)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        } catch {
            // A malformed chunked body, or a client that went away mid-body: the caller's fault, not
            // the server's (and no one may be left to read the answer).
            context.logger.debug("Could not read a request body", metadata: ["error.type": "\(type(of: error))"])
            throw APIError.badRequest(
                "The request body could not be read: it ended early or its chunked encoding is malformed."
            )
        }
        let (payload, resumeText) = try Self.decodeOptimizeRequest(body)

        let jobDescription = payload.jobDescription.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !jobDescription.isEmpty else {
            throw APIError.badRequest("Field 'jobDescription' must not be empty.")
        }
        guard jobDescription.utf8.count <= configuration.maximumJobDescriptionBytes else {
            throw APIError.contentTooLarge(
                "Field 'jobDescription' is too long; it may be at most \(Self.formatBytes(configuration.maximumJobDescriptionBytes))."
            )
        }
        guard jobDescription.count <= configuration.maximumJobDescriptionCharacters else {
            throw APIError.contentTooLarge(
                "Field 'jobDescription' has more than \(configuration.maximumJobDescriptionCharacters) characters; keep only the role's description and requirements."
            )
        }
        if let fileName = payload.fileName, fileName.utf8.count > Self.maximumFileNameLength {
            throw APIError.badRequest("Field 'fileName' may be at most \(Self.maximumFileNameLength) bytes.")
        }
        var outputFormat: OutputFormat?
        if let name = payload.outputFormat {
            guard let format = OutputFormat(rawValue: name) else {
                throw APIError.badRequest("Field 'outputFormat' must be one of txt, md or docx.")
            }
            outputFormat = format
        }
        // Decoded from the body's own bytes (or the decoded string when the body needed the slow path).
        let resume: Data
        switch resumeText {
        case .inBody(let range):
            resume = try body.withUnsafeReadableBytes { bytes in
                try Self.decodeResume(UnsafeRawBufferPointer(rebasing: bytes[range]), configuration.maximumResumeBytes)
            }
        case .decoded(let text):
            var text = text
            resume = try text.withUTF8 {
                try Self.decodeResume(UnsafeRawBufferPointer($0), configuration.maximumResumeBytes)
            }
        }
        try ResumeFormatCheck.check(resume, parser: configuration.resumeParser)

        let snapshot = try await jobs.submit(
            ResumeSubmission(
                resume: resume,
                jobDescription: jobDescription,
                fileName: payload.fileName,
                redactPersonalData: payload.redactPersonalData,
                outputFormat: outputFormat,
                trackChanges: payload.trackChanges
            ),
            userID: userID,
            idempotencyKey: idempotencyKey
        )
        let pollSeconds = configuration.suggestedPollInterval.components.seconds
        return EditedResponse(
            status: .accepted,
            headers: [
                .location: "/status?jobId=\(snapshot.jobID)",
                .retryAfter: "\(max(1, pollSeconds))",
            ],
            response: OptimizeResponse(
                message: "Resume optimization job submitted",
                jobId: snapshot.jobID.description,
                status: snapshot.status
            )
        )
    }

    /// `application/json` or a `+json` type, with any parameters (`; charset=utf-8`).
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType =
            contentType.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces) ?? ""
        let lowered = mediaType.lowercased()
        return lowered == "application/json" || (lowered.hasPrefix("application/") && lowered.hasSuffix("+json"))
    }

    /// Where the request's `resume` text is: a range of the body's bytes (its JSON string's content), or
    /// a decoded string when the body was not a plain object that ``ResumeUpload`` could scan.
    private enum ResumeText {
        case inBody(Range<Int>)
        case decoded(String)
    }

    /// The request's fields, without the resume's base64 turned into a `String` or copied.
    private static func decodeOptimizeRequest(_ body: ByteBuffer) throws -> (OptimizeRequest, ResumeText) {
        let located = body.withUnsafeReadableBytes { ResumeUpload.locateResume(in: $0) }
        do {
            if let located {
                // The rest of the body, with `"resume": ""`, is small: decode it the ordinary way.
                return (
                    try JSONDecoder().decode(OptimizeRequest.self, from: Data(located.rest)), .inBody(located.content)
                )
            }
            let payload = try JSONDecoder().decode(OptimizeRequest.self, from: Data(body.readableBytesView))
            return (payload, .decoded(payload.resume))
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIError.badRequest(
                "Missing field '\(key.stringValue)'. Send {\"resume\": \"<base64>\", \"jobDescription\": \"<text>\"}."
            )
        } catch DecodingError.typeMismatch(_, let context) {
            guard let field = context.codingPath.first?.stringValue else {
                throw APIError.badRequest("The request body must be a JSON object.")
            }
            if field == "redactPersonalData" || field == "trackChanges" {
                throw APIError.badRequest("Field '\(field)' must be true or false.")
            }
            throw APIError.badRequest("Field '\(field)' must be a string.")
        } catch DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.first?.stringValue ?? "?"
            throw APIError.badRequest("Field '\(field)' must be a string, not null.")
        } catch {
            throw APIError.badRequest("The request body is not valid JSON.")
        }
    }

    /// The resume's bytes from its base64 text (line breaks, JSON escapes, missing padding and a
    /// `data:<type>;base64,` prefix accepted), with the refusals the API documents.
    static func decodeResume(_ text: UnsafeRawBufferPointer, _ maximumBytes: Int) throws -> Data {
        do {
            return try ResumeUpload.decodeBase64(text, maximumBytes: maximumBytes)
        } catch .empty {
            throw APIError.badRequest("Field 'resume' is empty. Send the resume file's bytes in base64.")
        } catch .notBase64 {
            throw APIError.badRequest("Field 'resume' is not valid base64.")
        } catch .dataURLNotBase64 {
            throw APIError.badRequest("Field 'resume' must be base64; this data URL is not base64-encoded.")
        } catch .tooLarge {
            throw APIError.contentTooLarge("The resume is too large; it may be at most \(formatBytes(maximumBytes)).")
        }
    }

    // MARK: GET /status

    func status(_ request: Request, context: Context) async throws -> JobSnapshot {
        let userID = try context.requireUserID()
        guard let jobID = request.uri.queryValue("jobId").map({ String($0) }), !jobID.isEmpty else {
            throw APIError.badRequest("Missing query parameter 'jobId'. Use GET /status?jobId=<id>.")
        }
        guard let waitText = request.uri.queryValue("wait") else {
            return try await jobs.status(jobID: jobID, userID: userID)
        }
        guard let seconds = Double(waitText), seconds.isFinite, seconds >= 0 else {
            throw APIError.badRequest("Query parameter 'wait' must be a number of seconds from 0 to 30.")
        }
        let maximum = Double(configuration.maximumStatusWait.components.seconds)
        let timeout = Duration.milliseconds(Int64(min(seconds, maximum) * 1000))
        // Beyond the user's cap of waiting polls, answer at once: the client's next poll waits again.
        guard longPolls.acquire(userID) else {
            return try await jobs.status(jobID: jobID, userID: userID)
        }
        defer { longPolls.release(userID) }
        return try await jobs.waitForEnd(jobID: jobID, userID: userID, timeout: timeout)
    }

    // MARK: GET /jobs

    struct HistoryResponse: ResponseEncodable {
        var jobs: [JobSnapshot]

        /// `{"jobs": […]}`, written by ``JSONTextWriter`` like each ``JobSnapshot``.
        func response(from request: Request, context: some RequestContext) throws -> Response {
            ServerJSONEncoder.response(body: body())
        }

        func body() -> ByteBuffer {
            var writer = JSONTextWriter(capacity: 64 + 320 * jobs.count)
            writer.beginObject()
            writer.key("jobs")
            writer.beginArray()
            for job in jobs { job.write(to: &writer) }
            writer.endArray()
            writer.endObject()
            return writer.finish()
        }
    }

    func history(_ request: Request, context: Context) async throws -> some ResponseGenerator {
        let userID = try context.requireUserID()
        var limit = Self.defaultHistoryLimit
        if let text = request.uri.queryValue("limit") {
            guard let value = Int(text), (1...Self.maximumHistoryLimit).contains(value) else {
                throw APIError.badRequest(
                    "Query parameter 'limit' must be a whole number from 1 to \(Self.maximumHistoryLimit)."
                )
            }
            limit = value
        }
        // History entries carry no download link and no report, whatever the service returns.
        var entries = try await jobs.history(userID: userID, limit: limit)
        for index in entries.indices {
            entries[index].download = nil
            entries[index].report = nil
        }
        return HistoryResponse(jobs: entries)
    }

    // MARK: GET /downloads/<token>

    func download(token: String) async throws -> Response {
        let file = try await jobs.download(token: token)
        return Response(
            status: .ok,
            headers: [
                .contentType: file.contentType,
                .contentDisposition: "attachment; filename=\"\(Self.quotedFilename(file.downloadFilename))\"",
                .cacheControl: "private, no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: file.data))
        )
    }

    // MARK: Helpers

    /// Keeps a file name safe inside a quoted `Content-Disposition` parameter.
    static func quotedFilename(_ name: String) -> String {
        String(
            name.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" }.map(
                Character.init
            )
        )
    }

    static func formatBytes(_ count: Int) -> String {
        if count >= 1024 * 1024, count % (1024 * 1024) == 0 { return "\(count / (1024 * 1024)) MiB" }
        if count >= 1024 * 1024 { return String(format: "%.1f MiB", Double(count) / 1_048_576) }
        if count >= 1000 { return "\(count / 1000) KB" }
        return "\(count) bytes"
    }
}
