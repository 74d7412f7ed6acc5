package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"todos/app"
)

func TestOpenDBPragmas(t *testing.T) {
	db, err := openDB(fileDSN(filepath.Join(t.TempDir(), "p.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		pragma string
		want   string
	}{
		{"PRAGMA journal_mode", "wal"},
		{"PRAGMA busy_timeout", "5000"},
		{"PRAGMA synchronous", "2"}, // FULL
		{"PRAGMA foreign_keys", "1"},
		{"PRAGMA trusted_schema", "0"},
	}
	for i := 0; i < 2; i++ { // twice: the connection is reused, not remade
		for _, tt := range tests {
			var got string
			if err := db.QueryRow(tt.pragma).Scan(&got); err != nil {
				t.Fatalf("%s: %v", tt.pragma, err)
			}
			if !strings.EqualFold(got, tt.want) {
				t.Errorf("%s = %q, want %q", tt.pragma, got, tt.want)
			}
		}
	}
	if s := db.Stats(); s.MaxOpenConnections != 1 {
		t.Errorf("MaxOpenConnections = %d, want 1", s.MaxOpenConnections)
	}
}

func TestOpenDBForeignKeysEnforced(t *testing.T) {
	db, err := openDB(fileDSN(filepath.Join(t.TempDir(), "fk.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []string{
		"CREATE TABLE p (id INTEGER PRIMARY KEY)",
		"CREATE TABLE c (p INTEGER REFERENCES p (id))",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("INSERT INTO c VALUES (42)"); err == nil {
		t.Fatal("insert violating a foreign key succeeded")
	}
}

func TestFileDSNEscapesPath(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a b.db", "c%20d.db", "q?x=1.db", "h#1.db"} {
		db, err := openDB(fileDSN(filepath.Join(dir, name)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.Exec("CREATE TABLE t (x)"); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("file %q was not created: %v (dir has %q)", name, err, dirFiles(t, dir))
		}
	}
}

// TestOpenDBReopenAfterClose reopens a file right after closing it. go-libsql
// finishes closing the native database a few milliseconds after db.Close
// returns (measured: 1.5-13 ms), so the new handle meets the old one's locks;
// busy_timeout must therefore be set before journal_mode=WAL, which failed
// with "database is locked" when it came first.
func TestOpenDBReopenAfterClose(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	for i := 0; i < 10; i++ {
		db, err := openDB(fileDSN(path))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("CREATE TABLE IF NOT EXISTS t (x)"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("INSERT INTO t VALUES (?)", i); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// The native database is closed eventually: the last close checkpoints
	// and removes the WAL file.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(path + "-wal"); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("WAL file still present 5 s after Close; dir has %q", dirFiles(t, dir))
		}
		time.Sleep(time.Millisecond)
	}
}

// Databases opened only to be inspected (imports) do not trust their schema.
func TestOpenPlainDistrustsSchema(t *testing.T) {
	db, err := openPlain(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA trusted_schema").Scan(&v); err != nil || v != 0 {
		t.Errorf("trusted_schema = %d, %v; want 0", v, err)
	}
}

func TestClosingATenantCheckpointsItsLog(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	acme := e.createTenant(t, "acme")
	tdb, err := e.pool.Acquire(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if _, _, err := tdb.AddTodo(ctx, "kept in the log until a checkpoint"); err != nil {
			t.Fatal(err)
		}
	}
	if st, err := os.Stat(acme.Location + "-wal"); err != nil || st.Size() == 0 {
		t.Fatalf("no write-ahead log while open: %v, %v", st, err)
	}
	tdb.Release()
	<-e.pool.Evict(acme.ID)
	// go-libsql leaves the log as it is on close; the pool checkpoints it
	// into the database file and empties it first.
	if st, err := os.Stat(acme.Location + "-wal"); err == nil && st.Size() != 0 {
		t.Errorf("the closed database's log still holds %d bytes", st.Size())
	}
	reopened, err := e.pool.Acquire(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Release()
	if _, stats, err := reopened.Todos(ctx, app.FilterAll); err != nil || stats.Total != 20 {
		t.Errorf("after the checkpoint: %+v, %v; want 20 todos", stats, err)
	}
}
