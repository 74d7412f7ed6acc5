package providertest

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"todos/app"
	"todos/app/store"
)

// awkwardTitles are todo titles every copy must carry byte for byte.
var awkwardTitles = []string{"plain", "it's; a \"quote\"\nand a line;", "ünïcode ✓", "🚀 last"}

// seeded signs up the tenant name, adds awkwardTitles through the pool,
// completes the second and stores a session.
func (e *env) seeded(t *testing.T, name string) *app.Tenant {
	t.Helper()
	tn := e.create(t, name)
	tdb := acquire(t, e.pool, tn)
	defer tdb.Release()
	for i, title := range awkwardTitles {
		td, _, err := tdb.AddTodo(ctx, title)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if _, _, err := tdb.ToggleTodo(ctx, td.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tdb.CommitSession(ctx, "session-key", []byte("data"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	return tn
}

// wantSeeded fails unless tn, read through pool, holds awkwardTitles with
// the second completed.
func wantSeeded(t *testing.T, pool *store.TenantPool, tn *app.Tenant) {
	t.Helper()
	got, completed := todoTitles(t, pool, tn)
	if !sameSet(got, awkwardTitles) {
		t.Fatalf("todos of %s = %q, want %q", tn.Name, got, awkwardTitles)
	}
	for i, title := range awkwardTitles {
		if completed[title] != (i == 1) {
			t.Errorf("todo %q completed = %v", title, completed[title])
		}
	}
}

// hasSession reports whether tn's database, read through pool, holds the
// session seeded stored.
func hasSession(t *testing.T, pool *store.TenantPool, tn *app.Tenant) bool {
	t.Helper()
	tdb := acquire(t, pool, tn)
	defer tdb.Release()
	_, found, err := tdb.FindSession(ctx, "session-key")
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// wantNoStaged fails if p holds staged files: a copy, export or import
// left one behind.
func wantNoStaged(t *testing.T, p store.Provider) {
	t.Helper()
	if n, err := p.RemoveStaged(ctx, 0); err != nil || n != 0 {
		t.Errorf("%d staged files left behind (%v)", n, err)
	}
}

func caseTenantTodos(t *testing.T, p store.Provider) {
	e := newEnv(t, p)
	tn := e.seeded(t, "acme")
	if tn.Status != app.TenantActive || tn.Region != p.Regions()[0].Code || tn.Location == "" {
		t.Fatalf("tenant = %+v", tn)
	}
	// What one process wrote, another reads, after this one closed.
	if err := e.pool.Close(); err != nil {
		t.Fatal(err)
	}
	pool, _ := e.newPool(t, e.migrations)
	wantSeeded(t, pool, tn)
	if !hasSession(t, pool, tn) {
		t.Error("the session was lost")
	}
	if _, err := e.tryCreate("acme"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second acme: %v, want ECONFLICT", err)
	}
}

func caseClone(t *testing.T, p store.Provider) {
	e := newEnv(t, p)
	src := e.seeded(t, "acme")
	clone, err := e.tenants.CloneTenant(ctx, "acme", "acme-copy")
	if err != nil {
		t.Fatal(err)
	}
	if clone.Location == src.Location || clone.ID == src.ID || clone.Region != src.Region {
		t.Fatalf("clone %+v of %+v", clone, src)
	}
	wantSeeded(t, e.pool, clone)
	if clone.TodoCount != len(awkwardTitles) || clone.CompletedCount != 1 {
		t.Errorf("clone counters %d/%d", clone.TodoCount, clone.CompletedCount)
	}
	if hasSession(t, e.pool, clone) {
		t.Error("the clone carries the source's session")
	}
	// A database of its own: a todo added to the clone is not in the source.
	add(t, e.pool, clone, "only in the clone")
	wantSeeded(t, e.pool, src)
	if !hasSession(t, e.pool, src) {
		t.Error("the source lost its session")
	}
	_, err = e.tenants.CloneTenant(ctx, "acme", "acme-copy")
	WantCode(t, err, app.ECONFLICT)
	wantNoStaged(t, p)
}

// export exports the tenant name and returns the file's bytes.
func (e *env) export(t *testing.T, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := e.tenants.ExportTenant(ctx, name, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("export said %d bytes, wrote %d", n, buf.Len())
	}
	return buf.Bytes()
}

func caseExport(t *testing.T, p store.Provider) {
	e := newEnv(t, p)
	e.seeded(t, "acme")
	b := e.export(t, "acme")
	// A single self-contained file: rollback-journal mode.
	if len(b) < 100 || string(b[:16]) != "SQLite format 3\x00" || b[18] != 1 || b[19] != 1 {
		t.Fatalf("the export (%d bytes) is not a rollback-journal SQLite file", len(b))
	}
	path := filepath.Join(t.TempDir(), "export.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := store.OpenConnector("file:" + path + "?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	var got []string
	rows, err := db.Query("SELECT title FROM todos ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	rows.Close()
	if !sameSet(got, awkwardTitles) {
		t.Errorf("exported todos %q", got)
	}
	var sessions, users, version int
	var integrity string
	if err := db.QueryRow("SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM users), "+
		"(SELECT user_version FROM pragma_user_version), (SELECT group_concat(integrity_check) FROM pragma_integrity_check)").
		Scan(&sessions, &users, &version, &integrity); err != nil {
		t.Fatal(err)
	}
	if sessions != 0 || users != 1 || version != store.LatestVersion(e.migrations) || integrity != "ok" {
		t.Errorf("export: %d sessions (want 0), %d users (want 1), user_version %d, integrity %q", sessions, users, version, integrity)
	}
	if _, err := e.tenants.ExportTenant(ctx, "nobody", &bytes.Buffer{}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("export of an unknown tenant: %v", err)
	}
	wantNoStaged(t, p)
}

func caseImport(t *testing.T, p store.Provider) {
	e := newEnv(t, p)
	e.seeded(t, "acme")
	b := e.export(t, "acme")
	region := p.Regions()[0].Code
	imported, err := e.tenants.ImportTenant(ctx, app.ImportInput{Name: "acme-again", Region: region, File: bytes.NewReader(b)})
	if err != nil {
		t.Fatal(err)
	}
	wantSeeded(t, e.pool, imported)
	add(t, e.pool, imported, "after the import")

	// A refused file leaves no tenant and no database behind.
	_, err = e.tenants.ImportTenant(ctx, app.ImportInput{Name: "junk", Region: region, File: bytes.NewReader([]byte("not a database"))})
	WantCode(t, err, app.EINVALID)
	if _, err := e.tenants.FindTenantByNameIncludingTrash(ctx, "junk"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("a refused import left a tenant: %v", err)
	}
	_, err = e.tenants.ImportTenant(ctx, app.ImportInput{Name: "acme", Region: region, File: bytes.NewReader(b)})
	WantCode(t, err, app.ECONFLICT)
	wantNoStaged(t, p)
}

func caseSuspend(t *testing.T, p store.Provider) {
	e := newEnv(t, p)
	tn := e.seeded(t, "acme")
	if err := e.tenants.SuspendTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	got, err := e.tenants.FindTenant(ctx, "acme")
	if err != nil || got.Status != app.TenantSuspended {
		t.Fatalf("after suspend: %+v, %v", got, err)
	}
	WantCode(t, e.tenants.SuspendTenant(ctx, "acme"), app.EINVALID)
	// The data is kept as it was.
	wantSeeded(t, e.pool, tn)
	if err := e.tenants.ResumeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if got, err := e.tenants.FindTenant(ctx, "acme"); err != nil || got.Status != app.TenantActive {
		t.Fatalf("after resume: %+v, %v", got, err)
	}
	add(t, e.pool, tn, "after resume")
}

func caseDeleteRestore(t *testing.T, p store.Provider) {
	e := newEnv(t, p)
	tn := e.seeded(t, "acme")
	if err := e.tenants.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tenants.FindTenant(ctx, "acme"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a tenant in the trash was found: %v", err)
	}
	trashed, err := e.tenants.FindTenantByNameIncludingTrash(ctx, "acme")
	if err != nil || trashed.Status != app.TenantDeleted {
		t.Fatalf("in the trash: %+v, %v", trashed, err)
	}
	if db, err := p.Open(ctx, trashed.Location); err == nil {
		db.Close()
		t.Error("a database in the trash was opened")
	}
	if _, err := e.tryCreate("acme"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("the name of a tenant in the trash was taken: %v", err)
	}
	restored, err := e.tenants.RestoreTenant(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if restored.Status != app.TenantActive || restored.ID != tn.ID {
		t.Fatalf("restored %+v", restored)
	}
	wantSeeded(t, e.pool, restored)
	add(t, e.pool, restored, "after restore")
	_, err = e.tenants.RestoreTenant(ctx, "acme")
	WantCode(t, err, app.EINVALID)
}

func caseMigrate(t *testing.T, p store.Provider) {
	e := newEnv(t, p)
	tn := e.seeded(t, "acme")
	if err := e.pool.Close(); err != nil {
		t.Fatal(err)
	}
	// A newer version of the program, with one more migration.
	latest := store.LatestVersion(e.migrations)
	newer := append(append([]store.Migration(nil), e.migrations...), store.Migration{Version: latest + 1, Statements: []string{
		"CREATE TABLE contract_extra (x TEXT)",
		"INSERT INTO contract_extra (x) SELECT title FROM todos",
	}})
	pool, _ := e.newPool(t, newer)
	wantSeeded(t, pool, tn)
	if err := pool.Close(); err != nil {
		t.Fatal(err)
	}
	db := MustOpen(t, p, tn.Location)
	var version, extra, fk int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != latest+1 {
		t.Errorf("user_version = %d, %v; want %d", version, err, latest+1)
	}
	if err := db.QueryRow("SELECT count(*) FROM contract_extra").Scan(&extra); err != nil || extra != len(awkwardTitles) {
		t.Errorf("rows of the new table: %d, %v", extra, err)
	}
	// Foreign keys are enforced on the handle Open gives.
	if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v", fk, err)
	}
	// Migrating again has nothing to do.
	if from, to, err := store.Migrate(ctx, db, newer); err != nil || from != latest+1 || to != latest+1 {
		t.Errorf("Migrate again = %d → %d, %v", from, to, err)
	}
}
