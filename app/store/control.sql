-- The schema of the control-plane database: tenants, web sessions and
-- sign-in handoff tokens. Same rules as schema.sql: each "-- version: N" line
-- starts migration N, and a shipped migration is never edited.
-- All times are INTEGER unix milliseconds.

-- version: 1
CREATE TABLE tenants (
    id              TEXT    PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    region          TEXT    NOT NULL,
    location        TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    last_active_at  INTEGER NOT NULL,
    todo_count      INTEGER NOT NULL DEFAULT 0,
    completed_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token  TEXT    PRIMARY KEY,
    data   BLOB    NOT NULL,
    expiry INTEGER NOT NULL
);

CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE handoffs (
    token_hash TEXT    PRIMARY KEY,
    tenant_id  TEXT    NOT NULL,
    user_id    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
