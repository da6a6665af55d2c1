// Prints the job system's speed and memory figures. Build in release mode:
//   swift run -c release --package-path Benchmarks jobs-benchmark [--quick]
import Foundation
import JobOrchestration

#if canImport(Glibc)
import Glibc
#endif

/// A job that does nothing: it measures the job system itself.
struct ZeroLatencyJob: JobKind {
    static let identifier = "zero-latency"
    struct Input: Codable, Sendable {
        var number: Int
    }

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<NoJobDetails> {
        JobOutput()
    }
}

/// A job that produces a small file, so that completed reports carry a link.
struct SmallFileJob: JobKind {
    static let identifier = "small-file"
    struct Input: Codable, Sendable {
        var number: Int
    }

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<NoJobDetails> {
        JobOutput(
            artifact: JobArtifact(
                data: Data("result \(input.number)\n".utf8),
                fileType: "txt",
                contentType: "text/plain; charset=utf-8",
                downloadFilename: "optimized_resume_\(context.jobID.shortPrefix).txt"
            )
        )
    }
}

/// When each job's work returned, to measure how long its completion takes to reach a subscriber.
final class CompletionTimes: @unchecked Sendable {  // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var times: [JobID: ContinuousClock.Instant] = [:]

    func record(_ id: JobID) {
        let now = ContinuousClock.now
        lock.withLock { times[id] = now }
    }

    func time(of id: JobID) -> ContinuousClock.Instant? {
        lock.withLock { times[id] }
    }
}

/// A job that waits a moment, so that a subscriber is listening when it completes.
struct ShortSleepJob: JobKind {
    static let identifier = "short-sleep"
    struct Input: Codable, Sendable {
        var number: Int
    }

    let completions: CompletionTimes

    func run(_ input: Input, context: JobContext) async throws -> JobOutput<NoJobDetails> {
        try await Task.sleep(for: .milliseconds(2))
        completions.record(context.jobID)
        return JobOutput()
    }
}

let quick = CommandLine.arguments.contains("--quick")
let configuration = JobCenterConfiguration(
    maximumConcurrentJobs: 256,
    maximumConcurrentJobsPerUser: 256,
    downloadLinks: .init(secret: Array("benchmark secret, 32 bytes long!".utf8))
)

func format(_ value: Double) -> String {
    String(format: value >= 100 ? "%.0f" : "%.2f", value)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Submits `count` jobs from `submitters` concurrent tasks and waits until all have ended.
func submitAndDrain<Kind: JobKind>(
    _ center: JobCenter<Kind>,
    count: Int,
    submitters: Int = 4,
    users: Int = 100,
    input: @escaping @Sendable (Int) -> Kind.Input
) async throws -> Duration {
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for submitter in 0..<submitters {
            group.addTask {
                var index = submitter
                while index < count {
                    _ = try await center.submit(input(index), userID: "user-\(index % users)")
                    index += submitters
                }
            }
        }
        try await group.waitForAll()
    }
    // Queued jobs wait in the store, not in the center: count every job not yet finished.
    while try await center.unfinishedJobCount() > 0 {
        try await Task.sleep(for: .microseconds(200))
    }
    return ContinuousClock.now - start
}

/// The process's resident memory in bytes (Linux: `/proc/self/statm`), or 0 where unknown.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

print("jobs-benchmark (\(ProcessInfo.processInfo.activeProcessorCount) cores\(quick ? ", quick" : ""))")

// 1. Submit → complete throughput, in memory.
do {
    let count = quick ? 20_000 : 200_000
    let center = try JobCenter(kind: ZeroLatencyJob(), configuration: configuration)
    let elapsed = try await withRunningJobCenter(center) { center in
        try await submitAndDrain(center, count: count) { ZeroLatencyJob.Input(number: $0) }
    }
    print(
        "submit→complete, zero-latency job, in memory: \(format(Double(count) / seconds(elapsed))) jobs/s (\(count) jobs in \(format(seconds(elapsed))) s; target ≥ 20000)"
    )
}

