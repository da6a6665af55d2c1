import ArgumentParser
import AsyncHTTPClient
import Foundation
import UnixSignals

/// `resume-optimizer submit`: the client flow of the REST API — submit, long-poll until the job
/// ends, download.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract:
            "Submit a resume to a resume-optimizer-server, follow the job until it ends, and download the result.",
        discussion: """
            Prints each status change ('PROCESSING: <stage>'), then 'COMPLETED: <file>' and exits 0, \
            or 'FAILED: <message>' on stderr and exits 1. With --json, stdout holds only the final \
            status as JSON (with 'savedTo' for a completed job). Every submit carries an \
            Idempotency-Key, so a retried submit never makes a second job. Ctrl-C cancels the job on \
            the server and exits 130. The server may also come from RESUME_OPTIMIZER_SERVER and the \
            token from RESUME_OPTIMIZER_TOKEN.
            """
    )

    @Option(help: "The server's base URL, such as http://127.0.0.1:8080. Default: RESUME_OPTIMIZER_SERVER.")
    var server: String?

    @Option(help: "A bearer token (JWT) for the server. Default: RESUME_OPTIMIZER_TOKEN.")
    var token: String?

    @Option(help: "The resume file (.docx or .txt).")
    var resume: String

    @Option(help: "A text file with the job description.")
    var job: String

    @Option(help: "Where to write the optimized resume.")
    var outputDir: String = "."

    @Option(help: "The Idempotency-Key of the submit (default: a new random key). Reuse it to retry a submit safely.")
    var idempotencyKey: String?

    @Option(help: "The longest one status request waits for the job to end, in seconds (long polling, 1 to 30).")
    var wait: Int = 25

    @Option(help: "The longest to follow the job, in seconds.")
    var timeout: Double = 600

    @Flag(help: "Print only the final status as JSON on stdout.")
    var json = false

    static let serverVariable = "RESUME_OPTIMIZER_SERVER"
    static let tokenVariable = "RESUME_OPTIMIZER_TOKEN"

    func validate() throws {
        guard (1...30).contains(wait) else { throw ValidationError("--wait must be from 1 to 30 seconds.") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be positive.") }
        if let idempotencyKey, idempotencyKey.isEmpty || idempotencyKey.count > 200 {
            throw ValidationError("--idempotency-key must hold 1 to 200 characters.")
        }
    }

    /// The server URL from `--server` or the environment.
    func serverURL(environment: [String: String]) throws -> URL {
        guard let text = server ?? environment[Self.serverVariable], !text.isEmpty else {
            throw ValidationError("Pass --server or set \(Self.serverVariable), such as http://127.0.0.1:8080.")
        }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
        else {
            throw ValidationError("The server must be an http or https URL, such as http://127.0.0.1:8080.")
        }
        return url
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let serverURL = try serverURL(environment: environment)
        guard let token = token ?? environment[Self.tokenVariable], !token.isEmpty else {
            throw ValidationError("Pass --token or set \(Self.tokenVariable).")
        }
        let resumeURL = URL(fileURLWithPath: resume)
        let resumeData: Data
        let jobDescription: String
        do {
            resumeData = try Data(contentsOf: resumeURL)
            jobDescription = String(decoding: try Data(contentsOf: URL(fileURLWithPath: job)), as: UTF8.self)
        } catch {
            throw Self.fail("Cannot read the input files: \(error.localizedDescription)")
        }
        let json = json
        let flow = SubmitFlow(
            client: SubmitClient(server: serverURL, token: token, httpClient: .shared),
            longPollSeconds: wait,
            timeout: .milliseconds(Int64(timeout * 1000)),
            outputDirectory: outputDir,
            report: { line in
                // With --json, progress goes to stderr so that stdout stays one JSON document.
                if json { FileHandle.standardError.write(Data("\(line)\n".utf8)) } else { print(line) }
            }
        )
        let outcome: SubmitFlow.Outcome
        do {
            outcome = try await flow.run(
                resume: resumeData,
                fileName: resumeURL.lastPathComponent,
                jobDescription: jobDescription,
                idempotencyKey: idempotencyKey ?? UUID().uuidString.lowercased(),
                interrupts: await UnixSignalsSequence(trapping: .sigint)
            )
        } catch let failure as SubmitClient.Failure {
            throw Self.fail(failure.message)
        }
        if json { print(try outcome.jsonText()) }
        switch outcome {
        case .completed(let status, let path):
            if !json {
                print("COMPLETED: \(path)")
                if let before = status.matchScoreBefore, let after = status.matchScoreAfter {
                    print("Match score \(before) → \(after)")
                }
                if let missing = status.missingKeywords, !missing.isEmpty {
                    print("Missing keywords: \(missing.joined(separator: ", "))")
                }
            }
        case .ended(let status):
            let code = status.errorCode.map { " [\($0)]" } ?? ""
            throw Self.fail("\(status.status): \(status.message)\(code)", quiet: json)
        case .interrupted(let status):
            if !json {
                FileHandle.standardError.write(Data("Interrupted: job \(status.jobId) is \(status.status).\n".utf8))
            }
            throw ExitCode(130)
        }
    }

    /// Prints the message on stderr and makes the command exit 1.
    private static func fail(_ message: String, quiet: Bool = false) -> ExitCode {
        if !quiet { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
        return ExitCode.failure
    }
}

/// Which came first while following a job.
private enum SubmitRace: Sendable {
    case ended(SubmitClient.Status)
    case interrupted
}

/// One submit, followed to its end: the testable core of `submit`.
struct SubmitFlow: Sendable {
    /// How a run ended.
    enum Outcome: Sendable {
        /// The job completed and its file was saved at the path.
        case completed(SubmitClient.Status, savedTo: String)
        /// The job ended `FAILED` or `CANCELLED`.
        case ended(SubmitClient.Status)
        /// An interrupt (Ctrl-C) came first; the job was cancelled on the server.
        case interrupted(SubmitClient.Status)

        var status: SubmitClient.Status {
            switch self {
            case .completed(let status, _), .ended(let status), .interrupted(let status): status
            }
        }

        /// The final status as JSON, with `savedTo` for a completed job.
        func jsonText() throws -> String {
            struct Output: Encodable {
                var status: SubmitClient.Status
                var savedTo: String?
                func encode(to encoder: any Encoder) throws {
                    try status.encode(to: encoder)
                    var container = encoder.container(keyedBy: Key.self)
                    try container.encodeIfPresent(savedTo, forKey: .savedTo)
                }
                enum Key: String, CodingKey { case savedTo }
            }
            var savedTo: String?
            if case .completed(_, let path) = self { savedTo = path }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(Output(status: status, savedTo: savedTo)), as: UTF8.self)
        }
    }

    let client: SubmitClient
    /// Seconds one status request may wait for the job to end.
    var longPollSeconds = 25
    /// The longest the job is followed.
    var timeout: Duration = .seconds(600)
    /// Where the result is written.
    var outputDirectory = "."
    /// Pause before asking again when a status request failed on the network.
    var retryDelay: Duration = .seconds(3)
    /// Receives progress lines.
    var report: @Sendable (String) -> Void

    /// Submits, follows the job with long polls, and downloads a completed job's file; the first
    /// element of `interrupts` cancels the job on the server instead.
    func run<Interrupts: AsyncSequence & Sendable>(
        resume: Data,
        fileName: String?,
        jobDescription: String,
        idempotencyKey: String,
        interrupts: Interrupts
    ) async throws -> Outcome where Interrupts.Element: Sendable {
        let submitted = try await client.submit(
            resume: resume,
            jobDescription: jobDescription,
            fileName: fileName,
            idempotencyKey: idempotencyKey
        )
        report("\(submitted.status): \(submitted.message) (job \(submitted.jobId))")

        let race: SubmitRace = try await withThrowingTaskGroup(of: SubmitRace?.self) { group in
            group.addTask { .ended(try await follow(jobID: submitted.jobId, lastMessage: submitted.message)) }
            group.addTask {
                for try await _ in interrupts { return .interrupted }
                return nil  // no more interrupts can come: let the job's side finish
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let next { return next }
            }
            throw SubmitClient.Failure(message: "Following the job stopped before it ended.")
        }
        switch race {
        case .interrupted:
            report("Cancelling job \(submitted.jobId)…")
            return .interrupted(try await client.cancel(jobID: submitted.jobId))
        case .ended(let status) where status.status == "COMPLETED":
            return .completed(status, savedTo: try await save(status))
        case .ended(let status):
            return .ended(status)
        }
    }

    /// Long-polls `GET /status?wait=` until the job ends, reporting each new stage.
    func follow(jobID: String, lastMessage: String) async throws -> SubmitClient.Status {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var lastMessage = lastMessage
        while true {
            try Task.checkCancellation()
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else {
                throw SubmitClient.Failure(
                    message: "The job did not end within \(timeout); it keeps running on the server."
                )
            }
            let wait = max(1, min(longPollSeconds, Int(remaining.components.seconds)))
            let status: SubmitClient.Status
            do {
                status = try await client.status(jobID: jobID, wait: wait)
            } catch let failure as SubmitClient.Failure where failure.status == nil || failure.status == 503 {
                // The network or the instance failed: ask again shortly (the job lives in the store).
                report("Retrying: \(failure.message)")
                try await Task.sleep(for: retryDelay)
                continue
            }
            if status.isTerminal { return status }
            if status.message != lastMessage { report("PROCESSING: \(status.message)") }
            lastMessage = status.message
        }
    }

    private func save(_ status: SubmitClient.Status) async throws -> String {
        guard let link = status.optimizedResumeUrl else {
            throw SubmitClient.Failure(message: "The job completed but the server sent no download link.")
        }
        let data = try await client.download(link)
        // Keep only the last path component: the server's name must not choose the directory.
        let name = URL(fileURLWithPath: status.downloadFilename ?? "optimized_resume_\(status.jobId.prefix(8)).txt")
            .lastPathComponent
        let directory = URL(fileURLWithPath: outputDirectory, isDirectory: true)
        let destination = directory.appendingPathComponent(name.isEmpty ? "optimized_resume.txt" : name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try data.write(to: destination, options: .atomic)
        } catch {
            throw SubmitClient.Failure(message: "Cannot write \(destination.path): \(error.localizedDescription)")
        }
        return destination.path
    }
}
