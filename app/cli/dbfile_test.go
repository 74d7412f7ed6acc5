package cli

import (
	"database/sql"
	"testing"

	"todos/app/store"
)

// openWaitingDB opens the SQLite file at path behind the app's back, on one
// connection that waits up to 5 s for a lock: a command that just ran in
// this process may still be checkpointing the file it closed (go-libsql
// finishes closes in the background). The caller closes it.
func openWaitingDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	c, err := store.OpenConnector("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	var ms int
	if err := db.QueryRow("PRAGMA busy_timeout=5000").Scan(&ms); err != nil {
		_ = db.Close()
		t.Fatal(err)
	}
	return db
}

// openDBFile is openWaitingDB for a database closed when the test ends.
func openDBFile(t *testing.T, path string) *sql.DB {
	t.Helper()
	db := openWaitingDB(t, path)
	t.Cleanup(func() { _ = db.Close() })
	return db
}
