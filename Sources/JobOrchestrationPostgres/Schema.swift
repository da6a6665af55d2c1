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
        )
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
