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
/// The store serves one process at a time (one ``JobCenter`` per job kind): a center that opens it
/// takes over every unfinished job another center instance left behind. Blocking file operations run
/// on NIO's shared thread pool, not on Swift's cooperative threads. Listing a user's history reads
/// all of that user's records, which suits histories of up to some thousands of jobs.
public final class DirectoryJobStore: JobStore {
    /// The directory holding the store.
    public let root: URL
    private let rootPath: String
    private let threadPool: NIOThreadPool
    private let locks: [NIOLock]

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

    /// `true`: inputs are kept until their job ends, so interrupted jobs can be resumed.
    public var keepsInputs: Bool { true }

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

    // MARK: JobStore

    public func insert(_ record: JobRecord, input: Data?) async throws -> JobInsertion {
        try await blocking { [self] in
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
            if let input { try FileIO.writeAtomically(input, to: path + "/input.json") }
            try FileIO.writeAtomically(try Self.encode(record), to: path + "/status.json")
            guard let idempotencyFile else { return .inserted(record) }
            // Publish the key with link(2), which fails if another insert published it first.
            try FileIO.makeDirectory((idempotencyFile as NSString).deletingLastPathComponent)
            let temporary = idempotencyFile + ".tmp-" + record.id.description
            try FileIO.writeNew(Data(record.id.description.utf8), to: temporary)
            defer { try? FileIO.remove(temporary) }
            while true {
                if try FileIO.linkIfAbsent(temporary, idempotencyFile) {
                    try FileIO.syncDirectory((idempotencyFile as NSString).deletingLastPathComponent)
                    return .inserted(record)
                }
                if let existing = try existingJob(forIdempotencyFile: idempotencyFile, userID: record.userID) {
                    try FileIO.removeTree(path)
                    return .existing(existing)
                }
                // The key pointed at a job that no longer exists; it was removed; publish ours.
            }
        }
    }

    /// The job an idempotency file points at; removes the file if that job is gone.
    private func existingJob(forIdempotencyFile file: String, userID: String) throws -> JobRecord? {
        guard let data = try FileIO.read(file) else { return nil }
        if let id = JobID(String(decoding: data, as: UTF8.self)),
            let record = try Self.readRecord(at: jobPath(id, userID: userID))
        {
            return record
        }
        try FileIO.remove(file)
        return nil
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

    public func update(_ record: JobRecord) async throws -> Bool {
        try await blocking { [self] in
            try lock(for: record.id).withLock {
                let path = jobPath(record.id, userID: record.userID)
                guard let current = try Self.readRecord(at: path), current.revision < record.revision else {
                    return false
                }
                try FileIO.writeAtomically(try Self.encode(record), to: path + "/status.json")
                return true
            }
        }
    }

    public func finish(_ record: JobRecord, result: Data?, keepInput: Bool) async throws -> Bool {
        try await blocking { [self] in
            try lock(for: record.id).withLock {
                let path = jobPath(record.id, userID: record.userID)
                guard let current = try Self.readRecord(at: path), current.revision < record.revision else {
                    return false
                }
                if let result { try FileIO.writeAtomically(result, to: path + "/result") }
                try FileIO.writeAtomically(try Self.encode(record), to: path + "/status.json")
                if !keepInput {
                    try FileIO.remove(path + "/input.json")
                }
                return true
            }
        }
    }

    public func result(for id: JobID, userID: String) async throws -> Data? {
        try await blocking { [self] in
            try FileIO.read(jobPath(id, userID: userID) + "/result")
        }
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

    public func claimJobs(kind: String, owner: String, leaseDuration: Duration, limit: Int, now: Date) async throws
        -> [JobRecord]
    {
        try await blocking { [self] in
            var claimed: [JobRecord] = []
            for user in try FileIO.list(usersPath) {
                let statusPath = usersPath + "/" + user + "/status"
                for name in try FileIO.list(statusPath) {
                    guard claimed.count < limit else { return claimed }
                    guard let id = JobID(name) else { continue }
                    let claim: JobRecord? = try lock(for: id).withLock {
                        guard var record = try? Self.readRecord(at: statusPath + "/" + name),
                            record.status == .processing,
                            record.kind == kind, record.leaseOwner != owner
                        else { return nil }
                        record.leaseOwner = owner
                        record.leaseExpiresAt = now.adding(leaseDuration)
                        record.revision += 1
                        try FileIO.writeAtomically(
                            try Self.encode(record),
                            to: statusPath + "/" + name + "/status.json"
                        )
                        return record
                    }
                    if let claim { claimed.append(claim) }
                }
            }
            return claimed
        }
    }

    /// Does nothing: one process uses the store, so its leases never lapse.
    public func renewLeases(for ids: [JobID], owner: String, leaseDuration: Duration, now: Date) async throws {}

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
}
