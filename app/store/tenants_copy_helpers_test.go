package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"todos/app"
)

// prefill inserts n todos into tn's database in one transaction, so that
// copying it takes a while.
func (e *testEnv) prefill(t *testing.T, tn *app.Tenant, n int) {
	t.Helper()
	tdb := e.acquire(t, tn)
	defer tdb.Release()
	if _, err := tdb.db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO todos (title, completed, created_at, updated_at) SELECT 'prefilled ' || i, i % 2, 0, 0 FROM n`, n); err != nil {
		t.Fatal(err)
	}
}

// writers are goroutines adding todos to one tenant through the pool, as
// requests would, until stopped. They record the id of every committed todo.
type writers struct {
	stop      chan struct{}
	wg        sync.WaitGroup
	mu        sync.Mutex
	committed []int64
	errs      []error
}

// startWriters starts n writers on tn and waits until they have committed
// some todos.
func startWriters(t *testing.T, e *testEnv, tn *app.Tenant, n int) *writers {
	t.Helper()
	w := &writers{stop: make(chan struct{})}
	for g := range n {
		w.wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-w.stop:
					return
				default:
				}
				id, err := addOne(e, tn, fmt.Sprintf("writer %d item %d", g, i))
				w.mu.Lock()
				if err != nil {
					w.errs = append(w.errs, err)
				} else {
					w.committed = append(w.committed, id)
				}
				w.mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	t.Cleanup(w.halt)
	for deadline := time.Now().Add(5 * time.Second); w.count() < 20; {
		if time.Now().After(deadline) {
			t.Fatalf("writers committed only %d todos", w.count())
		}
		time.Sleep(time.Millisecond)
	}
	return w
}

// addOne adds one todo to tn through the pool and returns its id.
func addOne(e *testEnv, tn *app.Tenant, title string) (int64, error) {
	tdb, err := e.pool.Acquire(context.Background(), tn)
	if err != nil {
		return 0, err
	}
	defer tdb.Release()
	td, _, err := tdb.AddTodo(context.Background(), title)
	return td.ID, err
}

// ids returns the ids committed so far.
func (w *writers) ids() []int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.committed)
}

// count returns how many todos were committed so far.
func (w *writers) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.committed)
}

// halt stops the writers and waits for them.
func (w *writers) halt() {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	w.wg.Wait()
}

// finish stops the writers and fails the test if any write failed.
func (w *writers) finish(t *testing.T) {
	t.Helper()
	w.halt()
	for _, err := range w.errs {
		t.Errorf("writer: %v", err)
	}
}

// wantSnapshot checks a copy of a database taken while writers ran: it
// passes PRAGMA integrity_check, holds every todo committed before the copy
// started (before), and is one moment of the source: ids 1..max, no gap.
func wantSnapshot(t *testing.T, db *sql.DB, prefilled int, before []int64) (ids []int64) {
	t.Helper()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	rows, err := db.Query("SELECT id, " + textCol("title") + " FROM todos ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	titles := map[int64]string{}
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		titles[id] = title
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if id != int64(i+1) {
			t.Fatalf("ids of the copy jump from %d to %d: not one moment of the source", i, id)
		}
	}
	if len(ids) < prefilled+len(before) {
		t.Fatalf("copy has %d todos, fewer than the %d committed before it started", len(ids), prefilled+len(before))
	}
	for _, id := range before {
		if !strings.HasPrefix(titles[id], "writer ") {
			t.Fatalf("todo %d committed before the copy is missing or wrong: %q", id, titles[id])
		}
	}
	return ids
}

// openReadOnly opens the database file at path read-only.
func openReadOnly(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driverName, fileDSN(path)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// stagedFiles lists the staged files left in dir.
func stagedFiles(t *testing.T, dir string) []string {
	t.Helper()
	var staged []string
	for _, f := range dirFiles(t, dir) {
		if strings.HasPrefix(f, stagedPrefix) {
			staged = append(staged, f)
		}
	}
	return staged
}

// envState is what a refused operation must leave unchanged: the files
// under the env's directory and the tenant records.
type envState struct {
	files   []string
	records int
}

// state returns the env's current state. The -wal and -shm files of
// databases present are left out: go-libsql removes them a moment after a
// database is closed.
func (e *testEnv) state(t *testing.T) envState {
	t.Helper()
	var all []string
	err := filepath.WalkDir(e.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(e.dir, path)
		if d.IsDir() {
			rel += "/"
		}
		all = append(all, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		main := strings.TrimSuffix(strings.TrimSuffix(f, "-wal"), "-shm")
		if main == f || !slices.Contains(all, main) {
			files = append(files, f)
		}
	}
	return envState{files: files, records: recordCount(t, e.control)}
}

// wantState fails the test unless the env is in state want.
func (e *testEnv) wantState(t *testing.T, want envState) {
	t.Helper()
	if got := e.state(t); !slices.Equal(got.files, want.files) || got.records != want.records {
		t.Errorf("state changed:\n got %q, %d records\nwant %q, %d records", got.files, got.records, want.files, want.records)
	}
}

// openExport writes an export's bytes to a file of the test's and opens it
// read-only.
func openExport(t *testing.T, export []byte) *sql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.db")
	if err := os.WriteFile(path, export, 0o600); err != nil {
		t.Fatal(err)
	}
	return openReadOnly(t, path)
}