// 2. Status reads per second.
do {
    let jobs = 1_000
    let reads = quick ? 200_000 : 1_000_000
    let center = try JobCenter(kind: SmallFileJob(), configuration: configuration)
    let ids = try await withRunningJobCenter(center) { center in
        var ids: [JobID] = []
        for index in 0..<jobs {
            ids.append(try await center.submit(SmallFileJob.Input(number: index), userID: "reader").jobID)
        }
        // Queued jobs wait in the store, not in the center: count every job not yet finished.
        while try await center.unfinishedJobCount() > 0 { try await Task.sleep(for: .milliseconds(1)) }
        return ids
    }
    let readers = 4
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for reader in 0..<readers {
            group.addTask {
                var index = reader
                for _ in 0..<(reads / readers) {
                    let report = try await center.status(of: ids[index % jobs], userID: "reader")
                    precondition(report.status == .completed && report.downloadLink != nil)
                    index &+= 7
                }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = seconds(ContinuousClock.now - start)
    print(
        "status reads (COMPLETED, fresh signed link each), in memory: \(format(Double(reads) / elapsed)) reads/s (target ≥ 200000)"
    )
}

// 3. Completion → updates subscriber latency.
do {
    let count = quick ? 500 : 5_000
    let inFlight = 32
    let completions = CompletionTimes()
    let center = try JobCenter(kind: ShortSleepJob(completions: completions), configuration: configuration)
    let latencies = try await withRunningJobCenter(center) { center in
        try await withThrowingTaskGroup(of: Double.self) { group in
            var latencies: [Double] = []
            latencies.reserveCapacity(count)
            var next = 0
            while next < count || !group.isEmpty {
                while next < count, next - latencies.count < inFlight {
                    let index = next
                    group.addTask {
                        let user = "subscriber-\(index % 16)"
                        let submitted = try await center.submit(ShortSleepJob.Input(number: index), userID: user)
                        let updates = try await center.updates(of: submitted.jobID, userID: user)
                        for await report in updates where report.isTerminal {
                            // From the moment the job's work returned to the subscriber seeing COMPLETED.
                            guard let returned = completions.time(of: submitted.jobID) else { return .nan }
                            return seconds(ContinuousClock.now - returned)
                        }
                        return .nan
                    }
                    next += 1
                }
                if let latency = try await group.next() { latencies.append(latency) }
            }
            return latencies
        }
    }
    let sorted = latencies.filter { !$0.isNaN }.sorted()
    let p50 = sorted[sorted.count / 2] * 1000
    let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1000
    print(
        "completion → updates subscriber latency: p50 \(format(p50)) ms, p99 \(format(p99)) ms (from the work returning; \(sorted.count) jobs, 32 in flight; target p99 < 5 ms)"
    )
}

// 4. Directory store throughput.
do {
    let count = quick ? 500 : 3_000
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("jobs-benchmark-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let center = try JobCenter(kind: SmallFileJob(), store: DirectoryJobStore(root: root), configuration: configuration)
    let elapsed = try await withRunningJobCenter(center) { center in
        try await submitAndDrain(center, count: count, submitters: 16) { SmallFileJob.Input(number: $0) }
    }
    print(
        "submit→complete with a result file, directory store (fsync on every write): \(format(Double(count) / seconds(elapsed))) jobs/s (\(count) jobs)"
    )
}

// 5. Memory retained per finished job, without results.
do {
    let count = quick ? 20_000 : 100_000
    let store = InMemoryJobStore()
    let center = try JobCenter(kind: ZeroLatencyJob(), store: store, configuration: configuration)
    let (before, after) = try await withRunningJobCenter(center) { center in
        // A first batch grows the center's working tables to their steady size; the second is measured.
        _ = try await submitAndDrain(center, count: count) { ZeroLatencyJob.Input(number: $0) }
        let before = residentBytes()
        _ = try await submitAndDrain(center, count: count) { ZeroLatencyJob.Input(number: count + $0) }
        return (before, residentBytes())
    }
    precondition(store.count == 2 * count)
    let perJob = Double(after - before) / Double(count)
    print(
        "memory retained per finished job (in-memory store, no result): \(format(perJob)) bytes (resident memory growth over \(count) jobs; target ≤ 4096)"
    )
    withExtendedLifetime(store) {}
}
