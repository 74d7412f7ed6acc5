package sqld

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/providertest"
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
	tenants, pool := providertest.NewTenants(t, p)
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

// TestSnapshotRoundTrip copies a staged file into a namespace (Adopt) and
// back into a local file (Snapshot): the file has the same schema, values
// of every type, AUTOINCREMENT counter, trigger, view and user_version,
// and is a rollback-journal SQLite file.
func TestSnapshotRoundTrip(t *testing.T) {
	p := newTestProvider(t, sqldtest.Start(t), Config{})
	loc, err := p.Adopt(ctx, "t_round", Region.Code, providertest.StageWithData(t, p))
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
	providertest.WantStagedData(t, db)

	// Only a file this provider staged is written.
	err = p.Snapshot(ctx, mustOpen(t, p, loc), filepath.Join(t.TempDir(), "elsewhere.db"))
	wantCode(t, err, app.EINVALID)
}
