namespace Traces.LocalServer.Storage;

/// <summary>The database schema. Bundles are assembled from these rows on read, so the rows are the only copy.</summary>
internal static class Schema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS traces (
            trace_id            TEXT PRIMARY KEY,
            tenant_id           TEXT NOT NULL,
            label               TEXT,
            agent_id            TEXT,
            description         TEXT,
            tags_json           TEXT,
            metadata_json       TEXT,
            status              TEXT NOT NULL,
            created_at          TEXT NOT NULL,
            event_count         INTEGER NOT NULL DEFAULT 0,
            last_chain_hash     TEXT,
            sealed_at           TEXT,
            composite_hash      TEXT,
            integrity_root_hash TEXT,
            seal_event_id       TEXT,
            error_code          TEXT,
            error_message       TEXT
        );
        CREATE INDEX IF NOT EXISTS traces_by_tenant ON traces (tenant_id, created_at, trace_id);
        CREATE INDEX IF NOT EXISTS traces_by_status ON traces (status);

        CREATE TABLE IF NOT EXISTS entries (
            event_id            TEXT PRIMARY KEY,
            tenant_id           TEXT NOT NULL,
            trace_id            TEXT REFERENCES traces (trace_id),
            idx                 INTEGER,
            event_type          TEXT NOT NULL,
            payload_json        TEXT NOT NULL,
            payload_hash        TEXT NOT NULL,
            content_hash        TEXT NOT NULL,
            previous_chain_hash TEXT,
            chain_hash          TEXT,
            ingested_at         TEXT NOT NULL,
            key_id              TEXT NOT NULL,
            public_key          TEXT NOT NULL,
            signature           TEXT NOT NULL,
            UNIQUE (trace_id, idx)
        );
        CREATE INDEX IF NOT EXISTS entries_by_tenant ON entries (tenant_id, ingested_at, event_id);

        CREATE TABLE IF NOT EXISTS seals (
            trace_id         TEXT PRIMARY KEY REFERENCES traces (trace_id),
            seal_event_json  TEXT NOT NULL,
            certificate_json TEXT NOT NULL
        );

        -- The check sealing ran over what it sealed (docs/api.md, proof: the bundle's verification member). A table of
        -- its own, so a database written before it needs no migration: its seals have no row, and no verification.
        CREATE TABLE IF NOT EXISTS seal_checks (
            trace_id             TEXT PRIMARY KEY REFERENCES traces (trace_id),
            composite_hash_valid INTEGER NOT NULL,
            all_signatures_valid INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS idempotency (
            scope        TEXT NOT NULL,
            key          TEXT NOT NULL,
            fingerprint  TEXT NOT NULL,
            status       INTEGER NOT NULL,
            content_type TEXT,
            location     TEXT,
            body         BLOB NOT NULL,
            created_at   TEXT NOT NULL,
            PRIMARY KEY (scope, key)
        );
        """;
}
