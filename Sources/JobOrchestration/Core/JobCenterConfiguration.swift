/// How a ``JobCenter`` runs jobs. Every property has a documented default; `.init()` is ready to use.
public struct JobCenterConfiguration: Sendable {
    /// Jobs that may run at the same time. Default: 8.
    public var maximumConcurrentJobs: Int
    /// Jobs one user may have running at the same time, so that one user cannot starve the others;
    /// waiting jobs of different users start in turn. Default: 2.
    public var maximumConcurrentJobsPerUser: Int
    /// How long one attempt may run before it is stopped and the job fails with
    /// ``JobFailure/Code/timedOut``. Default: 300 seconds (the original Lambda design's timeout).
    public var attemptTimeout: Duration
    /// How long after submission a job must have finished, retries and waiting included; past it the
    /// job fails with ``JobFailure/Code/deadlineExceeded``. Default: 30 minutes.
    public var deadline: Duration
    /// Retries of retryable failures. Default: ``JobRetryPolicy/init(maximumAttempts:initialBackoff:multiplier:maximumBackoff:jitter:retriesTimedOutAttempts:)``
    /// with 3 attempts and 1 s, 2 s backoff.
    public var retry: JobRetryPolicy
    /// On graceful shutdown, how long running jobs may take to finish before they are stopped and left
    /// for the next start. Default: 30 seconds.
    public var shutdownGracePeriod: Duration
    /// Signing of download links: the secret and the lifetime (default 3600 seconds).
    public var downloadLinks: DownloadLinkSigner.Configuration
    /// How long finished jobs, results and inputs are kept.
    public var retention: JobRetention
    /// How long a claim on a job lasts unless renewed: when a center dies, its jobs run elsewhere this
    /// long after its last heartbeat. Default: 30 seconds.
    public var leaseDuration: Duration
    /// How often the center renews the leases of the jobs it runs; keep it well under
    /// ``leaseDuration`` (a third or less). Default: 10 seconds.
    public var heartbeatInterval: Duration
    /// How often an idle center looks for runnable jobs, and re-reads the jobs that `wait` and
    /// `updates` follow, in case a store notification was missed (or the store has none). Lapsed
    /// leases are found this way too. Default: 1 second.
    public var pollInterval: Duration
    /// The most jobs one user may have queued or running; a submit beyond it throws
    /// ``JobError/Code/tooManyUnfinishedJobs``. A retried submit (the same idempotency key) still
    /// finds its job. The count is read before the job is stored, so concurrent submits of one user
    /// may pass it by their number. Default: `nil`, no bound.
    public var maximumUnfinishedJobsPerUser: Int?
    /// The most jobs queued or running in all (every user, every center sharing the store); a submit
    /// beyond it throws ``JobError/Code/queueFull``. Default: `nil`, no bound.
    public var maximumUnfinishedJobs: Int?

    /// Creates a configuration.
    public init(
        maximumConcurrentJobs: Int = 8,
        maximumConcurrentJobsPerUser: Int = 2,
        attemptTimeout: Duration = .seconds(300),
        deadline: Duration = .seconds(1800),
        retry: JobRetryPolicy = JobRetryPolicy(),
        shutdownGracePeriod: Duration = .seconds(30),
        downloadLinks: DownloadLinkSigner.Configuration = .init(),
        retention: JobRetention = JobRetention(),
        leaseDuration: Duration = .seconds(30),
        heartbeatInterval: Duration = .seconds(10),
        pollInterval: Duration = .seconds(1),
        maximumUnfinishedJobsPerUser: Int? = nil,
        maximumUnfinishedJobs: Int? = nil
    ) {
        self.maximumConcurrentJobs = maximumConcurrentJobs
        self.maximumConcurrentJobsPerUser = maximumConcurrentJobsPerUser
        self.attemptTimeout = attemptTimeout
        self.deadline = deadline
        self.retry = retry
        self.shutdownGracePeriod = shutdownGracePeriod
        self.downloadLinks = downloadLinks
        self.retention = retention
        self.leaseDuration = leaseDuration
        self.heartbeatInterval = heartbeatInterval
        self.pollInterval = pollInterval
        self.maximumUnfinishedJobsPerUser = maximumUnfinishedJobsPerUser
        self.maximumUnfinishedJobs = maximumUnfinishedJobs
    }
}

/// How long jobs and their files are kept.
public struct JobRetention: Sendable, Hashable {
    /// How long a finished job (record and result) is kept before the pruner deletes it; `nil` keeps
    /// it forever. Default: 7 days.
    public var finishedJobLifetime: Duration?
    /// How long a result file is kept; `nil` keeps it as long as its job. Default: `nil`.
    public var resultLifetime: Duration?
    /// Whether a job's input (for resume jobs, the uploaded resume) is kept after the job ends.
    /// Default: `false`: it is deleted as soon as the job ends.
    public var keepsInputs: Bool
    /// How often the pruner runs while the center runs. Default: 10 minutes.
    public var pruneInterval: Duration

    /// Creates a retention policy.
    public init(
        finishedJobLifetime: Duration? = .seconds(7 * 24 * 3600),
        resultLifetime: Duration? = nil,
        keepsInputs: Bool = false,
        pruneInterval: Duration = .seconds(600)
    ) {
        self.finishedJobLifetime = finishedJobLifetime
        self.resultLifetime = resultLifetime
        self.keepsInputs = keepsInputs
        self.pruneInterval = pruneInterval
    }
}

/// When ``JobCenter/wait(for:userID:timeout:until:)`` returns before its timeout.
public enum JobWaitCondition: Sendable, Hashable {
    /// When the job has ended (at once if it already has).
    case finished
    /// When the job's revision is greater than the given one, that is, when it changed since the caller
    /// last looked (at once if it already has), or when it has ended.
    case changed(afterRevision: Int)
    /// At the first change after the call, or at once if the job has ended.
    case nextChange

    func isMet<Details>(by report: JobStatusReport<Details>, isFirst: Bool) -> Bool {
        if report.isTerminal { return true }
        switch self {
        case .finished: return false
        case .changed(let revision): return report.revision > revision
        case .nextChange: return !isFirst
        }
    }
}
