// Package store is the storage of TODOs and the only code that imports the
// go-libsql driver. It holds the control-plane database (tenants, sessions,
// handoff tokens, admins, the audit trail, console history, activity), the
// tenant database pool, migrations, providers that say where tenant
// databases live, and the admin operations on tenants: the trash, clones,
// exports and imports.
//
// Facts about go-libsql that shape this package (each has a test):
//   - Exec runs only the first statement of a multi-statement string:
//     schemas are split with SplitStatements.
//   - PRAGMAs that return a row fail under Exec: they are run as queries.
//   - Several connections writing to one file give "database is locked":
//     every *sql.DB has exactly one connection (see openDB).
//   - TEXT that looks like a date comes back as a time.Time (and then as
//     "2024-01-02T00:00:00Z"): user-typed text is selected AS BLOB (text.go).
//   - time.Time arguments are bound as RFC 3339 text: times are stored as
//     INTEGER unix milliseconds.
//   - db.Close returns before the native database has finished closing
//     (measured 1.5-13 ms later): busy_timeout is set first on every
//     connection, so that reopening a file waits for the old handle's locks.
//   - The driver ignores context.Context once a statement runs.
//   - "VACUUM INTO ?" on a pool handle writes a consistent, self-contained
//     copy while other requests queue on the handle's one connection
//     (tenants_copy.go; tested under concurrent writes).
//   - A read-only connection ("?mode=ro") opens a rollback-journal file
//     without creating any file beside it: imports are checked that way.
package store
