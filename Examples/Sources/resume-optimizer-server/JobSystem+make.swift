import Crypto
import Foundation
import JobOrchestration
import JobOrchestrationPostgres
import Logging

/// The label under which the download-link key is derived from the token secret.
let downloadLinkKeyLabel = "resume-optimizer-server download links v1"

/// Derives the download-link signing key from the token secret (HKDF-SHA256), so one secret
/// configures the server while the two uses never share a key.
func downloadLinkSecret(fromTokenSecret secret: [UInt8]) -> [UInt8] {
    let key = HKDF<SHA256>.deriveKey(
        inputKeyMaterial: SymmetricKey(data: secret),
        info: Data(downloadLinkKeyLabel.utf8),
        outputByteCount: 32
    )
    return key.withUnsafeBytes { Array($0) }
}

/// Builds the job store the options ask for. A store that is also a `Service` (postgres) must run
/// before the center, in the same service group.
func makeJobStore(options: JobSystemOptions, logger: Logger) throws -> any JobStore {
    switch options.store {
    case .memory:
        return InMemoryJobStore()
    case .directory:
        let url = URL(fileURLWithPath: options.dataDirectory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw JobSystemError("Cannot create the data directory \(url.path): \(error.localizedDescription)")
        }
        return DirectoryJobStore(root: url)
    case .postgres:
        guard let url = options.databaseURL else {
            throw JobSystemError("--store postgres needs --database-url (or DATABASE_URL).")
        }
        do {
            return try PostgresJobStore(
                configuration: PostgresJobStoreConfiguration(url: url),
                backgroundLogger: logger
            )
        } catch let error as PostgresJobStoreError {
            throw JobSystemError(error.message)
        }
    }
}

/// The center's configuration from the command line's options.
func makeJobCenterConfiguration(options: JobSystemOptions, tokenSecret: [UInt8]) -> JobCenterConfiguration {
    var configuration = JobCenterConfiguration()
    configuration.maximumConcurrentJobs = options.maximumConcurrentJobs
    configuration.maximumConcurrentJobsPerUser = min(
        configuration.maximumConcurrentJobsPerUser,
        options.maximumConcurrentJobs
    )
    configuration.attemptTimeout = options.jobTimeout
    configuration.downloadLinks.secret = downloadLinkSecret(fromTokenSecret: tokenSecret)
    return configuration
}

/// Why the job system could not be set up; the message says what to change.
struct JobSystemError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
