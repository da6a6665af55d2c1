import Foundation
public import PostgresNIO

/// How a ``PostgresJobStore`` reaches its database and what it keeps there.
///
/// Every property has a documented default except the connection; ``init(url:)`` reads one from a
/// connection string.
public struct PostgresJobStoreConfiguration: Sendable {
    /// The connection pool's configuration: server, credentials, TLS and pool size
    /// (`client.options.maximumConnections`, default 20 per store). The store holds one more
    /// connection of the pool for `LISTEN` while it runs.
    public var client: PostgresClient.Configuration
    /// The PostgreSQL schema that holds the store's tables; created at start if missing.
    /// Lowercase letters, digits and `_`, at most 40 characters, not starting with a digit.
    /// Default: `job_orchestration`.
    public var schema: String
    /// The largest result the store accepts, in bytes; a larger one fails the job's
    /// ``JobStore/finish(_:result:keepInput:condition:)`` with ``PostgresJobStoreError/Code/resultTooLarge``.
    /// Default: 16 MiB.
    public var maximumResultSize: Int
    /// The largest input the store accepts, in bytes. Default: 16 MiB.
    public var maximumInputSize: Int
    /// How long one store operation may take, waiting for a connection included, before it fails
    /// with ``PostgresJobStoreError/Code/unavailable``. Default: 10 seconds.
    public var operationTimeout: Duration
    /// How long the store waits before listening again after it lost its `LISTEN` connection.
    /// Default: 1 second.
    public var listenRetryDelay: Duration

    /// Creates a configuration for the given connection.
    public init(
        client: PostgresClient.Configuration,
        schema: String = "job_orchestration",
        maximumResultSize: Int = 16 * 1024 * 1024,
        maximumInputSize: Int = 16 * 1024 * 1024,
        operationTimeout: Duration = .seconds(10),
        listenRetryDelay: Duration = .seconds(1)
    ) {
        self.client = client
        self.schema = schema
        self.maximumResultSize = maximumResultSize
        self.maximumInputSize = maximumInputSize
        self.operationTimeout = operationTimeout
        self.listenRetryDelay = listenRetryDelay
    }

    /// Creates a configuration from a connection string:
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require`.
    ///
    /// User and password are percent-decoded. The port defaults to 5432, the database to the user's
    /// name, `sslmode` to `prefer` (TLS when the server offers it).
    ///
    /// - Throws: ``PostgresJobStoreError/Code/invalidConfiguration`` if the string is not such a URL.
    ///   The error never repeats the string, which holds a password.
    public init(url: String) throws {
        self.init(client: try Self.clientConfiguration(url: url))
    }

    static func clientConfiguration(url: String) throws -> PostgresClient.Configuration {
        func invalid(_ reason: String) -> PostgresJobStoreError {
            PostgresJobStoreError(
                code: .invalidConfiguration,
                message:
                    "The database URL is not usable: \(reason). Expected postgres://USER:PASSWORD@HOST:PORT/DATABASE."
            )
        }
        guard let components = URLComponents(string: url) else { throw invalid("it is not a URL") }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw invalid("the scheme must be postgres or postgresql")
        }
        guard let host = components.host, !host.isEmpty else { throw invalid("it names no host") }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw invalid("it names no user")
        }
        let password = components.percentEncodedPassword?.removingPercentEncoding
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw invalid("the port is out of range") }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        database = database.removingPercentEncoding ?? database
        if database.isEmpty { database = user }
        let tls: PostgresClient.Configuration.TLS
        switch components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer" {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw invalid("sslmode must be disable, prefer or require")
        }
        return PostgresClient.Configuration(
            host: host,
            port: port,
            username: user,
            password: password,
            database: database,
            tls: tls
        )
    }

    func validate() throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        guard !schema.isEmpty, schema.count <= 40, schema.allSatisfy(allowed.contains), !schema.first!.isNumber else {
            throw PostgresJobStoreError(
                code: .invalidConfiguration,
                message:
                    "The schema name must have 1 to 40 lowercase letters, digits or underscores and not start with a digit."
            )
        }
        guard maximumResultSize > 0, maximumInputSize > 0 else {
            throw PostgresJobStoreError(code: .invalidConfiguration, message: "Size limits must be positive.")
        }
        guard operationTimeout > .zero else {
            throw PostgresJobStoreError(code: .invalidConfiguration, message: "The operation timeout must be positive.")
        }
    }
}
