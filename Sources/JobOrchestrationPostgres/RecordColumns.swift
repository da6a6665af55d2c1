import Foundation
import JobOrchestration
import PostgresNIO

/// A job record as the jobs table's column values, and back.
///
/// Typed values that belong to the job kind or the result (details, the result's description) are
/// kept as their JSON encoding in `json` columns, so the table does not depend on their inner shape.
struct RecordColumns: Sendable {
    var id: UUID
    var userID: String
    var kind: String
    var status: String
    var message: String
    var revision: Int
    var attempts: Int
    var idempotencyKey: String?
    var inputDigest: String?
    var errorCode: String?
    var details: String?
    var result: String?
    var submittedAt: Date
    var updatedAt: Date
    var finishedAt: Date?
    var deadline: Date?
    var traceContext: String?

    init(_ record: JobRecord) throws {
        id = record.id.uuid
        userID = record.userID
        kind = record.kind
        status = record.status.rawValue
        message = record.message
        revision = record.revision
        attempts = record.attempts
        idempotencyKey = record.idempotencyKey
        inputDigest = record.inputDigest
        errorCode = record.errorCode?.identifier
        details = try Self.encodeJSON(record.details)
        result = try Self.encodeJSON(record.result)
        submittedAt = record.submittedAt
        updatedAt = record.updatedAt
        finishedAt = record.finishedAt
        deadline = record.deadline
        traceContext = try Self.encodeJSON(record.traceContext)
    }

    /// The columns a record is read from, in `SELECT` and `RETURNING` lists.
    static let list = list(prefix: "")

    static func list(prefix: String) -> String {
        [
            "id", "user_id", "kind", "status", "message", "revision", "attempts", "fencing_token", "lease_owner",
            "lease_expires_at", "idempotency_key", "input_digest", "error_code", "details::text AS details",
            "result_description::text AS result_description", "submitted_at", "updated_at", "finished_at", "deadline",
            "trace_context::text AS trace_context",
        ].map { column in
            column.contains(" AS ") ? "\(prefix)\(column)" : "\(prefix)\(column) AS \(column)"
        }.joined(separator: ", ")
    }

    /// Reads a record, with its fencing token, from a row that has the columns of ``list``.
    static func decode(_ row: PostgresRandomAccessRow) throws -> JobRecord {
        let statusText = try row["status"].decode(String.self)
        guard let status = JobStatus(rawValue: statusText) else {
            throw PostgresJobStoreError(
                code: .corruptRecord,
                message: "A stored job has an unknown status; the jobs table was changed outside the store."
            )
        }
        var record = JobRecord(
            id: JobID(uuid: try row["id"].decode(UUID.self)),
            userID: try row["user_id"].decode(String.self),
            kind: try row["kind"].decode(String.self),
            status: status,
            message: try row["message"].decode(String.self),
            updatedAt: rounded(try row["updated_at"].decode(Date.self)),
            submittedAt: rounded(try row["submitted_at"].decode(Date.self)),
            finishedAt: try row["finished_at"].decode(Date?.self).map(rounded),
            deadline: try row["deadline"].decode(Date?.self).map(rounded),
            revision: try row["revision"].decode(Int.self),
            attempts: try row["attempts"].decode(Int.self),
            idempotencyKey: try row["idempotency_key"].decode(String?.self),
            inputDigest: try row["input_digest"].decode(String?.self),
            errorCode: try row["error_code"].decode(String?.self).map { JobFailure.Code($0) },
            leaseOwner: try row["lease_owner"].decode(String?.self),
            leaseExpiresAt: try row["lease_expires_at"].decode(Date?.self).map(rounded)
        )
        record.details = try decodeJSON(try row["details"].decode(String?.self))
        record.result = try decodeJSON(try row["result_description"].decode(String?.self))
        record.fencingToken = try row["fencing_token"].decode(Int.self)
        record.traceContext = try decodeJSON(try row["trace_context"].decode(String?.self))
        return record
    }

    /// Rounds to the millisecond, as the job center does, so that a record survives the round trip
    /// through a microsecond `timestamptz` unchanged.
    static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    static func encodeJSON<Value: Encodable>(_ value: Value?) throws -> String? {
        guard let value else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decodeJSON<Value: Decodable>(_ text: String?) throws -> Value? {
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        } catch {
            throw PostgresJobStoreError(
                code: .corruptRecord,
                message: "A stored job's \(Value.self) could not be decoded; it was written by an incompatible version."
            )
        }
    }
}
