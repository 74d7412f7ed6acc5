package sqld

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/sqldtest"
	"todos/app/store"
)

// copyTitles are todo titles a copy must carry byte for byte.
var copyTitles = []string{"plain", "it's; a \"quote\"\nand a line;", "ünïcode ✓", "🚀 last"}

// newTenantsOn returns the store's tenant service on provider p, with a
// control plane of its own, and a tenant "acme" holding copyTitles (the
// second completed) and one session.
func newTenantsOn(t *testing.T, p store.Provider) (*store.Tenants, *store.TenantPool) {
	t.Helper()
	schema, err := os.ReadFile("../../../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	migrations, err := store.ParseMigrations(string(schema))
	if err != nil {
		t.Fatal(err)
	}
	control, err := store.OpenControl(filepath.Join(t.TempDir(), "control.db"))
	if err != nil {
		t.Fatal(err)
	}
	pool := store.NewTenantPool(p, migrations, control, 4)
	t.Cleanup(func() { _ = pool.Close(); _ = control.Close() })
	tenants := store.NewTenants(control, p, pool, app.PasswordParams{Time: 1, Memory: 64, Threads: 1})
	tn, _, err := tenants.CreateTenant(ctx, app.CreateTenantInput{
		Name: "acme", Region: p.Regions()[0].Code, OwnerEmail: "o@example.com", OwnerPassword: "correct horse",
	})
	if err != nil {
		t.Fatal(err)
	}
	// Seeded in one transaction of a handle of its own: what is tested is
	// the copy, not the write path.
	db, err := p.Open(ctx, tn.Location)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i, title := range copyTitles {
		if _, err := tx.Exec("INSERT INTO todos (title, completed, created_at, updated_at) VALUES (?, ?, 1, 1)", title, i == 1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Exec("INSERT INTO sessions (token_hash, data, expiry) VALUES ('session-key', X'00', ?)",
		time.Now().Add(time.Hour).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return tenants, pool
}

// wantCopyTodos fails unless todos are copyTitles with the second completed.
func wantCopyTodos(t *testing.T, todos []app.Todo) {
	t.Helper()
	if len(todos) != len(copyTitles) {
		t.Fatalf("%d todos, want %d: %+v", len(todos), len(copyTitles), todos)
	}
	byTitle := map[string]bool{}
	for _, td := range todos {
		byTitle[td.Title] = td.Completed
	}
	for i, title := range copyTitles {
		done, ok := byTitle[title]
		if !ok || done != (i == 1) {
			t.Errorf("todo %q: present %v, completed %v", title, ok, done)
		}
	}
}

// TestTenantCopies exports and clones a tenant through the store's own
// flow on each provider: on sqld, which refuses VACUUM INTO, the copy is
// the provider's Snapshot.
func TestTenantCopies(t *testing.T) {
	for _, s := range subjects(t) {
		t.Run(s.name, func(t *testing.T) {
			t.Run("export", func(t *testing.T) { copyExport(t, s.p) })
			t.Run("clone", func(t *testing.T) { copyClone(t, s.p) })
		})
	}
}

func copyExport(t *testing.T, p store.Provider) {
	tenants, _ := newTenantsOn(t, p)
	var buf bytes.Buffer
	n, err := tenants.ExportTenant(ctx, "acme", &buf)
	if err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if n != int64(len(b)) || len(b) < 100 || string(b[:16]) != "SQLite format 3\x00" || b[18] != 1 || b[19] != 1 {
		t.Fatalf("export of %d bytes (%d said) is not a rollback-journal SQLite file", len(b), n)
	}
	path := filepath.Join(t.TempDir(), "export.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := store.OpenConnector(localDSN(path) + "?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	var got []app.Todo
	rows, err := db.Query("SELECT title, completed FROM todos ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var td app.Todo
		if err := rows.Scan(&td.Title, &td.Completed); err != nil {
			t.Fatal(err)
		}
		got = append(got, td)
	}
	rows.Close()
	wantCopyTodos(t, got)
	var sessions, users, version int
	var integrity string
	if err := db.QueryRow("SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM users), "+
		"(SELECT user_version FROM pragma_user_version), (SELECT group_concat(integrity_check) FROM pragma_integrity_check)").
		Scan(&sessions, &users, &version, &integrity); err != nil {
		t.Fatal(err)
	}
	if sessions != 0 || users != 1 || version == 0 || integrity != "ok" {
		t.Errorf("export: %d sessions (want 0), %d users (want 1), user_version %d, integrity %q", sessions, users, version, integrity)
	}
	if left, _ := filepath.Glob(filepath.Join(stagingDirOf(t, p), "staging-*")); len(left) != 0 {
		t.Errorf("staged files left: %q", left)
	}
}

func copyClone(t *testing.T, p store.Provider) {
	tenants, pool := newTenantsOn(t, p)
	clone, err := tenants.CloneTenant(ctx, "acme", "acme-copy")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, clone.Location) })
	src, err := tenants.FindTenant(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if clone.Location == src.Location || clone.ID == src.ID {
		t.Fatalf("clone %+v shares the source's database %+v", clone, src)
	}
	if _, ok := p.(*Provider); ok && !strings.HasPrefix(clone.Location, livePrefix) {
		t.Errorf("clone location %q is not a namespace", clone.Location)
	}
	tdb, err := pool.Acquire(ctx, clone)
	if err != nil {
		t.Fatal(err)
	}
	defer tdb.Release()
	todos, stats, err := tdb.Todos(ctx, app.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	wantCopyTodos(t, todos)
	if stats.Total != len(copyTitles) || stats.Completed != 1 || clone.TodoCount != len(copyTitles) || clone.CompletedCount != 1 {
		t.Errorf("clone counters: list %+v, tenant %d/%d", stats, clone.TodoCount, clone.CompletedCount)
	}
	if _, found, err := tdb.FindSession(ctx, "session-key"); err != nil || found {
		t.Errorf("clone carries the source's session: found %v, %v", found, err)
	}
	// The clone is a database of its own: a todo added there is not in the source.
	cdb, err := p.Open(ctx, clone.Location)
	if err != nil {
		t.Fatal(err)
	}
	defer cdb.Close()
	if _, err := cdb.Exec("INSERT INTO todos (title, created_at, updated_at) VALUES ('only in the clone', 1, 1)"); err != nil {
		t.Fatal(err)
	}
	sdb, err := pool.Acquire(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Release()
	srcTodos, _, err := sdb.Todos(ctx, app.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	wantCopyTodos(t, srcTodos)
	if _, found, err := sdb.FindSession(ctx, "session-key"); err != nil || !found {
		t.Errorf("the source lost its session: found %v, %v", found, err)
	}
}

// stagingDirOf returns where p stages files.
func stagingDirOf(t *testing.T, p store.Provider) string {
	t.Helper()
	path, err := p.Stage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = p.Remove(ctx, path)
	return filepath.Dir(path)
}

// TestSnapshotRoundTrip copies a staged file into a namespace (Adopt) and
// back into a local file (Snapshot): the file has the same schema, values
// of every type, AUTOINCREMENT counter, trigger, view and user_version,
// and is a rollback-journal SQLite file.
func TestSnapshotRoundTrip(t *testing.T) {
	p := newTestProvider(t, sqldtest.Start(t), Config{})
	loc, err := p.Adopt(ctx, "t_round", Region.Code, stageWithData(t, p))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, loc) })
	dst, err := p.Stage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Snapshot(ctx, mustOpen(t, p, loc), dst); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 100 || b[18] != 1 || b[19] != 1 {
		t.Errorf("snapshot of %d bytes is not a rollback-journal file", len(b))
	}
	c, err := store.OpenConnector(localDSN(dst))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	wantStagedData(t, db)

	// Only a file this provider staged is written.
	err = p.Snapshot(ctx, mustOpen(t, p, loc), filepath.Join(t.TempDir(), "elsewhere.db"))
	wantCode(t, err, app.EINVALID)
}
