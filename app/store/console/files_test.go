package console

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"todos/app"
)

// TestUnusualPath opens a database whose path has characters that mean
// something in a file: URI.
func TestUnusualPath(t *testing.T) {
	t.Parallel()
	src := newDB(t, "delete")
	dir := filepath.Join(t.TempDir(), "a b?x=1#y%20")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tenant é.db")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, filepath.Dir(dir))
	res := mustRun(t, path, "SELECT count(*) FROM todos", false)
	if joinRows(res.Rows) != "3" {
		t.Fatalf("rows = %v", res.Rows)
	}
	_, err = run(t, path, "DELETE FROM todos", false)
	wantCode(t, err, app.EFORBIDDEN, msgWrite)
	sameFiles(t, before, snapshot(t, filepath.Dir(dir)))
	mustRun(t, path, "DELETE FROM todos WHERE id = 1", true)
	if res := mustRun(t, path, "SELECT count(*) FROM todos", false); joinRows(res.Rows) != "2" {
		t.Fatalf("rows = %v after a write", res.Rows)
	}
}

// TestWALCompanions: SQLite itself creates the -wal and -shm companions of
// a WAL database that nothing holds open, even for a mode=ro connection
// (the app creates the same two files whenever it opens a tenant). The
// console's read creates nothing else and leaves the database's bytes
// alone.
func TestWALCompanions(t *testing.T) {
	t.Parallel()
	path := newDB(t, "wal")
	dir := filepath.Dir(path)
	// As after a clean shutdown: everything checkpointed, companions gone.
	db := openTestDB(t, path)
	var busy, logged, done int
	if err := db.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: %d, %v", busy, err)
	}
	_ = db.Close()
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + ext); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	names := func() []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, e := range entries {
			n = append(n, e.Name())
		}
		return n
	}
	if got := names(); !slices.Equal(got, []string{"tenant.db"}) {
		t.Fatalf("before: %v", got)
	}
	hash := snapshot(t, dir)["tenant.db"]
	mustRun(t, path, "SELECT count(*) FROM todos", false)
	if got := names(); !slices.Equal(got, []string{"tenant.db", "tenant.db-shm", "tenant.db-wal"}) {
		t.Fatalf("after: %v", got)
	}
	after := snapshot(t, dir)
	if after["tenant.db"] != hash {
		t.Fatal("tenant.db changed")
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() != 0 {
		t.Fatalf("-wal: %v, %v", fi, err)
	}
}

// TestWriteModeTemp: temporary tables live in memory (the engine's
// temp_store default, which the console does not let anyone change) and
// vanish with the child.
func TestWriteModeTemp(t *testing.T) {
	t.Parallel()
	path := newDB(t, "delete")
	before := snapshot(t, filepath.Dir(path))
	mustRun(t, path, "CREATE TEMP TABLE scratch AS SELECT * FROM todos", true)
	sameFiles(t, before, snapshot(t, filepath.Dir(path)))
	_, err := run(t, path, "SELECT * FROM temp.scratch", false)
	wantCode(t, err, app.EINVALID, "no such table: temp.scratch")
}
