import ArgumentParser
import AsyncHTTPClient
import Foundation
import JobOrchestration

/// `resume-optimizer submit`: the client flow of the REST API — submit, poll every 3 s, download.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a resume to a resume-optimizer-server, poll until it ends, and download the result.",
        discussion: """
            Prints each status change ('PROCESSING: <stage>'), then 'COMPLETED: <file>' and exits 0, \
            or 'FAILED: <message>' on stderr and exits 1. The token may also come from \
            RESUME_OPTIMIZER_TOKEN.
            """
    )

    @Option(help: "The server's base URL, such as http://127.0.0.1:8080.")
    var server: String

    @Option(help: "A bearer token (JWT) for the server. Default: RESUME_OPTIMIZER_TOKEN.")
    var token: String?

    @Option(help: "The resume file (.docx or .txt).")
    var resume: String

    @Option(help: "A text file with the job description.")
    var job: String

    @Option(help: "Where to write the optimized resume.")
    var outputDir: String = "."

    @Option(help: "Seconds between two status reads.")
    var pollInterval: Double = 3

    @Option(help: "The longest to wait for the job, in seconds.")
    var timeout: Double = 600

    func validate() throws {
        guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ValidationError("--server must be an http or https URL, such as http://127.0.0.1:8080.")
        }
        guard pollInterval > 0, pollInterval.isFinite else { throw ValidationError("--poll-interval must be positive.") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be positive.") }
    }

    func run() async throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["RESUME_OPTIMIZER_TOKEN"], !token.isEmpty else {
            throw ValidationError("Pass --token or set RESUME_OPTIMIZER_TOKEN.")
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
        // `validate()` checked the URL.
        let client = SubmitClient(server: URL(string: server)!, token: token, httpClient: .shared)

        do {
            let submitted = try await client.submit(
                resume: resumeData,
                jobDescription: jobDescription,
                fileName: resumeURL.lastPathComponent
            )
            print("\(submitted.status): \(submitted.message) (job \(submitted.jobId))")

            let poller = JobPoller(
                configuration: .init(
                    interval: .milliseconds(Int64(pollInterval * 1000)),
                    timeout: .milliseconds(Int64(timeout * 1000))
                ),
                fetch: { try await client.status(jobID: submitted.jobId) }
            )
            var last: SubmitClient.Status?
            var lastMessage = submitted.message
            for try await status in poller {
                if status.status == "PROCESSING", status.message != lastMessage {
                    print("PROCESSING: \(status.message)")
                }
                lastMessage = status.message
                last = status
            }
            guard let last else { throw Self.fail("Polling stopped before the job ended.") }
            switch last.status {
            case "COMPLETED":
                let path = try await save(last, using: client)
                print("COMPLETED: \(path)")
            default:
                let code = last.errorCode.map { " [\($0)]" } ?? ""
                throw Self.fail("\(last.status): \(last.message)\(code)")
            }
        } catch let failure as SubmitClient.Failure {
            throw Self.fail(failure.message)
        } catch let error as JobPollerError {
            throw Self.fail(error.message)
        }
    }

    private func save(_ status: SubmitClient.Status, using client: SubmitClient) async throws -> String {
        guard let link = status.optimizedResumeUrl else {
            throw Self.fail("The job completed but the server sent no download link.")
        }
        let data = try await client.download(link)
        // Keep only the last path component: the server's name must not choose the directory.
        let name = URL(fileURLWithPath: status.downloadFilename ?? "optimized_resume_\(status.jobId.prefix(8)).txt")
            .lastPathComponent
        let directory = URL(fileURLWithPath: outputDir, isDirectory: true)
        let destination = directory.appendingPathComponent(name.isEmpty ? "optimized_resume.txt" : name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try data.write(to: destination, options: .atomic)
        } catch {
            throw Self.fail("Cannot write \(destination.path): \(error.localizedDescription)")
        }
        return destination.path
    }

    /// Prints the message on stderr and makes the command exit 1.
    private static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        return ExitCode.failure
    }
}

extension SubmitClient.Status: PollableJobStatus {
    var isTerminal: Bool { status != "PROCESSING" }
}
