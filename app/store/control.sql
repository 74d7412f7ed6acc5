-- The schema of the control-plane database: tenants, web sessions, sign-in
-- handoff tokens, and (from version 2) admins, the audit trail, console
-- history and hourly activity. Same rules as schema.sql: each
-- "-- version: N" line starts migration N, and a shipped migration is never
-- edited.
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

-- version: 2
CREATE TABLE admins (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    tenant  TEXT    NOT NULL DEFAULT '',
    detail  TEXT    NOT NULL DEFAULT '',
    outcome TEXT    NOT NULL,
    error   TEXT    NOT NULL DEFAULT ''
);

-- Newest first, unfiltered or filtered by one of actor, action or tenant.
CREATE INDEX audit_at     ON audit (at, id);
CREATE INDEX audit_actor  ON audit (actor, at, id);
CREATE INDEX audit_action ON audit (action, at, id);
CREATE INDEX audit_tenant ON audit (tenant, at, id);

CREATE TABLE console_history (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    tenant_id TEXT    NOT NULL,
    admin     TEXT    NOT NULL,
    sql       TEXT    NOT NULL,
    write     INTEGER NOT NULL,
    rows      INTEGER NOT NULL,
    error     TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX console_history_tenant ON console_history (tenant_id, id);

-- Tenant writes per hour; hour is the unix milliseconds of its start.
CREATE TABLE activity_hourly (
    hour   INTEGER PRIMARY KEY,
    writes INTEGER NOT NULL
);

-- schema_version: last tenant migration applied (0: not known yet).
-- deleted_at: when the tenant went to the trash (0: not in the trash).
-- changed_at: set by the triggers below on every change of the row, to the
-- time in milliseconds or, if that is not more, to one more than the largest
-- changed_at, so that the largest changed_at rises with every change (see
-- TenantsVersion).
ALTER TABLE tenants ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN deleted_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;

-- One index per dashboard sort key, ending with the name that breaks ties,
-- so that a page is read in order from the index, either way, with no sort.
-- Each also holds the status (and the name), the columns a dashboard page
-- filters on, so that rows skipped by the filter or the offset are never
-- read from the table.
CREATE INDEX tenants_name        ON tenants (name, status);
CREATE INDEX tenants_region      ON tenants (region, name, status);
CREATE INDEX tenants_status      ON tenants (status, name);
CREATE INDEX tenants_created     ON tenants (created_at, name, status);
CREATE INDEX tenants_last_active ON tenants (last_active_at, name, status);
CREATE INDEX tenants_todos       ON tenants (todo_count, name, status);
CREATE INDEX tenants_completed   ON tenants (completed_count, name, status);
CREATE INDEX tenants_version     ON tenants (schema_version, name, status);
CREATE INDEX tenants_changed     ON tenants (changed_at);

-- The number of tenants of each status, kept by the triggers below, so that
-- the dashboard's totals do not count 100,000 rows.
CREATE TABLE tenant_counts (
    status TEXT    PRIMARY KEY,
    n      INTEGER NOT NULL
);

INSERT INTO tenant_counts (status, n) SELECT status, count(*) FROM tenants GROUP BY status;

CREATE TRIGGER tenants_counted_on_insert AFTER INSERT ON tenants BEGIN
    INSERT INTO tenant_counts (status, n) VALUES (new.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tenants_counted_on_delete AFTER DELETE ON tenants BEGIN
    UPDATE tenant_counts SET n = n - 1 WHERE status = old.status;
END;

CREATE TRIGGER tenants_counted_on_update AFTER UPDATE OF status ON tenants
    WHEN new.status <> old.status BEGIN
    UPDATE tenant_counts SET n = n - 1 WHERE status = old.status;
    INSERT INTO tenant_counts (status, n) VALUES (new.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tenants_changed_on_insert AFTER INSERT ON tenants BEGIN
    UPDATE tenants
       SET changed_at = max(CAST(unixepoch('subsec') * 1000 AS INTEGER),
                            (SELECT max(changed_at) FROM tenants) + 1)
     WHERE rowid = new.rowid;
END;

CREATE TRIGGER tenants_changed_on_update AFTER UPDATE ON tenants
    WHEN new.changed_at = old.changed_at BEGIN
    UPDATE tenants
       SET changed_at = max(CAST(unixepoch('subsec') * 1000 AS INTEGER),
                            (SELECT max(changed_at) FROM tenants) + 1)
     WHERE rowid = new.rowid;
END;

-- version: 3
-- Tenant sessions moved to each tenant's own database, and session tokens are
-- now stored hashed: the sessions kept here until now (tenants' and admins',
-- by plain token) can no longer be used. Everyone signs in again once.
DELETE FROM sessions;

-- routing_version rises with every change of what a request's host resolves
-- to: a tenant's name, status, region or location, or a tenant added or
-- removed. Servers keep tenant lookups in memory and drop them when it
-- changes, whichever process made the change. Counters and activity do not
-- move it.
CREATE TABLE routing_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  INTEGER NOT NULL
);

INSERT INTO routing_version (id, v) VALUES (1, 1);

CREATE TRIGGER tenants_routing_on_insert AFTER INSERT ON tenants BEGIN
    UPDATE routing_version SET v = v + 1 WHERE id = 1;
END;

CREATE TRIGGER tenants_routing_on_delete AFTER DELETE ON tenants BEGIN
    UPDATE routing_version SET v = v + 1 WHERE id = 1;
END;

CREATE TRIGGER tenants_routing_on_update AFTER UPDATE OF name, status, region, location ON tenants
    WHEN new.name IS NOT old.name OR new.status IS NOT old.status
      OR new.region IS NOT old.region OR new.location IS NOT old.location BEGIN
    UPDATE routing_version SET v = v + 1 WHERE id = 1;
END;

-- version: 4
-- The master secret of servers that share this control plane (a remote
-- primary, see control_replica.go): forms and signed cookies made by one
-- server are accepted by the others. A server on a local control plane
-- keeps its secret in DATA/secret.key instead and never fills this table.
CREATE TABLE shared_secret (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key BLOB NOT NULL CHECK (length(key) >= 32)
);

-- version: 5
-- A region move in progress: copy_id names the copy being made (the
-- tenant's id and a suffix), source the database being moved, whose writes
-- the engine may refuse meanwhile. The row lives from before the copy
-- until the move ends; one left behind by a crash (or a switch whose
-- outcome was not known) is resolved by `todos tenants reconcile --fix`.
CREATE TABLE pending_moves (
    copy_id    TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    source     TEXT NOT NULL,
    copy_location TEXT NOT NULL DEFAULT '', -- once the provider has adopted the copy
    started_at INTEGER NOT NULL
);

-- version: 6
-- Single-use invitations to become an admin, made in the admin app: the
-- link's token is kept only as its SHA-256. Accepting one deletes it in the
-- same transaction that creates the admin.
CREATE TABLE admin_invites (
    token_hash BLOB PRIMARY KEY,
    email      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- version: 7
-- Why a suspended tenant is suspended, as the admin gave it: shown to its
-- users on the suspended page, read with the rest of the record, so that a
-- request to a suspended host reads nothing more. Resuming empties it.
ALTER TABLE tenants ADD COLUMN suspend_reason TEXT NOT NULL DEFAULT '';
