import Foundation
import JobOrchestration
import Logging
import Optimization
import ResumeParsing
import XCTest

final class JobFailureMappingTests: XCTestCase {
    /// A job kind of the host's own, with the default `failure(for:)`: it parses and tailors like the
    /// library's kind, under another identifier.
    struct HostTailoring: JobKind {
        struct Input: Codable, Sendable { var resume: Data; var jobDescription: String }
        static let identifier = "host-tailoring"
        let optimizer: ResumeOptimizer

        func run(_ input: Input, context: JobContext) async throws -> JobOutput<NoJobDetails> {
            let document = try ResumeParser().parse(input.resume)
            _ = try await optimizer.optimize(
                OptimizationRequest(resume: document, jobDescription: input.jobDescription),
                logger: context.logger
            )
            return JobOutput()
        }
    }

    struct AlwaysFails: AIProvider {
        var name: String { "Failing" }
        func complete(_ request: CompletionRequest, logger: Logger) async throws -> Completion {
            throw AIProviderError(
                kind: .authentication,
                message: "The provider refused the API key.",
                isRetryable: false,
                providerName: "Failing"
            )
        }
    }

    private func finalReport(
        of input: HostTailoring.Input,
        provider: (any AIProvider)? = nil
    ) async throws -> JobStatusReport<NoJobDetails> {
        let center = try JobCenter(kind: HostTailoring(optimizer: ResumeOptimizer(provider: provider)))
        return try await withRunningJobCenter(center) { center in
            let submitted = try await center.submit(input, userID: "alice")
            return try await center.wait(for: submitted.jobID, userID: "alice", timeout: .seconds(10))
        }
    }

    func testHostKind_withTheDefaultMapping_failsAnEmptyResumeWithTheParsersCode() async throws {
        let final = try await finalReport(of: .init(resume: Data(), jobDescription: "Go, Kafka"))

        XCTAssertEqual(final.status, .failed)
        XCTAssertEqual(final.errorCode, .emptyInput)
        XCTAssertEqual(final.errorCode?.identifier, ResumeParsingError.Code.emptyInput.identifier)
    }

    func testHostKind_withTheDefaultMapping_failsAProviderErrorWithTheProviderCode() async throws {
        let final = try await finalReport(
            of: .init(resume: Data("Ana Ruiz\nSkills\nGo".utf8), jobDescription: "Go, Kafka"),
            provider: AlwaysFails()
        )

        XCTAssertEqual(final.status, .failed)
        XCTAssertEqual(final.errorCode, .providerAuthentication)
    }

    func testHostKind_andTheLibraryKind_giveTheSameCodeForTheSameError() async throws {
        let error = ResumeParsingError(code: .noText, message: "The document holds no readable text.")
        let host = HostTailoring(optimizer: ResumeOptimizer(provider: nil)).failure(for: error)
        let library = ResumeOptimizationJob(optimizer: ResumeOptimizer(provider: nil)).failure(for: error)

        XCTAssertEqual(host, library)
        XCTAssertEqual(host.code, .noText)
    }

    func testParsingCodes_keepTheirIdentifiers() {
        let pairs: [(ResumeParsingError.Code, JobFailure.Code)] = [
            (.emptyInput, .emptyInput), (.invalidBase64, .invalidBase64), (.unreadableFile, .unreadableFile),
            (.limitExceeded, .limitExceeded), (.unsupportedFormat, .unsupportedFormat),
            (.legacyWordDocument, .legacyWordDocument), (.encryptedDocument, .encryptedDocument),
            (.notATextDocument, .notATextDocument), (.corruptArchive, .corruptArchive),
            (.missingMainDocument, .missingMainDocument), (.malformedXML, .malformedXML),
            (.forbiddenDocumentType, .forbiddenDocumentType), (.noText, .noText),
        ]
        for (parsing, job) in pairs {
            XCTAssertEqual(job.identifier, parsing.identifier)
            XCTAssertEqual(JobFailure(ResumeParsingError(code: parsing, message: "m")).code, job)
        }
    }

    func testOptimizationCodes_keepTheirIdentifiers() {
        let pairs: [(OptimizationError.Code, JobFailure.Code)] = [
            (.invalidInput, .invalidInput), (.emptyOutput, .emptyOutput), (.truncatedOutput, .truncatedOutput),
            (.contentFiltered, .contentFiltered), (.unsupportedClaims, .unsupportedClaims),
        ]
        for (optimization, job) in pairs {
            XCTAssertEqual(job.identifier, optimization.identifier)
            XCTAssertEqual(JobFailure(OptimizationError(code: optimization, message: "m")).code, job)
        }
    }

    func testProviderKinds_arePrefixedWithProvider_andKeepRetryability() {
        for kind in AIProviderError.Kind.allCases {
            let error = AIProviderError(
                kind: kind,
                message: "m",
                isRetryable: kind == .rateLimited,
                retryAfter: kind == .rateLimited ? .seconds(3) : nil
            )
            // A provider's content filter and a cancelled call have the optimizer's own codes.
            let expected =
                kind == .contentFiltered || kind == .cancelled
                ? kind.identifier
                : "provider" + kind.identifier.prefix(1).uppercased() + kind.identifier.dropFirst()

            for failure in [JobFailure(error), JobFailure(OptimizationError(error))] {
                XCTAssertEqual(failure.code.identifier, expected)
                XCTAssertEqual(failure.isRetryable, kind == .rateLimited)
                XCTAssertEqual(failure.retryAfter, kind == .rateLimited ? .seconds(3) : nil)
            }
        }
        XCTAssertEqual(JobFailure.Code(AIProviderError.Kind.rateLimited), .providerRateLimited)
        XCTAssertEqual(JobFailure.Code(AIProviderError.Kind.contextTooLong), .providerContextTooLong)
    }

    func testProviderFailure_thatTheProviderAlreadyRetried_isNotRetriedByTheJob() {
        // One owner of retrying: the provider's RetryPolicy sent the request three times; the job must
        // not multiply that by its own attempts.
        let retried = AIProviderError(kind: .overloaded, message: "m", isRetryable: true, attempts: 3)
        let sentOnce = AIProviderError(kind: .overloaded, message: "m", isRetryable: true, attempts: 1)

        XCTAssertFalse(JobFailure(retried).isRetryable)
        XCTAssertFalse(JobFailure(OptimizationError(retried)).isRetryable)
        XCTAssertTrue(JobFailure(sentOnce).isRetryable)
        XCTAssertEqual(JobFailure(retried).code, .providerOverloaded)
    }

    func testMapping_ofAnUnknownError_isNil_andTheDefaultKindReportsAnInternalError() {
        struct Unknown: Error {}

        XCTAssertNil(JobFailure.mapping(Unknown()))
        XCTAssertEqual(
            HostTailoring(optimizer: ResumeOptimizer(provider: nil)).failure(for: Unknown()).code,
            .internalError
        )
        let failure = JobFailure(code: "custom", message: "m")
        XCTAssertEqual(JobFailure.mapping(failure), failure)
    }
}
