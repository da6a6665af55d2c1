/// The status reports of one job, as they happen: first the current report, then each change,
/// ending after the terminal report (`COMPLETED`, `FAILED` or `CANCELLED`).
///
/// Reports arrive in order; a slow consumer may skip intermediate stage messages but always gets the
/// newest report, and so always the terminal one. Ending the iteration (or cancelling the consuming
/// task) unsubscribes.
///
/// ```swift
/// for await report in try await center.updates(of: jobID, userID: user) {
///     print(report.status, report.message)
/// }
/// ```
public struct JobUpdates<Details: Codable & Sendable & Hashable>: AsyncSequence, Sendable {
    /// A status report.
    public typealias Element = JobStatusReport<Details>
    /// Iterating never throws.
    public typealias Failure = Never

    private let stream: AsyncStream<JobRecord>
    private let makeReport: @Sendable (JobRecord) -> JobStatusReport<Details>

    init(stream: AsyncStream<JobRecord>, makeReport: @escaping @Sendable (JobRecord) -> JobStatusReport<Details>) {
        self.stream = stream
        self.makeReport = makeReport
    }

    /// Makes an iterator.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: stream.makeAsyncIterator(), makeReport: makeReport)
    }

    /// Iterates the reports.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private var base: AsyncStream<JobRecord>.AsyncIterator
        private let makeReport: @Sendable (JobRecord) -> JobStatusReport<Details>
        private var lastRevision = 0
        private var ended = false

        init(
            base: AsyncStream<JobRecord>.AsyncIterator,
            makeReport: @escaping @Sendable (JobRecord) -> JobStatusReport<Details>
        ) {
            self.base = base
            self.makeReport = makeReport
        }

        /// The next report, or `nil` after the terminal one.
        public mutating func next() async -> JobStatusReport<Details>? {
            guard !ended else { return nil }
            while let record = await base.next() {
                guard record.revision > lastRevision else { continue }
                lastRevision = record.revision
                if record.status.isTerminal { ended = true }
                return makeReport(record)
            }
            ended = true
            return nil
        }

    }
}
