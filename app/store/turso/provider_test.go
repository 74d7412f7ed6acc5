package turso

import (
	"os"
	"testing"

	"todos/app"
	"todos/app/store"
)

// TestProviderContract runs the behaviours callers rely on against the
// fake Platform API, whose data plane is a real sqld with JWT auth.
func TestProviderContract(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{})

	t.Run("create open write read reopen", func(t *testing.T) {
		loc := mustCreate(t, p, "t_reopen")
		if loc != "turso:t-reopen" || !f.Has("t-reopen") {
			t.Fatalf("location %q, fake has t-reopen: %v", loc, f.Has("t-reopen"))
		}
		db := mustOpen(t, p, loc)
		exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('one'), ('two')")
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if got := titles(t, mustOpen(t, p, loc)); len(got) != 2 || got[0] != "one" || got[1] != "two" {
			t.Errorf("after reopen: %q", got)
		}
	})
	t.Run("create twice conflicts", func(t *testing.T) {
		mustCreate(t, p, "t_dup")
		_, err := p.Create(ctx, "t_dup", "ams")
		wantCode(t, err, app.ECONFLICT)
	})
	t.Run("unknown region", func(t *testing.T) {
		_, err := p.Create(ctx, "t_region", "mars")
		wantCode(t, err, app.EINVALID)
	})
	t.Run("a region without its group", func(t *testing.T) {
		q := newTestProvider(t, f, Config{Regions: []app.Region{{Code: "syd", Name: "Sydney"}}})
		_, err := q.Create(ctx, "t_nogroup", "syd")
		wantCode(t, err, app.EUNAVAILABLE)
	})
	t.Run("removed is missing", func(t *testing.T) {
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
	})
	t.Run("a token reaches its own database only", func(t *testing.T) {
		a := mustOpen(t, p, mustCreate(t, p, "t_own"))
		exec(t, a, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
		tok, err := p.tokens.get(ctx, "t-own")
		if err != nil {
			t.Fatal(err)
		}
		if !f.Valid(tok.reveal(), "t-own") || f.Valid(tok.reveal(), "t-other") {
			t.Error("the fake does not scope the token to its database")
		}
	})
	t.Run("trash and untrash keep the data", func(t *testing.T) {
		loc := mustCreate(t, p, "t_trash")
		db := mustOpen(t, p, loc)
		exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('kept')")
		db.Close()
		trashed, err := p.Trash(ctx, loc)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Remove(ctx, trashed) })
		_, err = p.Open(ctx, trashed)
		wantCode(t, err, app.EINVALID)
		_, err = p.Open(ctx, loc) // blocked on Turso
		wantCode(t, err, app.EINVALID)
		if again, err := p.Trash(ctx, trashed); err != nil || again != trashed {
			t.Errorf("Trash again = %q, %v; want %q", again, err, trashed)
		}
		_, err = p.Size(ctx, trashed)
		wantCode(t, err, app.EUNAVAILABLE)
		live, err := p.Untrash(ctx, trashed)
		if err != nil || live != loc {
			t.Fatalf("Untrash = %q, %v; want %q", live, err, loc)
		}
		if got := titles(t, mustOpen(t, p, live)); len(got) != 1 || got[0] != "kept" {
			t.Errorf("after untrash: %q", got)
		}
	})
	t.Run("branch copies the data", func(t *testing.T) {
		src := mustOpen(t, p, mustCreate(t, p, "t_source"))
		exec(t, src, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('a'), ('b')")
		loc, err := p.Branch(ctx, "turso:t-source", "t_branch", "ams")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Remove(ctx, loc) })
		exec(t, src, "INSERT INTO t (title) VALUES ('after')")
		if got := titles(t, mustOpen(t, p, loc)); len(got) != 2 || got[0] != "a" || got[1] != "b" {
			t.Errorf("branch: %q", got)
		}
		_, err = p.Branch(ctx, "turso:t-source", "t_branch", "ams")
		wantCode(t, err, app.ECONFLICT)
	})
	t.Run("size", func(t *testing.T) {
		db := mustOpen(t, p, mustCreate(t, p, "t_size"))
		exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
		if _, err := db.Exec("INSERT INTO t (title) VALUES (zeroblob(20000))"); err != nil {
			t.Fatal(err)
		}
		if size, err := p.Size(ctx, "turso:t-size"); err != nil || size < 20000 {
			t.Errorf("Size = %d, %v; want at least 20000", size, err)
		}
	})
	t.Run("adopt a staged file, snapshot it back", func(t *testing.T) {
		path, err := p.Stage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c, err := store.OpenConnector("file:" + path)
		if err != nil {
			t.Fatal(err)
		}
		local := sqlOpen(c)
		exec(t, local, "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT)",
			"INSERT INTO t (title) VALUES ('x'), ('y')", "PRAGMA user_version = 7")
		local.Close()
		loc, err := p.Adopt(ctx, "t_adopted", "iad", path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Remove(ctx, loc) })
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("staged file still there: %v", err)
		}
		db := mustOpen(t, p, loc)
		var v int
		if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 7 {
			t.Errorf("user_version = %d, %v", v, err)
		}
		if got := titles(t, db); len(got) != 2 {
			t.Errorf("adopted: %q", got)
		}
		out, err := p.Stage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Remove(ctx, out) })
		if err := p.Snapshot(ctx, db, out); err != nil {
			t.Fatal(err)
		}
		c, err = store.OpenConnector("file:" + out + "?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		snap := sqlOpen(c)
		defer snap.Close()
		if got := titles(t, snap); len(got) != 2 || got[1] != "y" {
			t.Errorf("snapshot: %q", got)
		}
		_, err = p.Adopt(ctx, "t_adopted", "iad", out)
		wantCode(t, err, app.ECONFLICT)
	})
	t.Run("migrate to the latest schema", func(t *testing.T) {
		schema, err := os.ReadFile("../../../schema.sql")
		if err != nil {
			t.Fatal(err)
		}
		migrations, err := store.ParseMigrations(string(schema))
		if err != nil {
			t.Fatal(err)
		}
		db := mustOpen(t, p, mustCreate(t, p, "t_migrate"))
		if _, version, err := store.Migrate(ctx, db, migrations); err != nil || version != store.LatestVersion(migrations) {
			t.Fatalf("Migrate = %d, %v", version, err)
		}
		var fk int
		if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d, %v", fk, err)
		}
	})
}
