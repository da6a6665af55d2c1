public import CoreMetrics
import Foundation
import ResumeParsing
public import Logging
import Tracing

/// Tailors a resume to a job description, checks the result for invented facts, and scores both.
///
/// With an ``AIProvider`` the model rewrites the resume; without one the deterministic
/// ``OfflineTailor`` does, and the result says no AI model was used. Either way the match scores
/// and the fabrication check are computed without AI: the model never grades its own work.
///
/// ```swift
/// let optimizer = ResumeOptimizer(provider: nil) // offline
/// let request = OptimizationRequest(resume: document, jobDescription: jobText)
/// let result = try await optimizer.optimize(request, logger: logger) { stage in
///     print("PROCESSING: \(stage.message)")
/// }
/// print(result.matchBefore.score, "→", result.matchAfter.score, result.warnings)
/// ```
public struct ResumeOptimizer: Sendable {
    /// Limits and model settings.
    public struct Configuration: Sendable, Hashable {
        /// The output budget of a model call, as a multiple of the resume's estimated tokens. Default 2.
        /// See ``outputTokenLimit(forResume:)``.
        public var outputTokensPerResumeToken: Double = 2
        /// The smallest output-token limit of a model call, however short the resume. Default 1024.
        public var minimumOutputTokens: Int = 1024
        /// The largest output-token limit of a first model call, however long the resume. Default 4096.
        public var maximumOutputTokens: Int = 4096
        /// The largest output-token limit of the one retry after an answer was cut off (the retry doubles
        /// the first limit, up to this bound). Default 8192.
        public var retryMaximumOutputTokens: Int = 8192
        /// The sampling temperature; `nil` leaves the provider's default. Default 0.2.
        public var temperature: Double? = 0.2
        /// How long one model call (retries included) may take; `nil` leaves the provider's timeouts. Default `nil`.
        public var modelCallTimeout: Duration?
        /// The longest resume text accepted, in characters. Default 60,000.
        public var maximumResumeCharacters: Int = 60_000
        /// The longest job description accepted, in characters. Default 30,000.
        public var maximumJobDescriptionCharacters: Int = 30_000
        /// How keywords are weighed for the match score.
        public var keywords: KeywordExtractor.Configuration = .init()
        /// Which fabrication checks run.
        public var factCheck: FabricationGuard.Configuration = .init()

        /// Creates the default configuration.
        public init() {}
    }

    /// The model that tailors the resume; `nil` means the offline tailor.
    public let provider: (any AIProvider)?
    /// Limits and model settings.
    public var configuration: Configuration

