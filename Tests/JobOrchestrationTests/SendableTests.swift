import JobOrchestration
import XCTest

/// Compile-time checks that the public types can cross concurrency domains.
final class SendableTests: XCTestCase {
    func testPublicTypes_areSendable() {
        func requireSendable<T: Sendable>(_: T.Type) {}
        requireSendable(JobID.self)
        requireSendable(JobStatus.self)
        requireSendable(JobStatusReport<NoJobDetails>.self)
        requireSendable(JobUpdates<NoJobDetails>.self)
        requireSendable(JobHistoryPage<NoJobDetails>.self)
        requireSendable(JobHistoryCursor.self)
        requireSendable(JobRecord.self)
        requireSendable(JobFailure.self)
        requireSendable(JobError.self)
        requireSendable(JobArtifact.self)
        requireSendable(JobContext.self)
        requireSendable(JobOutput<NoJobDetails>.self)
        requireSendable(JobCenter<ScriptedJob>.self)
        requireSendable(JobCenterConfiguration.self)
        requireSendable(InMemoryJobStore.self)
        requireSendable(DirectoryJobStore.self)
        requireSendable(DownloadLinkSigner.self)
        requireSendable(SignedDownloadLink.self)
        requireSendable(JobPoller<JobStatusReport<NoJobDetails>>.self)
        requireSendable(JobPollerError.self)
    }
}
