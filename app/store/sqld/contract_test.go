package sqld

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"todos/app"
	"todos/app/internal/sqldtest"
	"todos/app/store"
)

// subject is one provider under the contract.
type subject struct {
	name string
	p    store.Provider
}

// subjects returns the local provider, a sqld provider on a real server
// and one on a real server with JWT auth.
func subjects(t *testing.T) []subject {
	t.Helper()
	srv, authSrv := sqldtest.Start(t), sqldtest.StartWithAuth(t)
	return []subject{
		{"local", store.LocalProvider{Dir: filepath.Join(t.TempDir(), "tenants")}},
		{"sqld", newTestProvider(t, srv, Config{})},
		{"sqld with auth", newTestProvider(t, authSrv, Config{AuthKeyFile: authSrv.AuthKeyFile})},
	}
}

// newTestProvider returns a provider on srv, with cfg's timeouts.
func newTestProvider(t testing.TB, srv *sqldtest.Server, cfg Config) *Provider {
	t.Helper()
	cfg.URL, cfg.AdminURL, cfg.StagingDir = srv.URL, srv.AdminURL, filepath.Join(t.TempDir(), "staging")
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestProviderContract runs every behaviour callers rely on against each
// provider: what local does, sqld does.
func TestProviderContract(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, p store.Provider)
	}{
		{"create open write read reopen", contractReopen},
		{"create twice conflicts", contractDuplicate},
		{"unknown region", contractRegion},
		{"removed is missing", contractRemove},
		{"trash and untrash keep the data", contractTrash},
		{"adopt a staged file with data", contractAdopt},
		{"adopt onto an existing database conflicts", contractAdoptConflict},
		{"size", contractSize},
		{"migrate to the latest schema", contractMigrate},
	}
	for _, s := range subjects(t) {
		t.Run(s.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) { c.run(t, s.p) })
			}
		})
	}
}

var ctx = context.Background()

// wantCode fails unless err is an app error with code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

// mustCreate creates tenantID's database in the default region.
func mustCreate(t *testing.T, p store.Provider, tenantID string) string {
	t.Helper()
	loc, err := p.Create(ctx, tenantID, p.Regions()[0].Code)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, loc) })
	return loc
}

// mustOpen opens location and closes it when the test ends.
func mustOpen(t *testing.T, p store.Provider, loc string) *sql.DB {
	t.Helper()
	db, err := p.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// exec runs statements on db.
func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// titles returns the titles of table t in id order.
func titles(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(ctx, "SELECT title FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func contractReopen(t *testing.T, p store.Provider) {
	loc := mustCreate(t, p, "t_reopen")
	db := mustOpen(t, p, loc)
	exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('one'), ('two')")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if got := titles(t, mustOpen(t, p, loc)); len(got) != 2 || got[0] != "one" || got[1] != "two" {
		t.Errorf("after reopen: %q", got)
	}
}

func contractDuplicate(t *testing.T, p store.Provider) {
	mustCreate(t, p, "t_dup")
	_, err := p.Create(ctx, "t_dup", p.Regions()[0].Code)
	wantCode(t, err, app.ECONFLICT)
}

func contractRegion(t *testing.T, p store.Provider) {
	_, err := p.Create(ctx, "t_region", "mars")
	wantCode(t, err, app.EINVALID)
}

func contractRemove(t *testing.T, p store.Provider) {
	loc := mustCreate(t, p, "t_gone")
	if err := p.Remove(ctx, loc); err != nil {
		t.Fatal(err)
	}
	_, err := p.Open(ctx, loc)
	wantCode(t, err, app.ENOTFOUND)
	_, err = p.Size(ctx, loc)
	wantCode(t, err, app.ENOTFOUND)
	_, err = p.Trash(ctx, loc)
	wantCode(t, err, app.ENOTFOUND)
	if err := p.Remove(ctx, loc); err != nil {
		t.Errorf("Remove of a missing database: %v", err)
	}
}

func contractTrash(t *testing.T, p store.Provider) {
	loc := mustCreate(t, p, "t_trash")
	db := mustOpen(t, p, loc)
	exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('kept')")
	db.Close()
	trashed, err := p.Trash(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, trashed) })
	if _, err := p.Open(ctx, trashed); err == nil {
		t.Fatal("a database in the trash was opened")
	}
	if again, err := p.Trash(ctx, trashed); err != nil || again != trashed {
		t.Errorf("Trash again = %q, %v; want %q", again, err, trashed)
	}
	if _, err := p.Size(ctx, trashed); err != nil {
		t.Errorf("Size in the trash: %v", err)
	}
	live, err := p.Untrash(ctx, trashed)
	if err != nil {
		t.Fatal(err)
	}
	if live != loc {
		t.Errorf("Untrash = %q, want %q", live, loc)
	}
	if got := titles(t, mustOpen(t, p, live)); len(got) != 1 || got[0] != "kept" {
		t.Errorf("after untrash: %q", got)
	}
}

