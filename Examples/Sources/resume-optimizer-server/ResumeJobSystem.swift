import Foundation
import JobOrchestration
import Logging
import Optimization
import ServiceLifecycle

/// Builds the job system that runs resume optimization jobs: the optimizer (offline, stub or an
/// AI provider), the store, and the center that runs as a service next to the HTTP server.
func makeJobSystem(options: JobSystemOptions, configuration: ServerConfiguration, logger: Logger) async throws
    -> JobSystem
{
    let provider: (any AIProvider)?
    if let choice = options.provider {
        guard let kind = AIProviderKind(rawValue: choice.rawValue) else {
            throw JobSystemError("Unknown provider '\(choice.rawValue)'.")
        }
        do {
            provider = try kind.makeProvider(model: options.model, baseURL: options.baseURL)
        } catch {
            throw JobSystemError(error.message)
        }
    } else {
        provider = nil
    }
    let delay = options.provider == nil || options.provider == .stub ? options.stubDelay : .zero
    let kind = ResumeOptimizationJob(
        optimizer: ResumeOptimizer(provider: provider),
        parser: configuration.resumeParser,
        tailoringDelay: delay
    )
    let store = try makeJobStore(options: options, logger: logger)
    var centerConfiguration = makeJobCenterConfiguration(options: options, tokenSecret: configuration.tokenSecret)
    centerConfiguration.maximumUnfinishedJobsPerUser = configuration.maximumQueuedJobsPerUser
    centerConfiguration.maximumUnfinishedJobs = configuration.maximumQueuedJobs
    let center = try JobCenter(kind: kind, store: store, configuration: centerConfiguration, backgroundLogger: logger)
    let service = JobCenterService(center: center, publicURL: configuration.effectivePublicURL)
    // A store that runs (postgres) comes first: the group stops services in reverse order, so the store
    // still works while the center shuts down and releases its leases.
    let storeServices = (store as? any Service).map { [$0] } ?? []
    return JobSystem(service: service, services: storeServices + [center])
}
