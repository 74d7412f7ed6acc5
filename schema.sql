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

-- version: 3
-- The list's counts, kept by triggers in the same transaction as every
-- change to todos, so that a write reads them in one row instead of
-- counting the whole list. Recounting (todos tenants recount, the admin's
-- tenant page) rewrites the row from the todos themselves.
CREATE TABLE todo_stats (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    total     INTEGER NOT NULL,
    completed INTEGER NOT NULL
);

INSERT INTO todo_stats (id, total, completed)
    SELECT 1, count(*), coalesce(sum(completed), 0) FROM todos;

CREATE TRIGGER todos_counted_on_insert AFTER INSERT ON todos BEGIN
    UPDATE todo_stats SET total = total + 1, completed = completed + new.completed WHERE id = 1;
END;

CREATE TRIGGER todos_counted_on_delete AFTER DELETE ON todos BEGIN
    UPDATE todo_stats SET total = total - 1, completed = completed - old.completed WHERE id = 1;
END;

CREATE TRIGGER todos_counted_on_update AFTER UPDATE OF completed ON todos
    WHEN new.completed <> old.completed BEGIN
    UPDATE todo_stats SET completed = completed + new.completed - old.completed WHERE id = 1;
END;

-- version: 4
-- The idempotency keys of new-todo submissions: each new-todo form carries
-- a random key, and a submission whose key is here (a retry, a double
-- submit) returns the todo it made instead of adding another. title_hash
-- is the SHA-256 of the title, so a key sent again with a different title
-- is a new todo; nothing else of the title is kept. Rows older than a day
-- are removed by later submissions.
CREATE TABLE idempotency_keys (
    key        TEXT    PRIMARY KEY,
    todo_id    INTEGER NOT NULL,
    title_hash BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- version: 5
-- Single-use password reset links of this list's users (forgot password,
-- or issued by an admin). token_hash is the SHA-256 of the link's token,
-- never the token itself; expires_at is in unix milliseconds. A used link's
-- row is deleted together with the user's other links.
CREATE TABLE password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX password_resets_user_id ON password_resets (user_id);

-- version: 6
-- Items just deleted (one item, an emptied title, "clear completed"), kept
-- aside so that the deletion can be undone for a short while (UndoWindow in
-- app/undo.go). Each deletion's rows share a random token. Rows are removed
-- for good when the window ends, by the server's timer, by the list's next
-- deletion or when the server closes the database; exports and clones
-- leave them out.
CREATE TABLE deleted_todos (
    token      TEXT    NOT NULL,
    id         INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    completed  INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER NOT NULL
);

CREATE INDEX deleted_todos_token ON deleted_todos (token);
CREATE INDEX deleted_todos_deleted_at ON deleted_todos (deleted_at);
