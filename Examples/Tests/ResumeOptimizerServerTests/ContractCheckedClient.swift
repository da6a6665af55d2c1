import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A test client that checks every response against the server's OpenAPI document before the
/// test sees it: an undocumented route, status, header or body shape fails the test.
///
/// Every server test runs its requests through it (`client.checkingContract()`), so the document
/// and the server cannot drift apart without a test failing. CORS preflight requests (`OPTIONS`
/// with `Access-Control-Request-Method`) are described in prose, not in the document, and pass
/// unchecked.
struct ContractCheckedClient: TestClientProtocol {
    let client: any TestClientProtocol
    let contract: OpenAPIContract

    var port: Int? { client.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> TestResponse
    {
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        if method == .options, headers[.accessControlRequestMethod] != nil { return response }
        try contract.check(
            method: method,
            uri: uri,
            status: response.status,
            headers: response.headers,
            body: Data(response.body.readableBytesView)
        )
        return response
    }
}

extension TestClientProtocol {
    /// This client, checking every response against the server's OpenAPI document.
    func checkingContract(_ contract: OpenAPIContract = .bundled) -> ContractCheckedClient {
        ContractCheckedClient(client: self, contract: contract)
    }
}
