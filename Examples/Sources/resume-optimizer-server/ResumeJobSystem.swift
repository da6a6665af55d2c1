import Foundation
import JobOrchestration
import Logging

/// Builds the job system that runs resume optimization jobs.
func makeJobSystem(options: JobSystemOptions, configuration: ServerConfiguration, logger: Logger) async throws -> JobSystem {
    throw JobSystemError("Resume optimization jobs are not available in this build yet.")
}
