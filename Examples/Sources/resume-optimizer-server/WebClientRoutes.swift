import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The browser client and the API's description: `GET /` (the page), `/app.js`, `/app.css`,
/// `GET /openapi.json`, and `GET /dev/token` in development mode. None of them needs a token.
///
/// The files are the target's resources (`Public/`), read once. The page is sent with a
/// strict `Content-Security-Policy`: it loads its script and style sheet from this server only and
/// runs no inline script.
struct WebClientRoutes: Sendable {
    typealias Context = ServerRequestContext

    /// A file served as it is.
    struct Asset: Sendable {
        var bytes: ByteBuffer
        var contentType: String
    }

    /// The policy the page is sent with: its own script, style and API only; no framing, no plugins.
    static let contentSecurityPolicy = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// The user of the token that `GET /dev/token` hands out.
    static let developmentUser = "demo-user"

    let configuration: ServerConfiguration

    static let files: [(path: String, name: String, contentType: String)] = [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "app.css", "text/css; charset=utf-8"),
        ("/openapi.json", "openapi.json", "application/json; charset=utf-8"),
    ]

    /// The bundled files by path, read once; a build without them answers 500 on these routes.
    static let assets: Result<[String: Asset], WebClientError> = Result { try loadAssets() }
        .mapError { $0 as? WebClientError ?? WebClientError("\($0)") }

    static func loadAssets() throws -> [String: Asset] {
        guard let folder = Bundle.module.url(forResource: "Public", withExtension: nil) else {
            throw WebClientError("The server's bundle has no Public folder; rebuild the server.")
        }
        var assets: [String: Asset] = [:]
        for file in files {
            let url = folder.appendingPathComponent(file.name)
            do {
                let data = try Data(contentsOf: url)
                assets[file.path] = Asset(bytes: ByteBuffer(bytes: data), contentType: file.contentType)
            } catch {
                throw WebClientError("Cannot read \(file.name) from the server's bundle: \(error.localizedDescription)")
            }
        }
        return assets
    }

    /// The OpenAPI document's bytes, as served at `GET /openapi.json`.
    static func openAPIDocument() throws -> Data {
        guard let document = try assets.get()["/openapi.json"] else { throw WebClientError("openapi.json is missing.") }
        return Data(document.bytes.readableBytesView)
    }

    func register(on router: Router<Context>) {
        for file in Self.files {
            router.get(RouterPath(file.path)) { _, _ in
                guard let asset = try? Self.assets.get()[file.path] else {
                    throw APIError(
                        status: .internalServerError,
                        message: "The web client is missing from this build of the server."
                    )
                }
                var headers: HTTPFields = [
                    .contentType: asset.contentType,
                    .cacheControl: "no-cache",
                    .xContentTypeOptions: "nosniff",
                ]
                if file.path == "/" {
                    headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
                    headers[.referrerPolicy] = "no-referrer"
                    headers[.xFrameOptions] = "DENY"
                }
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.bytes))
            }
        }
        router.get("/dev/token") { _, _ in
            guard configuration.offersDevelopmentToken else {
                throw APIError.notFound("This server does not run in development mode; ask for a bearer token.")
            }
            let token = try await TokenSigner.sign(
                subject: Self.developmentUser,
                lifetime: .seconds(86_400),
                secret: configuration.tokenSecret
            )
            return DevelopmentToken(token: token, user: Self.developmentUser)
        }
    }

    private struct DevelopmentToken: ResponseEncodable {
        var token: String
        var user: String
    }
}

/// The bundled web client could not be loaded.
struct WebClientError: Error, Sendable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

extension HTTPField.Name {
    fileprivate static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    fileprivate static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
