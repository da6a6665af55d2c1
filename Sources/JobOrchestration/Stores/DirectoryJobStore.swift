import Crypto
public import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// A durable ``JobStore`` in a directory on one machine, laid out like the original Lambda design's bucket:
///
/// ```
/// <root>/users/<userId>/status/<jobId>/status.json   the job's record (the status document)
///                                      input.json    the job's input, until the job ends (see JobRetention)
///                                      result        the result file of a completed job
/// <root>/users/<userId>/idempotency/<sha256 of key>  the job id an idempotency key maps to
/// ```
///
/// Every write is atomic: a temporary file in the same directory is written and fsynced, renamed
/// over the target, and the directory is fsynced; a crash leaves either the old or the new file,
/// never a torn one. Files are readable only by their owner. A user id that is not a plain name
/// (letters, digits, `.`, `_`, `-`, `@`, at most 100 bytes) is stored under `~` and its SHA-256.
///
/// The store serves one process at a time; several ``JobCenter``s of that process may share the store
/// object (they share its queue and honour each other's leases). The queue of unfinished jobs is kept
/// in memory too, built from the directory at the first use: a new process opening the directory takes
/// over every unfinished job the previous one left behind, at once. Lease renewals stay in memory.
/// Blocking file operations run on NIO's shared thread pool, not on Swift's cooperative threads.
/// Listing a user's history reads all of that user's records, which suits histories of up to some
/// thousands of jobs.
public final class DirectoryJobStore: JobStore {
    /// The directory holding the store.
    public let root: URL
    private let rootPath: String
    private let threadPool: NIOThreadPool
    private let locks: [NIOLock]
    /// The queue, built from the directory at the first use.
    private let index = NIOLockedValueBox<LocalJobQueue?>(nil)
    private let broadcaster = JobChangeBroadcaster()

    /// Opens (and creates if needed) a store in `root`.
    ///
    /// - Parameters:
    ///   - root: The store's directory.
    ///   - threadPool: Where blocking file operations run. Default: NIO's shared pool.
    public init(root: URL, threadPool: NIOThreadPool = .singleton) {
        self.root = root
        self.rootPath = root.standardizedFileURL.path
        self.threadPool = threadPool
        self.locks = (0..<64).map { _ in NIOLock() }
    }

    // MARK: Paths

