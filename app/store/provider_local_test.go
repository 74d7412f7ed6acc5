package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"todos/app"
)

// TestLocalProvider covers what only local files do: locations are paths
// under Dir, names and paths outside it are refused, companion files go
// with the database.
func TestLocalProvider(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "tenants")
	p := LocalProvider{Dir: dir}
	if rs := p.Regions(); len(rs) != 1 || rs[0] != (app.Region{Code: "local", Name: "This machine"}) {
		t.Fatalf("Regions = %+v", rs)
	}
	loc, err := p.Create(ctx, "t_abc", "local")
	if err != nil {
		t.Fatal(err)
	}
	if loc != filepath.Join(dir, "t_abc.db") {
		t.Errorf("location = %q", loc)
	}
	// Conflicts, regions, trash, adoption: TestProviderContract.
	for _, id := range []string{"", "../evil", "T_ABC", "a/b", "a.db"} {
		if _, err := p.Create(ctx, id, "local"); err == nil {
			t.Errorf("Create(%q) succeeded", id)
		}
	}

	db, err := p.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	missing := filepath.Join(dir, "t_missing.db")
	_, err = p.Open(ctx, missing)
	wantCode(t, err, app.ENOTFOUND)
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("Open of a missing database created it")
	}
	for _, bad := range []string{"relative.db", filepath.Join(t.TempDir(), "x.db"), filepath.Join(dir, "x.txt")} {
		if _, err := p.Open(ctx, bad); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
		if err := p.Remove(ctx, bad); err == nil {
			t.Errorf("Remove(%q) succeeded", bad)
		}
	}

	if err := p.Remove(ctx, loc); err != nil {
		t.Fatal(err)
	}
	// Companion files go too. They are faked on a database never opened:
	// truncating the -shm of a handle that go-libsql is still closing in the
	// background (see TestOpenDBReopenAfterClose) kills the process (SIGBUS).
	side, err := p.Create(ctx, "t_side", "local")
	if err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.WriteFile(side+suffix, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Remove(ctx, side); err != nil {
		t.Fatal(err)
	}
	if files := dirFiles(t, dir); len(files) != 0 {
		t.Errorf("files left after Remove: %q", files)
	}
	if err := p.Remove(ctx, loc); err != nil {
		t.Errorf("Remove of a missing database: %v", err)
	}
}
