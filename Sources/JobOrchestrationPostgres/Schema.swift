import Foundation

/// The store's tables, as numbered migrations applied in order at start.
///
/// A migration, once released, never changes: a new one is appended instead. `{schema}` stands for
/// the configured schema and `{channel}` for its notification channel.
enum Schema {
    struct Migration {
        var version: Int
        var name: String
        var statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(
            version: 1,
            name: "jobs table, indexes and change notifications",
            statements: [
                """
                CREATE TABLE {schema}.jobs (
                    id uuid PRIMARY KEY,
                    user_id text NOT NULL,
                    kind text NOT NULL,
                    status text NOT NULL CHECK (status IN ('PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED')),
                    message text NOT NULL,
                    revision bigint NOT NULL,
                    attempts integer NOT NULL DEFAULT 0,
                    fencing_token bigint NOT NULL DEFAULT 0,
                    lease_owner text,
                    lease_expires_at timestamptz,
                    idempotency_key text,
                    input_digest text,
                    input bytea,
                    error_code text,
                    details json,
                    result_description json,
                    result bytea,
                    submitted_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    finished_at timestamptz,
                    deadline timestamptz
                )
                """,
                // One job per (user, idempotency key), across every instance.
                """
                CREATE UNIQUE INDEX jobs_idempotency ON {schema}.jobs (user_id, idempotency_key)
                    WHERE idempotency_key IS NOT NULL
                """,
                // The claim query's queue: runnable jobs nobody holds, oldest first.
                """
                CREATE INDEX jobs_runnable ON {schema}.jobs (kind, submitted_at, id)
                    WHERE status = 'PROCESSING' AND lease_owner IS NULL
                """,
                // Held jobs by lease expiry: expired leases to rescue, live leases per user.
                """
                CREATE INDEX jobs_leased ON {schema}.jobs (kind, lease_expires_at)
                    INCLUDE (user_id)
                    WHERE status = 'PROCESSING' AND lease_owner IS NOT NULL
                """,
                // Each owner's leases (release on shutdown).
                "CREATE INDEX jobs_owner ON {schema}.jobs (lease_owner) WHERE lease_owner IS NOT NULL",
                // A user's history, newest first (keyset pagination on submitted_at, id).
                "CREATE INDEX jobs_history ON {schema}.jobs (user_id, submitted_at DESC, id DESC)",
                // Retention.
                "CREATE INDEX jobs_finished ON {schema}.jobs (finished_at) WHERE finished_at IS NOT NULL",
                // Unfinished jobs per user (submit limits).
                "CREATE INDEX jobs_unfinished ON {schema}.jobs (user_id) WHERE status = 'PROCESSING'",
                // Change notifications: `event revision kind id user`, separated by U+001F, user last.
                // r = runnable (inserted, released), c = changed (revision grew), d = deleted.
                """
                CREATE FUNCTION {schema}.notify_job_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM pg_notify('{channel}', concat_ws(chr(31), 'r', NEW.revision, NEW.kind, NEW.id, NEW.user_id));
                    ELSIF TG_OP = 'DELETE' THEN
                        PERFORM pg_notify('{channel}', concat_ws(chr(31), 'd', OLD.revision, OLD.kind, OLD.id, OLD.user_id));
                    ELSIF NEW.revision <> OLD.revision THEN
                        PERFORM pg_notify('{channel}', concat_ws(chr(31), 'c', NEW.revision, NEW.kind, NEW.id, NEW.user_id));
                    ELSIF NEW.status = 'PROCESSING' AND NEW.lease_owner IS NULL AND OLD.lease_owner IS NOT NULL THEN
                        PERFORM pg_notify('{channel}', concat_ws(chr(31), 'r', NEW.revision, NEW.kind, NEW.id, NEW.user_id));
                    END IF;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER jobs_notify AFTER INSERT OR UPDATE OR DELETE ON {schema}.jobs
                    FOR EACH ROW EXECUTE FUNCTION {schema}.notify_job_change()
                """,
            ]
        ),
        Migration(
            version: 2,
            name: "claims in one round trip, trace context",
            statements: [
                // The submitter's trace context (`JobRecord.traceContext`), for the worker's spans.
                "ALTER TABLE {schema}.jobs ADD COLUMN trace_context json",
                // One claim: the kind's advisory lock (claims of one kind take turns, so that the
                // per-user limit holds across instances), then the claim itself. The function is
                // volatile, so the claim's statement takes its snapshot after the lock is granted and
                // sees every claim committed before it; the lock is held to the end of the caller's
                // transaction. `claim_position` orders the claims; the other columns are those a
                // record is read from (`RecordColumns.list`), with the job's input.
                """
                CREATE FUNCTION {schema}.claim_jobs(
                    p_kind text, p_owner text, p_now timestamptz, p_lease_expires_at timestamptz,
                    p_per_user integer, p_scan integer, p_limit integer
                ) RETURNS TABLE (
                    claim_position bigint, was_interrupted boolean, input bytea,
                    id uuid, user_id text, kind text, status text, message text, revision bigint,
                    attempts integer, fencing_token bigint, lease_owner text, lease_expires_at timestamptz,
                    idempotency_key text, input_digest text, error_code text, details text,
                    result_description text, submitted_at timestamptz, updated_at timestamptz,
                    finished_at timestamptz, deadline timestamptz, trace_context text
                ) LANGUAGE plpgsql VOLATILE AS $$
                #variable_conflict use_column
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtextextended('{schema}.claim.' || p_kind, 0));
                    RETURN QUERY
                    WITH live AS (
                        SELECT l.user_id, count(*) AS running FROM {schema}.jobs l
                        WHERE l.kind = p_kind AND l.status = 'PROCESSING' AND l.lease_owner IS NOT NULL
                            AND l.lease_expires_at > p_now
                        GROUP BY l.user_id
                    ),
                    expired AS (
                        SELECT j.id, j.user_id, j.submitted_at, true AS was_interrupted FROM {schema}.jobs j
                        WHERE j.kind = p_kind AND j.status = 'PROCESSING' AND j.lease_owner IS NOT NULL
                            AND j.lease_expires_at <= p_now
                            AND NOT EXISTS (SELECT 1 FROM live WHERE live.user_id = j.user_id AND live.running >= p_per_user)
                        ORDER BY j.lease_expires_at
                        LIMIT p_scan
                        FOR UPDATE OF j SKIP LOCKED
                    ),
                    fresh AS (
                        SELECT j.id, j.user_id, j.submitted_at, false AS was_interrupted FROM {schema}.jobs j
                        WHERE j.kind = p_kind AND j.status = 'PROCESSING' AND j.lease_owner IS NULL
                            AND NOT EXISTS (SELECT 1 FROM live WHERE live.user_id = j.user_id AND live.running >= p_per_user)
                        ORDER BY j.submitted_at, j.id
                        LIMIT p_scan
                        FOR UPDATE OF j SKIP LOCKED
                    ),
                    ranked AS (
                        SELECT c.id, c.submitted_at, c.was_interrupted,
                            row_number() OVER (PARTITION BY c.user_id ORDER BY c.submitted_at, c.id) AS round,
                            coalesce(live.running, 0) AS running
                        FROM (SELECT * FROM expired UNION ALL SELECT * FROM fresh) c
                        LEFT JOIN live ON live.user_id = c.user_id
                    ),
                    picked AS (
                        SELECT r.id, r.was_interrupted,
                            row_number() OVER (ORDER BY r.round, r.submitted_at, r.id) AS claim_position
                        FROM ranked r
                        WHERE r.round + r.running <= p_per_user
                        ORDER BY r.round, r.submitted_at, r.id
                        LIMIT p_limit
                    ),
                    claimed AS (
                        UPDATE {schema}.jobs j
                        SET lease_owner = p_owner, lease_expires_at = p_lease_expires_at,
                            fencing_token = j.fencing_token + 1, attempts = j.attempts + 1
                        FROM picked WHERE j.id = picked.id
                        RETURNING picked.claim_position, picked.was_interrupted, j.input, j.id, j.user_id, j.kind,
                            j.status, j.message, j.revision, j.attempts, j.fencing_token, j.lease_owner,
                            j.lease_expires_at, j.idempotency_key, j.input_digest, j.error_code,
                            j.details::text AS details, j.result_description::text AS result_description,
                            j.submitted_at, j.updated_at, j.finished_at, j.deadline,
                            j.trace_context::text AS trace_context
                    )
                    SELECT * FROM claimed ORDER BY claimed.claim_position;
                END
                $$
                """,
            ]
        ),
    ]

    /// The newest version this library knows.
    static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The notification channel of a schema.
    static func channel(schema: String) -> String { "\(schema)_changes" }

    static func expand(_ statement: String, schema: String) -> String {
        statement
            .replacingOccurrences(of: "{schema}", with: schema)
            .replacingOccurrences(of: "{channel}", with: channel(schema: schema))
    }
}