    /// Creates an optimizer.
    ///
    /// - Parameters:
    ///   - provider: The model to use, or `nil` for the deterministic offline tailor.
    ///   - configuration: Limits and model settings.
    ///   - metricsFactory: Where model-call latency and tokens are recorded (``OptimizationMetricsLabel``).
    ///     Default: the factory bootstrapped with `MetricsSystem`.
    public init(
        provider: (any AIProvider)?,
        configuration: Configuration = Configuration(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.provider = provider
        self.configuration = configuration
        self.metrics = OptimizationMetrics(factory: metricsFactory)
    }

    private let metrics: OptimizationMetrics

    /// The name of what tailors the resume: the provider's name, or `offline tailor`.
    public var providerName: String { provider?.name ?? OfflineTailor.name }

    /// Runs the whole pipeline for one request.
    ///
    /// - Parameters:
    ///   - request: The resume, the job description and the caller's options.
    ///   - logger: Where to log; resume and job text are never logged.
    ///   - progress: Called as each ``OptimizationStage`` starts.
    /// - Returns: The tailored text, both match reports, the warnings, the token usage and the file.
    /// - Throws: ``OptimizationError`` for every failure.
    public func optimize(
        _ request: OptimizationRequest,
        logger: Logger,
        progress: @Sendable (OptimizationStage) async -> Void = { _ in }
    ) async throws -> OptimizationResult {
        do {
            return try await withSpan("resume.optimize") { span in
                span.attributes["resume.output_format"] = request.outputFormat.fileType
                span.attributes["resume.tailor.provider"] = providerName
                return try await run(request, logger: logger, progress: progress)
            }
        } catch let error as OptimizationError {
            logger.info("Optimization failed", metadata: ["optimization.error": "\(error.code)"])
            throw error
        } catch is CancellationError {
            throw OptimizationError(code: .cancelled, message: "The optimization was cancelled.")
        }
    }

    private func run(
        _ request: OptimizationRequest,
        logger: Logger,
        progress: @Sendable (OptimizationStage) async -> Void
    ) async throws -> OptimizationResult {
        let resume = request.resume.text
        try validate(resume: resume, jobDescription: request.jobDescription)
        var logger = logger
        logger[metadataKey: "optimization.provider"] = "\(providerName)"

        let extractor = KeywordExtractor(configuration: configuration.keywords)
        let analyzer = MatchAnalyzer(extractor: extractor)
        let guardian = FabricationGuard(configuration: configuration.factCheck, extractor: extractor)
        let keywords = extractor.keywords(in: request.jobDescription)
        let matchBefore = analyzer.report(resume: resume, keywords: keywords)
        let format = request.outputFormat

        try Task.checkCancellation()
        await progress(.tailoring(providerName: providerName))
        var usage = TokenUsage()
        var model: String?
        let redaction: PersonalDataRedaction? = provider.flatMap { self.redaction(for: request, provider: $0) }
        var restoration: PersonalDataRedaction.Restoration?
        var unsentPersonalData: [PersonalDataRedaction.Entry] = []
        if let redaction {
            logger.debug("Redacted personal data", metadata: ["optimization.redacted": "\(redaction.entries.count)"])
        }
        /// Asks the model, adding up the tokens used; the model named is the one of the first answer.
        /// With redaction, the answer's placeholders are replaced by the originals.
        func ask(_ prompt: TailoringPrompt, of provider: any AIProvider) async throws -> String {
            let answer = try await complete(
                prompt,
                outputLimit: configuration.outputTokenLimit(forResume: resume),
                with: provider,
                model: request.options.model,
                format: format,
                logger: logger
            )
            usage = usage + answer.usage
            model = model ?? answer.model
            guard let redaction else { return answer.text }
            unsentPersonalData = redaction.unsentValues(in: answer.text)
            let restored = redaction.restore(answer.text)
            restoration = restored
            return restored.text
        }
        var tailored: String
        var changes: [String] = []
        if let provider {
            let prompt = PromptBuilder().tailoringPrompt(
                resume: redaction?.redact(resume) ?? resume,
                jobDescription: request.jobDescription,
                format: format,
                keepsPlaceholders: !(redaction?.isEmpty ?? true)
            )
            tailored = try await withSpan("resume.tailor") { _ in try await ask(prompt, of: provider) }
        } else {
            let tailoring = withSpan("resume.tailor") { span in
                span.attributes["resume.tailor.offline"] = true
                return OfflineTailor().tailoring(resume, keywords: keywords, format: format)
            }
            tailored = tailoring.text
            changes = tailoring.changes
        }
        // For a document, the checks below read the text the document really holds.
        var output = try write(tailored, request: request, format: format)
        tailored = output.text

        try Task.checkCancellation()
        await progress(.checkingFacts)
        var warnings =
            factCheck(guardian, original: resume, tailored: tailored, jobDescription: request.jobDescription)
            + Self.unsentWarnings(unsentPersonalData) + droppedPersonalDataWarnings(redaction, restoration)
        logger.debug("Checked facts", metadata: ["optimization.warnings": "\(warnings.count)"])

        let policy = request.options.factCheck
        if !warnings.isEmpty, policy == .repair || policy == .repairOrReject, let provider {
            try Task.checkCancellation()
            await progress(.repairing(providerName: providerName))
            let prompt = PromptBuilder().repairPrompt(
                tailored: redaction?.redact(tailored) ?? tailored,
                original: redaction?.redact(resume) ?? resume,
                warnings: redaction.map { redaction in
                    warnings.map { FabricationWarning(kind: $0.kind, text: redaction.redact($0.text)) }
                } ?? warnings,
                format: format,
                keepsPlaceholders: !(redaction?.isEmpty ?? true)
            )
            tailored = try await withSpan("resume.repair") { _ in try await ask(prompt, of: provider) }
            output = try write(tailored, request: request, format: format)
            tailored = output.text
            await progress(.checkingFacts)
            warnings =
                factCheck(guardian, original: resume, tailored: tailored, jobDescription: request.jobDescription)
                + Self.unsentWarnings(unsentPersonalData)
                + droppedPersonalDataWarnings(redaction, restoration)
            logger.debug("Checked facts after repair", metadata: ["optimization.warnings": "\(warnings.count)"])
        }
        if !warnings.isEmpty, policy == .reject || policy == .repairOrReject {
            throw Self.unsupportedClaims(warnings, afterRepair: policy == .repairOrReject && provider != nil)
        }

        try Task.checkCancellation()
        await progress(.writingResult)
        let matchAfter = analyzer.report(resume: tailored, keywords: keywords)
        let summary = Self.summary(
            providerName: provider == nil ? nil : providerName,
            model: model,
            changes: changes.count,
            before: matchBefore,
            after: matchAfter,
            warnings: warnings.count
        )
        logger.info(
            "Optimized resume",
            metadata: [
                "optimization.score_before": "\(matchBefore.score)",
                "optimization.score_after": "\(matchAfter.score)",
                "optimization.warnings": "\(warnings.count)",
                "optimization.output_tokens": "\(usage.outputTokens)",
            ]
        )
        return OptimizationResult(
            text: tailored,
            matchBefore: matchBefore,
            matchAfter: matchAfter,
            warnings: warnings,
            usage: usage,
            usedAI: provider != nil,
            providerName: providerName,
            model: model,
            summary: summary,
            format: format,
            contents: output.document ?? Data(tailored.utf8),
            changes: changes,
            redaction: redaction.map { redaction in
                RedactionSummary(
                    isEnabled: true,
                    counts: redaction.counts,
                    unrestored: (restoration?.missing ?? []) + (restoration?.unmatched ?? [])
                )
            } ?? .disabled,
            documentEdits: output.edits
        )
    }

    /// The output for `tailored` (``documentOutput(for:request:format:)``), in a span.
    private func write(_ tailored: String, request: OptimizationRequest, format: OutputFormat) throws
        -> DocumentOutput
    {
        try withSpan("resume.write") { span in
            span.attributes["resume.output_format"] = format.fileType
            return try documentOutput(for: tailored, request: request, format: format)
        }
    }

    /// The fabrication check, in a span that counts the warnings (never quotes them).
    private func factCheck(
        _ guardian: FabricationGuard,
        original: String,
        tailored: String,
        jobDescription: String
    ) -> [FabricationWarning] {
        withSpan("resume.fact_check") { span in
            let warnings = guardian.check(original: original, tailored: tailored, jobDescription: jobDescription)
            span.attributes["resume.fact_check.warnings"] = warnings.count
            return warnings
        }
    }

    private func validate(resume: String, jobDescription: String) throws {
        if resume.trimmingWhitespace().isEmpty {
            throw OptimizationError(
                code: .invalidInput,
                message:
                    "The resume has no text. Check that the file is a .docx or .txt resume with text in it (not a scanned image)."
            )
        }
        if jobDescription.trimmingWhitespace().isEmpty {
            throw OptimizationError(
                code: .invalidInput,
                message: "The job description is empty. Paste the job posting's text."
            )
        }
        if resume.count > configuration.maximumResumeCharacters {
            throw OptimizationError(
                code: .invalidInput,
                message:
                    "The resume has \(resume.count) characters; at most \(configuration.maximumResumeCharacters) are accepted. Shorten it or raise maximumResumeCharacters."
            )
        }
        if jobDescription.count > configuration.maximumJobDescriptionCharacters {
            throw OptimizationError(
                code: .invalidInput,
                message:
                    "The job description has \(jobDescription.count) characters; at most \(configuration.maximumJobDescriptionCharacters) are accepted. Keep only the role's description and requirements."
            )
        }
    }

    /// One model call with clean-up: an answer cut off by the length limit is retried once with more room.
    private func complete(
        _ prompt: TailoringPrompt,
        outputLimit: Int,
        with provider: any AIProvider,
        model: String?,
        format: OutputFormat,
        logger: Logger
    ) async throws -> (text: String, usage: TokenUsage, model: String) {
        var usage = TokenUsage()
        var limit = outputLimit
        for attempt in 1...2 {
            var request = prompt.completionRequest(
                model: model,
                maxOutputTokens: limit,
                temperature: configuration.temperature
            )
            if let timeout = configuration.modelCallTimeout {
                request.deadline = .now + timeout
            }
            let completion: Completion
            let started = ContinuousClock.now
            do {
                completion = try await call(provider, request, logger: logger)
            } catch let error as AIProviderError {
                metrics.providerCall(
                    provider.name,
                    outcome: error.kind.identifier,
                    after: ContinuousClock.now - started,
                    usage: nil
                )
                throw OptimizationError(error)
            }
            metrics.providerCall(
                provider.name,
                outcome: "succeeded",
                after: ContinuousClock.now - started,
                usage: completion.usage
            )
            usage = usage + completion.usage
            switch completion.finishReason {
            case .length:
                if attempt == 1 {
                    logger.notice(
                        "Answer cut off by the output limit; retrying with more room",
                        metadata: ["optimization.max_output_tokens": "\(limit)"]
                    )
                    limit = configuration.retryOutputTokenLimit(after: limit)
                    continue
                }
                throw OptimizationError(
                    code: .truncatedOutput,
                    message:
                        "\(provider.name)'s answer was cut off at \(limit) output tokens, even after a retry with more room. Use a model with a larger output limit, raise retryMaximumOutputTokens, or shorten the resume."
                )
            case .contentFilter:
                throw OptimizationError(
                    code: .contentFiltered,
                    message:
                        "\(provider.name) withheld its answer for its content policy. Try another model, or the offline tailor."
                )
            case .stop, .other:
                break
            }
            let text = OutputCleaner().clean(completion.text, format: format)
            guard !text.isEmpty else {
                throw OptimizationError(
                    code: .emptyOutput,
                    message: "\(provider.name) returned no resume text. Try again, or try another model."
                )
            }
            return (text, usage, completion.model)
        }
        preconditionFailure("the loop returns or throws")
    }

    /// One model call in a client span named and described as OpenTelemetry's generative-AI conventions
    /// say (`chat <model>`, `gen_ai.*`): the provider, the models, the token limit and usage, the finish
    /// reason. Prompts and answers are never attributes.
    private func call(_ provider: any AIProvider, _ request: CompletionRequest, logger: Logger) async throws
        -> Completion
    {
        try await withSpan("chat \(request.model ?? provider.name)", ofKind: .client) { span in
            span.attributes["gen_ai.operation.name"] = "chat"
            span.attributes["gen_ai.system"] = provider.name
            if let model = request.model { span.attributes["gen_ai.request.model"] = model }
            span.attributes["gen_ai.request.max_tokens"] = request.maxOutputTokens
            let completion = try await provider.complete(request, logger: logger)
            span.attributes["gen_ai.response.model"] = completion.model
            span.attributes["gen_ai.response.finish_reasons"] = [completion.finishReason.rawValue]
            span.attributes["gen_ai.usage.input_tokens"] = completion.usage.inputTokens
            span.attributes["gen_ai.usage.output_tokens"] = completion.usage.outputTokens
            return completion
        }
    }

    /// The refusal names the kinds of claims and their counts, never the claims themselves: the message
    /// reaches stored jobs, status responses and logs. The claims, which quote the tailored resume, are in
    /// ``OptimizationError/warnings`` for the caller that owns the resume.
    private static func unsupportedClaims(_ warnings: [FabricationWarning], afterRepair: Bool) -> OptimizationError {
        var counts: [(kind: FabricationWarning.Kind, count: Int)] = []
        for warning in warnings {
            if let index = counts.firstIndex(where: { $0.kind == warning.kind }) {
                counts[index].count += 1
            } else {
                counts.append((warning.kind, 1))
            }
        }
        let listed = counts.map { $0.count == 1 ? $0.kind.phrase : "\($0.kind.phrase) × \($0.count)" }
            .joined(separator: ", ")
        let claims = warnings.count == 1 ? "1 claim" : "\(warnings.count) claims"
        let repair = afterRepair ? " even after a repair attempt" : ""
        return OptimizationError(
            code: .unsupportedClaims,
            message: "The tailored resume makes \(claims) the original does not support\(repair) (\(listed)). "
                + "Add these facts to your resume if they are true, or run again with the warn policy to review them.",
            warnings: warnings
        )
    }

    private static func summary(
        providerName: String?,
        model: String?,
        changes: Int,
        before: MatchReport,
        after: MatchReport,
        warnings: Int
    ) -> String {
        let how: String
        if let providerName {
            how = "Tailored with \(providerName)" + (model.map { " (\($0))" } ?? "")
        } else if changes == 0 {
            how =
                "Tailored offline; no AI model was used, and nothing changed: the resume names none of the job's keywords"
        } else {
            how =
                "Tailored offline; no AI model was used: \(changes) change\(changes == 1 ? "" : "s") "
                + "(the job's matches first, a summary line from the resume's own facts)"
        }
        let gained = after.matched.filter { !before.matched.contains($0) }.count
        let lost = before.matched.filter { !after.matched.contains($0) }.count
        let why: String
        if before.score == after.score, gained == 0, lost == 0 {
            why =
                providerName == nil
                ? "unchanged: the score counts which of the job's keywords the resume contains, not where, "
                    + "and the offline tailor adds none the resume lacks"
                : "unchanged: the tailored resume contains the same keywords of the job"
        } else {
            var parts: [String] = []
            if gained > 0 { parts.append("\(gained) keyword\(gained == 1 ? "" : "s") of the job added") }
            if lost > 0 { parts.append("\(lost) dropped") }
            why = parts.isEmpty ? "keywords weighed differently" : parts.joined(separator: ", ")
        }
        let warned =
            warnings == 0 ? "no fabrication warnings" : "\(warnings) fabrication warning\(warnings == 1 ? "" : "s")"
        return "\(how). Match score \(before.score) → \(after.score) (\(why)); \(warned)."
    }
}
