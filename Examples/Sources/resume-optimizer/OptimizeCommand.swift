import ArgumentParser
import Foundation
import Logging
import Optimization

/// `resume-optimizer optimize`: tailors a resume to a job description and writes the result file.
struct OptimizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Tailor a resume to a job description, check it for invented facts, and write the result.",
        discussion: """
            Without --provider the offline tailor runs: deterministic, no AI model, no API key. \
            Prints each status change (PROCESSING: <stage>, then COMPLETED: <file> or FAILED: <message>), \
            the match score before → after, and any fabrication warnings. A stage that runs long (a slow model) \
            is reported again every 5 s with its elapsed time, and each wait before a retry of a model request \
            says why. Exits 0 on COMPLETED, 1 on FAILED. \
            With --json, status lines go to stderr and stdout holds exactly one JSON object.
            """
    )

    @Option(name: .long, help: "The resume (.docx or .txt).")
    var resume: String

    @Option(name: .long, help: "The job description (a text file).")
    var job: String

    @Option(
        name: .long,
        help:
            "The AI provider: openai, anthropic, ollama, vllm, lmstudio, openrouter, azure or stub. Default: the offline tailor (no AI)."
    )
    var provider: OptimizeProviderKind?

    @Option(name: .long, help: "The model to ask (default: the provider's).")
    var model: String?

    @Option(
        name: .long,
        help:
            "The provider's base URL. With openai, any host but api.openai.com is taken for a compatible server and gets max_tokens."
    )
    var baseURL: String?

    @Option(name: .long, help: "Seconds one model request may take.")
    var timeout: Double?

    @Option(name: .long, help: "Retries of a failed model request.")
    var maxRetries: Int?

    @Option(name: .long, help: "What to do with unsupported claims: warn, reject, repair or repair-or-reject.")
    var factCheck: FactCheckPolicy = .warn

    @Option(
        name: .long,
        help: "The output format: txt, md or docx (default: docx for a .docx resume, edited in place; txt otherwise)."
    )
    var format: OutputFormat?

    @Flag(name: .long, help: "For docx output: write the edits as tracked changes to accept or reject in Word.")
    var trackChanges = false

    @Option(name: .long, help: "Where to write the result file (default: the current directory).")
    var outputDir: String = "."

    @Flag(
        name: .long,
        help: "Send the resume to the model as it is: no placeholders for the name, e-mail, phone, address and links."
    )
    var noRedact = false

    @Flag(name: .long, help: "Print one JSON object on stdout; status lines go to stderr.")
    var json = false

    @Flag(
        name: .long,
        help: "Log what the job, the center and the provider do (requests, retries, timings) to stderr; never text."
    )
    var verbose = false

    func validate() throws {
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be a positive number of seconds.") }
        if let maxRetries, maxRetries < 0 { throw ValidationError("--max-retries must be 0 or more.") }
        if provider == nil, model != nil || baseURL != nil || timeout != nil || maxRetries != nil {
            throw ValidationError("--model, --base-url, --timeout and --max-retries need --provider.")
        }
    }

    func run() async throws {
        let settings = OptimizeProviderSettings(
            kind: provider,
            model: model,
            baseURL: baseURL,
            timeout: timeout,
            maxRetries: maxRetries,
            environment: ProcessInfo.processInfo.environment
        )
        let job = OptimizeJob(
            resumePath: resume,
            jobPath: job,
            options: OptimizationRequest.Options(
                factCheck: factCheck,
                outputFormat: format,
                model: model,
                redactPersonalData: noRedact ? false : nil,
                trackChanges: trackChanges ? true : nil
            ),
            outputDirectory: URL(fileURLWithPath: outputDir, isDirectory: true),
            providerSettings: settings
        )
        let json = self.json
        let outcome = await runJob(job) { line in
            if json { printError(line) } else { print(line) }
        }
        if json {
            print(try OptimizeReport(outcome).jsonString())
        } else {
            for line in OptimizeReport(outcome).summaryLines() { print(line) }
        }
        if case .failed = outcome.status { throw ExitCode.failure }
    }

    /// Runs one optimization job through an in-process `JobCenter` and reports each status change.
    func runJob(_ job: OptimizeJob, status: @escaping @Sendable (String) -> Void) async -> OptimizeOutcome {
        let verbose = self.verbose
        let logger = Logger(label: "resume-optimizer.optimize") { label in
            StatusLogHandler(label: label, verbose: verbose, status: status)
        }
        return await job.run(logger: logger, status: status)
    }
}

extension FactCheckPolicy: @retroactive ExpressibleByArgument {}
extension OutputFormat: @retroactive ExpressibleByArgument {}
