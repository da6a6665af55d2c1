import Metrics

/// The names of the metrics a ``JobCenter`` records through swift-metrics.
///
/// Bootstrap a backend (for example swift-prometheus) with `MetricsSystem.bootstrap(_:)` before making the
/// center, or pass a factory to ``JobCenter/init(kind:store:configuration:backgroundLogger:metricsFactory:)``.
/// Every metric has the dimension `kind` (the job kind's ``JobKind/identifier``).
public enum JobMetricsLabel {
    /// Counter: jobs submitted (a replayed idempotent submit is not counted again).
    public static let submitted = "resume_optimizer_jobs_submitted_total"
    /// Counter: jobs that completed.
    public static let completed = "resume_optimizer_jobs_completed_total"
    /// Counter: jobs that failed, with the dimension `error_code` (``JobFailure/Code/identifier``).
    public static let failed = "resume_optimizer_jobs_failed_total"
    /// Timer: the duration of one attempt, with the dimension `outcome` (`succeeded`, `failed`, `timed_out`,
    /// `deadline_exceeded`, `stopped`).
    public static let attemptDuration = "resume_optimizer_job_attempt_duration_seconds"
    /// Gauge: the jobs queued or running on every center sharing the store (the queue depth), read at
    /// each heartbeat.
    public static let unfinished = "resume_optimizer_jobs_unfinished"
    /// Gauge: the jobs running on this center.
    public static let running = "resume_optimizer_jobs_running"
    /// Timer: reading an uploaded resume in ``ResumeOptimizationJob``, with the dimensions `format`
    /// (`docx`, `txt`, or `unknown` when it failed) and `outcome` (`succeeded`, or the parser's error
    /// code). This metric has no `kind` dimension.
    public static let parseDuration = "resume_optimizer_parse_duration_seconds"
}

/// The center's metrics, made once per center from its factory.
struct JobMetrics: Sendable {
    private let kind: String
    private let factory: any MetricsFactory
    private let submitted: Counter
    private let completed: Counter
    private let unfinished: Gauge
    private let running: Gauge

    /// Whether a backend records anything: without one, the queue depth is not queried from the store.
    let isRecording: Bool

    init(kind: String, factory: any MetricsFactory) {
        self.kind = kind
        self.factory = factory
        isRecording = !(factory is NOOPMetricsHandler)
        let dimensions = [("kind", kind)]
        submitted = Counter(label: JobMetricsLabel.submitted, dimensions: dimensions, factory: factory)
        completed = Counter(label: JobMetricsLabel.completed, dimensions: dimensions, factory: factory)
        unfinished = Gauge(label: JobMetricsLabel.unfinished, dimensions: dimensions, factory: factory)
        running = Gauge(label: JobMetricsLabel.running, dimensions: dimensions, factory: factory)
    }

    func jobSubmitted() { submitted.increment() }

    func jobCompleted() { completed.increment() }

    func jobFailed(_ code: JobFailure.Code) {
        Counter(
            label: JobMetricsLabel.failed,
            dimensions: [("kind", kind), ("error_code", code.identifier)],
            factory: factory
        ).increment()
    }

    func attemptEnded(_ result: AttemptResult, after duration: Duration) {
        Timer(
            label: JobMetricsLabel.attemptDuration,
            dimensions: [("kind", kind), ("outcome", result.outcome)],
            factory: factory
        ).record(duration: duration)
    }

    func record(unfinished count: Int) { unfinished.record(count) }

    func record(running count: Int) { running.record(count) }
}
