import Foundation
import Hummingbird
import HummingbirdTesting
import InMemoryTracing
import Instrumentation
import JobOrchestration
@testable import resume_optimizer_server
import Tracing
import XCTest

/// With a tracer bootstrapped, each request has a server span, a submit's job spans are its children,
/// and a download (whose path is its token) has no span.
extension EndToEndTests {
    func testTracing_requests_haveServerSpans_theSubmitIsTheRequestsChild_andDownloadsHaveNone() async throws {
        let tracer: InMemoryTracer
        if let bootstrapped = InstrumentationSystem.tracer as? InMemoryTracer {
            tracer = bootstrapped
        } else {
            tracer = InMemoryTracer()
            InstrumentationSystem.bootstrap(tracer)
        }
        XCTAssertTrue(RequestTracingMiddleware<ServerRequestContext>.isTracerBootstrapped)

        let (jobID, token) = try await withServer { client in
            let jobID = try await EndToEndTests.submit(client)
            let status = try await EndToEndTests.waitForEnd(client, jobID: jobID)
            let link = try XCTUnwrap(status["optimizedResumeUrl"] as? String)
            let path = String(link.dropFirst("https://resumes.example.com".count))
            try await client.execute(uri: path, method: .get) { response in
                XCTAssertEqual(response.status, .ok)
            }
            return (jobID, String(path.dropFirst("/downloads/".count)))
        }

        let spans = tracer.finishedSpans
        let submit = try XCTUnwrap(
            spans.first { $0.kind == SpanKind.producer && $0.attributes["job.id"]?.toSpanAttribute() == .string(jobID) }
        )
        let request = try XCTUnwrap(spans.first { $0.spanID == submit.parentSpanID }, "the submit's parent span")
        XCTAssertEqual(request.kind, SpanKind.server)
        XCTAssertEqual(request.operationName, "/optimize")
        XCTAssertEqual(request.attributes["http.request.method"]?.toSpanAttribute(), .string("POST"))
        XCTAssertEqual(request.attributes["http.response.status_code"]?.toSpanAttribute(), .int64(202))
        XCTAssertTrue(
            spans.contains { $0.kind == SpanKind.server && $0.operationName == "/status" },
            "the status reads have spans"
        )
        for span in spans {
            span.attributes.forEach { key, value in
                XCTAssertFalse("\(value)".contains(token), "\(span.operationName) \(key) holds the download token")
            }
            XCTAssertFalse(span.operationName.contains(token))
        }
    }
}
