import Logging

func makeJobSystem(options: JobSystemOptions, configuration: ServerConfiguration, logger: Logger) async throws -> JobSystem {
    fatalError("pending")
}