// stageWithData makes a staged file holding a table with awkward values,
// an AUTOINCREMENT counter past its rows, an index, a trigger, a view and
// user_version 7.
func stageWithData(t *testing.T, p store.Provider) string {
	t.Helper()
	path, err := p.Stage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := store.OpenConnector("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	exec(t, db,
		"CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT, data BLOB, score REAL, note TEXT)",
		"CREATE TABLE log (what TEXT)",
		"CREATE INDEX t_title ON t (title)",
		"CREATE TRIGGER t_logged AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.title); END",
		"CREATE VIEW t_view AS SELECT title FROM t",
	)
	for i, title := range []string{"plain", "it's; a \"quote\"\nand a line;", "ünïcode ✓", ""} {
		if _, err := db.Exec("INSERT INTO t (title, data, score, note) VALUES (?, ?, ?, ?)",
			title, []byte{0, byte(i), 255}, 0.1+float64(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	exec(t, db, "INSERT INTO t (id, title) VALUES (40, 'last')", "DELETE FROM t WHERE id = 40", "PRAGMA user_version = 7")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func contractAdopt(t *testing.T, p store.Provider) {
	path := stageWithData(t, p)
	loc, err := p.Adopt(ctx, "t_adopted", p.Regions()[0].Code, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, loc) })
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("staged file still there after Adopt: %v", err)
	}
	wantStagedData(t, mustOpen(t, p, loc))
}

// wantStagedData fails unless db holds what stageWithData made, then adds
// a row to check that the trigger and the AUTOINCREMENT counter came along.
func wantStagedData(t *testing.T, db *sql.DB) {
	t.Helper()
	want := []string{"plain", "it's; a \"quote\"\nand a line;", "ünïcode ✓", ""}
	if got := titles(t, db); len(got) != len(want) || got[1] != want[1] || got[2] != want[2] || got[3] != "" {
		t.Errorf("titles = %q, want %q", got, want)
	}
	var data []byte
	var score float64
	var note sql.NullString
	if err := db.QueryRow("SELECT data, score, note FROM t WHERE id = 2").Scan(&data, &score, &note); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, []byte{0, 1, 255}) || score != 1.1 || note.Valid {
		t.Errorf("row 2 = %v %v %v", data, score, note)
	}
	var version, logged, viewed int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != 7 {
		t.Errorf("user_version = %d, %v; want 7", version, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM log").Scan(&logged); err != nil || logged != 5 {
		t.Errorf("log rows = %d, %v; want 5 (copied, the trigger not fired again)", logged, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM t_view").Scan(&viewed); err != nil || viewed != 4 {
		t.Errorf("view rows = %d, %v", viewed, err)
	}
	// The trigger and the AUTOINCREMENT counter came along.
	exec(t, db, "INSERT INTO t (title) VALUES ('new')")
	var id, logs int
	if err := db.QueryRow("SELECT max(id), (SELECT count(*) FROM log) FROM t").Scan(&id, &logs); err != nil || id != 41 || logs != 6 {
		t.Errorf("after insert: id %d, log %d, %v; want 41, 6", id, logs, err)
	}
}

func contractAdoptConflict(t *testing.T, p store.Provider) {
	loc := mustCreate(t, p, "t_taken")
	db := mustOpen(t, p, loc)
	exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('mine')")
	path := stageWithData(t, p)
	t.Cleanup(func() { _ = p.Remove(ctx, path) })
	_, err := p.Adopt(ctx, "t_taken", p.Regions()[0].Code, path)
	wantCode(t, err, app.ECONFLICT)
	if got := titles(t, db); len(got) != 1 || got[0] != "mine" {
		t.Errorf("existing database changed: %q", got)
	}
}

func contractSize(t *testing.T, p store.Provider) {
	loc := mustCreate(t, p, "t_size")
	db := mustOpen(t, p, loc)
	exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
	if _, err := db.Exec("INSERT INTO t (title) VALUES (?)", string(bytes.Repeat([]byte("x"), 20000))); err != nil {
		t.Fatal(err)
	}
	size, err := p.Size(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	if size < 20000 {
		t.Errorf("Size = %d, want at least the 20000 bytes written", size)
	}
}

func contractMigrate(t *testing.T, p store.Provider) {
	schema, err := os.ReadFile("../../../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	migrations, err := store.ParseMigrations(string(schema))
	if err != nil {
		t.Fatal(err)
	}
	db := mustOpen(t, p, mustCreate(t, p, "t_migrate"))
	_, version, err := store.Migrate(ctx, db, migrations)
	if err != nil {
		t.Fatal(err)
	}
	if version != store.LatestVersion(migrations) {
		t.Errorf("version = %d, want %d", version, store.LatestVersion(migrations))
	}
	// Foreign keys are enforced on the handle Open gives.
	var fk int
	if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v", fk, err)
	}
}
