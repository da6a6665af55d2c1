import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import JobOrchestration
import Logging
import NIOConcurrencyHelpers
import Prometheus
import XCTest

@testable import resume_optimizer_server

final class ObservabilityTests: XCTestCase {
    func testMetricsRoute_servesTheJobCentersMetricsInPrometheusTextFormat() async throws {
        let registry = PrometheusCollectorRegistry()
        let center = try JobCenter(kind: UppercaseJob(), metricsFactory: PrometheusMetricsFactory(registry: registry))
        _ = try await center.submit(.init(resume: Data("x".utf8), jobDescription: "y"), userID: "jane")
        var configuration = testConfiguration()
        configuration.metrics = registry
        let app = buildApplication(configuration: configuration, jobs: RecordingJobService(), logger: quietLogger)

        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                XCTAssertTrue(
                    text.contains(#"resume_optimizer_jobs_submitted_total{kind="uppercase-test"} 1"#),
                    text
                )
                XCTAssertTrue(text.contains("# TYPE resume_optimizer_jobs_submitted_total counter"), text)
            }
        }
    }

    func testMetricsRoute_isAbsentWithoutTheFlag() async throws {
        let app = buildApplication(configuration: testConfiguration(), jobs: RecordingJobService(), logger: quietLogger)

        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
            }
        }
    }

    func testJSONLogHandler_writesOneJSONObjectPerRecordWithTheMetadata() throws {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "server") { label in
            JSONLogHandler(label: label, write: { line in lines.withLockedValue { $0.append(line) } })
        }
        logger[metadataKey: "user.id"] = "jane"

        logger.info("Job failed", metadata: ["job.id": "42", "job.error_code": "noText"])

        let written = lines.withLockedValue { $0 }
        XCTAssertEqual(written.count, 1)
        XCTAssertFalse(written[0].contains("\n"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: String])
        XCTAssertEqual(object["message"], "Job failed")
        XCTAssertEqual(object["level"], "info")
        XCTAssertEqual(object["label"], "server")
        XCTAssertEqual(object["job.id"], "42")
        XCTAssertEqual(object["user.id"], "jane")
        XCTAssertEqual(object["job.error_code"], "noText")
        let timestamp = try XCTUnwrap(object["timestamp"])
        XCTAssertNotNil(try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(timestamp), timestamp)
    }

    func testServe_parsesLogFormatAndMetrics() throws {
        let command = try ServeCommand.parse(["--log-format", "json", "--metrics"])
        XCTAssertEqual(command.logFormat, .json)
        XCTAssertTrue(command.metrics)
        XCTAssertThrowsError(try ServeCommand.parse(["--log-format", "xml"]))
    }

    func testVersion_isPrintedByTheRootCommand() {
        XCTAssertThrowsError(try ResumeOptimizerServerCommand.parseAsRoot(["--version"])) { error in
            XCTAssertEqual(ResumeOptimizerServerCommand.message(for: error), resumeOptimizerServerVersion)
        }
    }
}
