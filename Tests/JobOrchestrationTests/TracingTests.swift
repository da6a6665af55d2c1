import Foundation
import InMemoryTracing
import Instrumentation
import JobOrchestration
import Optimization
import Tracing
import XCTest

/// The spans of a job, from its submission to each stage of the worker that runs it, through the
/// instrument a host bootstraps.
final class TracingTests: XCTestCase {
    /// The in-memory tracer, bootstrapped once for this test process (the PostgreSQL tests may have
    /// bootstrapped it first). Other tests' jobs add spans too, so each test finds its own by job id
    /// and trace id.
    static let tracer: InMemoryTracer = {
        if let tracer = InstrumentationSystem.tracer as? InMemoryTracer { return tracer }
        let tracer = InMemoryTracer()
        InstrumentationSystem.bootstrap(tracer)
        return tracer
    }()

    private let resume = "Jane Doe\njane@example.com\n\nSkills\nSwift, Kubernetes\n- Built payment APIs in Swift\n"

    func testResumeJob_spansRunFromTheSubmitThroughEveryStageOfTheWorker() async throws {
        let tracer = Self.tracer
        let tailored = resume.replacingOccurrences(of: "Built payment APIs", with: "Built and ran payment APIs")
        let provider = StubProvider(replies: [.text(tailored)])
        let center = try JobCenter(
            kind: ResumeOptimizationJob(optimizer: ResumeOptimizer(provider: provider)),
            configuration: .testing()
        )
        // The request's span, as a server's tracing middleware would start it.
        let (submitted, requestSpanID) = try await withSpan("POST /optimize", ofKind: .server) { span in
            let report = try await center.submit(
                .init(resume: Data(resume.utf8), fileName: "resume.txt", jobDescription: "Swift and Kubernetes"),
                userID: "jane"
            )
            return (report, (span as? InMemorySpan)?.spanID)
        }
        let final = try await withRunningJobCenter(center) { center in
            try await center.wait(for: submitted.jobID, userID: "jane", timeout: .seconds(30))
        }
        XCTAssertEqual(final.status, .completed)

        let spans = tracer.finishedSpans
        let id = submitted.jobID.description
        let submit = try XCTUnwrap(
            spans.first {
                $0.operationName == "resume-optimization submit"
                    && $0.attributes["job.id"]?.toSpanAttribute() == .string(id)
            }
        )
        XCTAssertEqual(submit.kind, .producer)
        XCTAssertEqual(submit.parentSpanID, try XCTUnwrap(requestSpanID), "the submit is a child of the request")

        // The attempt runs in another task, yet joins the submitter's trace as the submit's child.
        let attempt = try XCTUnwrap(
            spans.first { $0.operationName == "resume-optimization" && $0.traceID == submit.traceID }
        )
        XCTAssertEqual(attempt.kind, .consumer)
        XCTAssertEqual(attempt.parentSpanID, submit.spanID)
        XCTAssertEqual(attempt.attributes["job.id"]?.toSpanAttribute(), .string(id))
        XCTAssertEqual(attempt.attributes["job.attempt"]?.toSpanAttribute(), .int64(1))
        XCTAssertEqual(attempt.attributes["job.outcome"]?.toSpanAttribute(), .string("succeeded"))
        XCTAssertEqual(attempt.status?.code, .ok)

        // Each stage is a span of this trace, under the attempt.
        let trace = spans.filter { $0.traceID == submit.traceID }
        func span(_ name: String) throws -> FinishedInMemorySpan {
            try XCTUnwrap(trace.first { $0.operationName == name }, "no \(name) span in \(trace.map(\.operationName))")
        }
        XCTAssertEqual(try span("resume.parse").parentSpanID, attempt.spanID)
        XCTAssertEqual(try span("resume.parse").attributes["resume.format"]?.toSpanAttribute(), .string("txt"))
        let optimize = try span("resume.optimize")
        XCTAssertEqual(optimize.parentSpanID, attempt.spanID)
        for stage in ["resume.tailor", "resume.fact_check", "resume.write"] {
            XCTAssertEqual(try span(stage).parentSpanID, optimize.spanID, stage)
        }
        let call = try span("chat Stub")
        XCTAssertEqual(call.kind, .client)
        XCTAssertEqual(call.parentSpanID, try span("resume.tailor").spanID)
        XCTAssertEqual(call.attributes["gen_ai.system"]?.toSpanAttribute(), .string("Stub"))
        XCTAssertEqual(call.attributes["gen_ai.response.finish_reasons"]?.toSpanAttribute(), .stringArray(["stop"]))
        XCTAssertNotNil(call.attributes["gen_ai.usage.output_tokens"])
        XCTAssertEqual(
            try span("resume.fact_check").attributes["resume.fact_check.warnings"]?.toSpanAttribute(),
            .int64(0)
        )

        // No span carries the resume's or the job description's text.
        for finished in trace {
            finished.attributes.forEach { key, value in
                XCTAssertFalse("\(value)".contains("Jane"), "\(finished.operationName) \(key)")
                XCTAssertFalse("\(value)".contains("Kubernetes"), "\(finished.operationName) \(key)")
            }
        }
    }

    func testFailedAttempt_isAnErrorSpanWithTheFailuresCode() async throws {
        let tracer = Self.tracer
        let center = try JobCenter(
            kind: ResumeOptimizationJob(optimizer: ResumeOptimizer(provider: nil)),
            configuration: .testing()
        )
        let submitted = try await center.submit(
            .init(resume: Data("PK\u{3}\u{4} not a zip".utf8), fileName: "resume.docx", jobDescription: "Swift"),
            userID: "jane"
        )
        let final = try await withRunningJobCenter(center) { center in
            try await center.wait(for: submitted.jobID, userID: "jane", timeout: .seconds(30))
        }
        XCTAssertEqual(final.status, .failed)
        let attempt = try XCTUnwrap(
            tracer.finishedSpans.first {
                $0.operationName == "resume-optimization"
                    && $0.attributes["job.id"]?.toSpanAttribute() == .string(submitted.jobID.description)
            }
        )
        XCTAssertEqual(attempt.status?.code, .error)
        XCTAssertEqual(attempt.attributes["job.outcome"]?.toSpanAttribute(), .string("failed"))
        XCTAssertEqual(
            attempt.attributes["job.error_code"]?.toSpanAttribute(),
            final.errorCode.map { .string($0.identifier) }
        )
        let parse = try XCTUnwrap(
            tracer.finishedSpans.first { $0.operationName == "resume.parse" && $0.parentSpanID == attempt.spanID }
        )
        XCTAssertFalse(parse.errors.isEmpty, "the parse span records the parser's error")
    }
}
