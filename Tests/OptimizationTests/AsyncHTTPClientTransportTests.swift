import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
@testable import Optimization
import XCTest

final class AsyncHTTPClientTransportTests: XCTestCase {
    func testSharedClientConfiguration_usesTheConnectTimeoutAndLeavesRetriesToTheProvider() {
        let configuration = SharedHTTPClients.configuration(connectTimeout: .seconds(5))

        XCTAssertEqual(configuration.timeout.connect, .seconds(5))
        XCTAssertFalse(configuration.connectionPool.retryConnectionEstablishment)
    }

    func testShared_reusesOneClientPerConnectTimeout() {
        let first = AsyncHTTPClientTransport.shared(connectTimeout: .seconds(5)).client
        let second = AsyncHTTPClientTransport.shared(connectTimeout: .seconds(5)).client
        let other = AsyncHTTPClientTransport.shared(connectTimeout: .seconds(2)).client

        XCTAssertTrue(first === second)
        XCTAssertFalse(first === other)
    }

    func testTransportError_mapsAsyncHTTPClientFailuresToCodes() {
        let request = HTTPTransportRequest(url: "http://127.0.0.1:1/v1/chat/completions", maximumResponseBytes: 10)
        let cases: [(any Error, HTTPTransportError.Code)] = [
            (HTTPClientError.deadlineExceeded, .timeout),
            (HTTPClientError.connectTimeout, .timeout),
            (HTTPClientError.readTimeout, .timeout),
            (HTTPClientError.cancelled, .cancelled),
            (HTTPClientError.invalidURL, .invalidURL),
            (HTTPClientError.unsupportedScheme("ftp"), .invalidURL),
            (HTTPClientError.remoteConnectionClosed, .connection),
            (NIOTooManyBytesError(maxBytes: 10), .responseTooLarge),
            (CancellationError(), .cancelled),
        ]
        for (error, code) in cases {
            XCTAssertEqual(AsyncHTTPClientTransport.transportError(for: error, request: request).code, code, "\(error)")
        }
    }

    func testSend_whenTheBodyExceedsTheLimit_throwsResponseTooLarge() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [
            .init(status: 200, body: String(repeating: "x", count: 4096))
        ])
        defer { server.stop() }
        let request = HTTPTransportRequest(url: server.baseURL + "/big", maximumResponseBytes: 1024)

        do {
            _ = try await AsyncHTTPClientTransport.shared()
                .send(request, deadline: .now.advanced(by: .seconds(5)), logger: .init(label: "test"))
            XCTFail("expected an error")
        } catch let error as HTTPTransportError {
            XCTAssertEqual(error.code, .responseTooLarge)
        }
    }

    func testSend_returnsNon2xxResponsesWithoutThrowing() async throws {
        let server = try await LoopbackHTTPServer.start(replies: [
            .init(status: 503, headers: [("retry-after", "3")], body: "busy")
        ])
        defer { server.stop() }

        let response = try await AsyncHTTPClientTransport.shared()
            .send(
                HTTPTransportRequest(url: server.baseURL + "/x", body: Array("{}".utf8)),
                deadline: .now.advanced(by: .seconds(5)),
                logger: .init(label: "test")
            )

        XCTAssertEqual(response.status, 503)
        XCTAssertEqual(response.headers.first(name: "retry-after"), "3")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "busy")
        XCTAssertEqual(server.received.first?.body, "{}")
    }
}
