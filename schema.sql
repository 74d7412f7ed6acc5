-- The schema of every tenant database.
--
-- Each "-- version: N" line starts migration N. Migrations are applied in
-- order, each in its own transaction, and the database records the last one
-- applied in PRAGMA user_version. Never edit a migration that has shipped:
-- append a new one.

-- version: 1
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE todos (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    title      TEXT    NOT NULL CHECK (length(title) > 0),
    completed  INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX todos_completed ON todos (completed);

-- version: 2
-- The web sessions of this list's users: data about its users, so they live
-- with them. token_hash is the SHA-256 of the session token, never the token
-- itself, so a copy of this file holds no live session; exports, clones and
-- imports empty this table all the same. expiry (unix milliseconds) is the
-- earlier of the session's absolute end and its idle end.
CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    data       BLOB    NOT NULL,
    expiry     INTEGER NOT NULL
);

CREATE INDEX sessions_expiry ON sessions (expiry);
