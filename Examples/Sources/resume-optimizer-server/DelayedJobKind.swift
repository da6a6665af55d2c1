import JobOrchestration

/// Wraps a job kind and waits a fixed time before each attempt: `--stub-delay`, so that a demo can
/// watch a job in `PROCESSING`. The wait ends early when the job is cancelled or times out.
struct DelayedJobKind<Base: JobKind>: JobKind {
    typealias Input = Base.Input
    typealias Details = Base.Details

    /// Jobs keep the base kind's identifier, so a store written with or without the delay is the same.
    static var identifier: String { Base.identifier }

    let base: Base
    let delay: Duration

    var submittedMessage: String { base.submittedMessage }
    var completedMessage: String { base.completedMessage }
    var cancelledMessage: String { base.cancelledMessage }
    var canResumeAfterInterruption: Bool { base.canResumeAfterInterruption }

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<Details> {
        if delay > .zero {
            try await Task.sleep(for: delay)
        }
        return try await base.run(input, context: context)
    }

    func failure(for error: any Error) -> JobFailure {
        base.failure(for: error)
    }
}