    static func directoryName(forUser userID: String) -> String {
        let allowed = userID.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
        }
        if allowed, !userID.isEmpty, userID.utf8.count <= 100, userID != ".", userID != "..", !userID.hasPrefix("~") {
            return userID
        }
        return "~" + hexDigest(userID)
    }

    static func hexDigest(_ text: String) -> String {
        Encoding.hex(SHA256.hash(data: Data(text.utf8)))
    }

    private var usersPath: String { rootPath + "/users" }

    private func userPath(_ userID: String) -> String {
        usersPath + "/" + Self.directoryName(forUser: userID)
    }

    private func jobPath(_ id: JobID, userID: String) -> String {
        userPath(userID) + "/status/" + id.description
    }

    private func idempotencyPath(userID: String, key: String) -> String {
        userPath(userID) + "/idempotency/" + Self.hexDigest(key)
    }

    private func lock(for id: JobID) -> NIOLock {
        locks[Int(UInt(bitPattern: id.hashValue) % UInt(locks.count))]
    }

    // MARK: Coding

    private static func encode(_ record: JobRecord) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(record)
    }

    private static func readRecord(at jobPath: String) throws -> JobRecord? {
        guard let data = try FileIO.read(jobPath + "/status.json") else { return nil }
        return try JSONDecoder().decode(JobRecord.self, from: data)
    }

    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await threadPool.runIfActive(body)
        } catch let error as FileIO.Failure {
            throw JobError(
                code: .storeFailure,
                message: "The job directory could not be read or written: \(error).",
                cause: error
            )
        }
    }

    // MARK: Queue

    /// Runs `body` on the queue, building it from the directory first if needed.
    private func withQueue<T>(_ body: (inout LocalJobQueue) throws -> T) throws -> T {
        try index.withLockedValue { index in
            if index == nil {
                var queue = LocalJobQueue()
                for user in try FileIO.list(usersPath) {
                    let statusPath = usersPath + "/" + user + "/status"
                    for name in try FileIO.list(statusPath) {
                        guard JobID(name) != nil, let record = try? Self.readRecord(at: statusPath + "/" + name),
                            record.status == .processing
                        else { continue }
                        queue.add(record)
                    }
                }
                index = queue
            }
            return try body(&index!)
        }
    }

    private func holds(_ condition: JobWriteCondition, _ current: JobRecord) throws -> Bool {
        switch condition {
        case .leased(let lease):
            guard current.status == .processing, lease.jobID == current.id else { return false }
            return try withQueue { $0.isCurrent(lease) }
        case .revision(let revision):
            return current.revision == revision
        }
    }

    // MARK: JobStore

    public func insert(_ record: JobRecord, input: Data) async throws -> JobInsertion {
        let insertion: JobInsertion = try await blocking { [self] in
            let path = jobPath(record.id, userID: record.userID)
            var idempotencyFile: String?
            if let key = record.idempotencyKey {
                let file = idempotencyPath(userID: record.userID, key: key)
                if let existing = try existingJob(forIdempotencyFile: file, userID: record.userID) {
                    return .existing(existing)
                }
                idempotencyFile = file
            }
            try FileIO.makeDirectory(path)
            try FileIO.writeAtomically(input, to: path + "/input.json")
            try FileIO.writeAtomically(try Self.encode(record), to: path + "/status.json")
            func queued() throws -> JobInsertion {
                if record.status == .processing { try withQueue { $0.add(record) } }
                return .inserted(record)
            }
            guard let idempotencyFile else { return try queued() }
            // Publish the key with link(2), which fails if another insert published it first.
            try FileIO.makeDirectory((idempotencyFile as NSString).deletingLastPathComponent)
            let temporary = idempotencyFile + ".tmp-" + record.id.description
            try FileIO.writeNew(Data(record.id.description.utf8), to: temporary)
            defer { try? FileIO.remove(temporary) }
            while true {
                if try FileIO.linkIfAbsent(temporary, idempotencyFile) {
                    try FileIO.syncDirectory((idempotencyFile as NSString).deletingLastPathComponent)
                    return try queued()
                }
                if let existing = try existingJob(forIdempotencyFile: idempotencyFile, userID: record.userID) {
                    try FileIO.removeTree(path)
                    return .existing(existing)
                }
                // The key pointed at a job that no longer exists; it was removed; publish ours.
            }
        }
        if case .inserted(let record) = insertion { broadcaster.publish(record, .runnable) }
        return insertion
    }

    /// The job an idempotency file points at; removes the file if that job is gone.
    private func existingJob(forIdempotencyFile file: String, userID: String) throws -> JobRecord? {
        if let record = try job(pointedAtBy: file, userID: userID) { return record }
        try FileIO.remove(file)  // no-op when there is no file
        return nil
    }

    /// The job an idempotency file points at, if the file and the job are both there.
    private func job(pointedAtBy file: String, userID: String) throws -> JobRecord? {
        guard let data = try FileIO.read(file), let id = JobID(String(decoding: data, as: UTF8.self)) else {
            return nil
        }
        return try Self.readRecord(at: jobPath(id, userID: userID))
    }

    public func record(forIdempotencyKey key: String, userID: String) async throws -> JobRecord? {
        try await blocking { [self] in
            let record = try job(pointedAtBy: idempotencyPath(userID: userID, key: key), userID: userID)
            return record?.userID == userID && record?.idempotencyKey == key ? record : nil
        }
    }

    public func record(for id: JobID, userID: String) async throws -> JobRecord? {
        try await blocking { [self] in
            guard let record = try Self.readRecord(at: jobPath(id, userID: userID)), record.userID == userID else {
                return nil
            }
            return record
        }
    }

    public func input(for id: JobID, userID: String) async throws -> Data? {
        try await blocking { [self] in
            try FileIO.read(jobPath(id, userID: userID) + "/input.json")
        }
    }

    public func update(_ record: JobRecord, condition: JobWriteCondition) async throws -> Bool {
        let stored: JobRecord? = try await blocking { [self] in
            try lock(for: record.id).withLock {
                let path = jobPath(record.id, userID: record.userID)
                guard let current = try Self.readRecord(at: path), try holds(condition, current) else { return nil }
                var updated = record
                updated.leaseOwner = current.leaseOwner
                updated.leaseExpiresAt = current.leaseExpiresAt
                updated.fencingToken = current.fencingToken
                try FileIO.writeAtomically(try Self.encode(updated), to: path + "/status.json")
                if updated.status.isTerminal { try withQueue { $0.remove(record.id) } }
                return updated
            }
        }
        guard let stored else { return false }
        broadcaster.publish(stored, .changed)
        return true
    }

    public func finish(_ record: JobRecord, result: Data?, keepInput: Bool, condition: JobWriteCondition) async throws
        -> Bool
    {
        let stored: JobRecord? = try await blocking { [self] in
            try lock(for: record.id).withLock {
                let path = jobPath(record.id, userID: record.userID)
                guard let current = try Self.readRecord(at: path), try holds(condition, current) else { return nil }
                var finished = record
                finished.leaseOwner = nil
                finished.leaseExpiresAt = nil
                finished.fencingToken = current.fencingToken
                if let result { try FileIO.writeAtomically(result, to: path + "/result") }
                try FileIO.writeAtomically(try Self.encode(finished), to: path + "/status.json")
                if !keepInput {
                    try FileIO.remove(path + "/input.json")
                }
                try withQueue { $0.remove(record.id) }
                return finished
            }
        }
        guard let stored else { return false }
        broadcaster.publish(stored, .changed)
        return true
    }

    public func result(for id: JobID, userID: String) async throws -> Data? {
        try await blocking { [self] in
            try FileIO.read(jobPath(id, userID: userID) + "/result")
        }
    }

    public func delete(id: JobID, userID: String) async throws -> Bool {
        let deleted: JobRecord? = try await blocking { [self] in
            try lock(for: id).withLock {
                let path = jobPath(id, userID: userID)
                guard let record = try Self.readRecord(at: path), record.userID == userID else { return nil }
                if let key = record.idempotencyKey {
                    try FileIO.remove(idempotencyPath(userID: userID, key: key))
                }
                try FileIO.removeTree(path)
                try withQueue { $0.remove(id) }
                return record
            }
        }
        guard let deleted else { return false }
        broadcaster.publish(deleted, .deleted)
        return true
    }

    public func unfinishedJobCount(userID: String) async throws -> Int {
        try await blocking { [self] in try withQueue { $0.unfinishedCount(userID: userID) } }
    }

    public func unfinishedJobCount() async throws -> Int {
        try await blocking { [self] in try withQueue { $0.unfinishedCount } }
    }

    public func records(forUser userID: String, kind: String?, after cursor: JobHistoryCursor?, limit: Int) async throws
        -> [JobRecord]
    {
        try await blocking { [self] in
            let statusPath = userPath(userID) + "/status"
            var records: [JobRecord] = []
            for name in try FileIO.list(statusPath) {
                guard JobID(name) != nil, let record = try? Self.readRecord(at: statusPath + "/" + name),
                    record.userID == userID, kind == nil || record.kind == kind
                else { continue }
                if let cursor, !(record.historyCursor < cursor) { continue }
                records.append(record)
            }
            records.sort { $0.historyCursor > $1.historyCursor }
            return Array(records.prefix(max(0, limit)))
        }
    }

    public func claimJobs(_ request: JobClaimRequest) async throws -> [JobClaim] {
        try await blocking { [self] in
            let claimed = try withQueue { $0.claim(request) }
            var claims: [JobClaim] = []
            claims.reserveCapacity(claimed.count)
            for claim in claimed {
                let result: JobClaim? = try lock(for: claim.id).withLock {
                    let path = jobPath(claim.id, userID: claim.userID)
                    guard var record = try Self.readRecord(at: path),
                        record.status == .processing
                    else {
                        try withQueue { $0.remove(claim.id) }
                        return nil
                    }
                    // A write may have ended the job between the queue's claim and this lock.
                    guard try withQueue({ $0.lease(of: claim.id) }) == claim.lease else { return nil }
                    record.leaseOwner = claim.lease.owner
                    record.leaseExpiresAt = claim.lease.expiresAt
                    record.fencingToken = claim.lease.fencingToken
                    record.attempts += 1
                    try FileIO.writeAtomically(try Self.encode(record), to: path + "/status.json")
                    let input = try FileIO.read(path + "/input.json")
                    return JobClaim(record: record, input: input, wasInterrupted: claim.wasInterrupted)
                }
                if let result { claims.append(result) }
            }
            return claims
        }
    }

    public func renewLeases(_ leases: [JobLease], leaseDuration: Duration, now: Date) async throws -> [JobLease] {
        try await blocking { [self] in try withQueue { $0.renew(leases, until: now.adding(leaseDuration)) } }
    }

    public func releaseLeases(owner: String) async throws -> Int {
        let released: [JobRecord] = try await blocking { [self] in
            let ids = try withQueue { $0.release(owner: owner) }
            var records: [JobRecord] = []
            for (id, userID) in ids {
                try lock(for: id).withLock {
                    let path = jobPath(id, userID: userID)
                    guard var record = try Self.readRecord(at: path),
                        record.status == .processing
                    else { return }
                    record.leaseOwner = nil
                    record.leaseExpiresAt = nil
                    record.attempts = max(0, record.attempts - 1)
                    try FileIO.writeAtomically(try Self.encode(record), to: path + "/status.json")
                    records.append(record)
                }
            }
            return records
        }
        for record in released { broadcaster.publish(record, .runnable) }
        return released.count
    }

    public func prune(finishedBefore: Date, resultsFinishedBefore: Date?) async throws -> JobPruneSummary {
        try await blocking { [self] in
            var summary = JobPruneSummary()
            for user in try FileIO.list(usersPath) {
                let statusPath = usersPath + "/" + user + "/status"
                for name in try FileIO.list(statusPath) {
                    guard let id = JobID(name) else { continue }
                    let path = statusPath + "/" + name
                    try lock(for: id).withLock {
                        guard var record = try? Self.readRecord(at: path), let finishedAt = record.finishedAt else {
                            return
                        }
                        if finishedAt < finishedBefore {
                            if let key = record.idempotencyKey {
                                try FileIO.remove(idempotencyPath(userID: record.userID, key: key))
                            }
                            try FileIO.removeTree(path)
                            summary.deletedJobs += 1
                        } else if let resultsFinishedBefore, finishedAt < resultsFinishedBefore, record.result != nil {
                            record.result = nil
                            try FileIO.writeAtomically(try Self.encode(record), to: path + "/status.json")
                            try FileIO.remove(path + "/result")
                            summary.deletedResults += 1
                        }
                    }
                }
            }
            return summary
        }
    }

    /// Notifies every change made through this store object, for the job centers sharing it.
    public func changes() -> AsyncStream<JobStoreChange>? {
        broadcaster.subscribe()
    }
}
