package cli

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"todos/app/store"
)

// openWaitingDB opens the SQLite file at path behind the app's back, on one
// connection that waits up to 5 s for a lock: a command that just ran in
// this process may still be checkpointing the file it closed (go-libsql
// finishes closes in the background). The caller closes it.
func openWaitingDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	// A handle on the same file that this process closed a moment ago may
	// still be closing in the background (go-libsql finishes closes after
	// Close returns), and a connection made meanwhile can fail ("Unable to
	// open connection", SQLite's misuse code 21, seen under load): retry
	// for a few seconds.
	var err error
	for try := 0; try < 50; try++ {
		var db *sql.DB
		if db, err = tryOpenWaitingDB(path); err == nil {
			return db
		}
		if !strings.Contains(err.Error(), "Unable to open connection") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal(err)
	return nil
}

// tryOpenWaitingDB opens path with one connection that waits up to 5 s for
// locks.
func tryOpenWaitingDB(path string) (*sql.DB, error) {
	c, err := store.OpenConnector("file:" + path)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	var ms int
	if err := db.QueryRow("PRAGMA busy_timeout=5000").Scan(&ms); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// openDBFile is openWaitingDB for a database closed when the test ends.
func openDBFile(t *testing.T, path string) *sql.DB {
	t.Helper()
	db := openWaitingDB(t, path)
	t.Cleanup(func() { _ = db.Close() })
	return db
}
