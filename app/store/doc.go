// Package store is the storage of TODOs and the only code that imports the
// go-libsql driver. It holds the control-plane database (tenants, sessions,
// handoff tokens), the tenant database pool, migrations and providers that
// say where tenant databases live.
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
package store
