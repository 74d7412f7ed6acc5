package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"todos/app"
	"todos/app/internal/testfs"
)

// dataDirEnv is a storage stack laid out as the server's data directory:
// {dir}/control.db, {dir}/tenants/ and {dir}/trash/.
type dataDirEnv struct {
	dir      string
	control  *Control
	provider LocalProvider
	pool     *TenantPool
	tenants  *Tenants
}

// openDataDirEnv opens the storage stack of the data directory dir.
func openDataDirEnv(t testing.TB, dir string) *dataDirEnv {
	t.Helper()
	if _, err := SecureDataDir(dir); err != nil {
		t.Fatal(err)
	}
	c, err := OpenControl(filepath.Join(dir, "control.db"))
	if err != nil {
		t.Fatal(err)
	}
	p := LocalProvider{Dir: filepath.Join(dir, "tenants")}
	pool := NewTenantPool(p, tenantMigrations(t), c, 8)
	e := &dataDirEnv{dir: dir, control: c, provider: p, pool: pool, tenants: NewTenants(c, p, pool, testParams)}
	t.Cleanup(func() { _ = e.close() })
	return e
}

// close closes the pool, then the control plane, as the server does.
func (e *dataDirEnv) close() error {
	perr := e.pool.Close()
	return errors.Join(perr, e.control.Close())
}

// backupSource is what Backup reads to copy e's data directory.
func (e *dataDirEnv) backupSource() BackupSource {
	return BackupSource{Dir: e.dir, Control: filepath.Join(e.dir, "control.db"), Provider: e.provider}
}

// create creates tenant name and adds n todos to it.
func (e *dataDirEnv) create(t testing.TB, name string, n int) *app.Tenant {
	t.Helper()
	tn, _, err := e.tenants.CreateTenant(context.Background(), app.CreateTenantInput{
		Name: name, Region: "local", OwnerEmail: "owner@example.com", OwnerPassword: "correct horse",
	})
	if err != nil {
		t.Fatal(err)
	}
	e.addTodos(t, tn, n)
	return tn
}

// addTodos adds n todos titled "todo N" to tn.
func (e *dataDirEnv) addTodos(t testing.TB, tn *app.Tenant, n int) {
	t.Helper()
	addPoolTodos(t, e.pool, tn, n)
}

// countIn counts the rows query finds in the database file at path, opened
// on its own (any -wal beside it is read too).
func countIn(t testing.TB, path, query string) int {
	t.Helper()
	db := openWaiting(t, path)
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s in %s: %v", query, filepath.Base(path), err)
	}
	return n
}

// openWaiting opens the database file at path with one connection that
// waits for locks: go-libsql finishes closing a database after Close
// returns, so a handle just closed may still hold one.
func openWaiting(t testing.TB, path string) *sql.DB {
	t.Helper()
	c, err := OpenConnector(fileDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	return oneConnection(&setupConnector{inner: c, pragmas: []pragma{{sql: "PRAGMA busy_timeout=5000"}}})
}

// TestClosedDatabasesHoldEverythingWithoutTheirLogs runs every way a
// database is closed (eviction, export, clone, import, suspend, trash, the
// pool's and the control plane's Close), then copies only the *.db files:
// each copy alone has every row.
func TestClosedDatabasesHoldEverythingWithoutTheirLogs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e := openDataDirEnv(t, dir)
	acme := e.create(t, "acme", 30)
	e.create(t, "beta", 20)
	gamma := e.create(t, "gamma", 10)
	e.create(t, "delta", 5)
	var export bytes.Buffer
	if _, err := e.tenants.ExportTenant(ctx, "beta", &export); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tenants.ImportTenant(ctx, app.ImportInput{Name: "beta2", Region: "local", File: &export}); err != nil {
		t.Fatal(err)
	}
	clone, err := e.tenants.CloneTenant(ctx, "acme", "acme2")
	if err != nil {
		t.Fatal(err)
	}
	e.addTodos(t, clone, 3)
	if err := e.tenants.SuspendTenant(ctx, "gamma"); err != nil {
		t.Fatal(err)
	}
	e.addTodos(t, gamma, 1) // written after the suspension, by the pool's handle
	if err := e.tenants.DeleteTenant(ctx, "delta"); err != nil {
		t.Fatal(err)
	}
	<-e.pool.Evict(acme.ID) // evicted, then opened again by the write below
	e.addTodos(t, acme, 2)
	for _, admin := range []string{"a@example.com", "b@example.com"} {
		if _, err := e.control.CreateAdmin(ctx, admin, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.close(); err != nil {
		t.Fatal(err)
	}

	copied := t.TempDir()
	files := testfs.CopyDBFiles(t, dir, copied)
	if len(files) != 7 { // control.db, 5 live tenants, 1 in the trash
		t.Fatalf("copied %v", files)
	}
	control := filepath.Join(copied, "control.db")
	if n := countIn(t, control, "SELECT count(*) FROM tenants WHERE status IN ('active','suspended','deleted')"); n != 6 {
		t.Errorf("the copy of control.db alone lists %d tenants, want 6", n)
	}
	if n := countIn(t, control, "SELECT count(*) FROM admins"); n != 2 {
		t.Errorf("the copy of control.db alone has %d admins, want 2", n)
	}
	db := openWaiting(t, control)
	want := map[string]int{"acme": 32, "beta": 20, "beta2": 20, "acme2": 33, "gamma": 11, "delta": 5}
	for name, n := range want {
		var loc []byte
		if err := db.QueryRow("SELECT CAST(location AS BLOB) FROM tenants WHERE name = ?", name).Scan(&loc); err != nil {
			t.Fatal(name, err)
		}
		rel, _ := filepath.Rel(dir, string(loc))
		if got := countIn(t, filepath.Join(copied, rel), "SELECT count(*) FROM todos"); got != n {
			t.Errorf("the copy of %s (%s) alone has %d todos, want %d", name, rel, got, n)
		}
	}
	_ = db.Close()
}

// TestDatabaseFilesArePrivate checks the modes of every file and directory
// a fresh data directory gets, the write-ahead files included, while the
// databases are open and after they are closed.
func TestDatabaseFilesArePrivate(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := SecureDataDir(dir); err != nil {
		t.Fatal(err)
	}
	e := openDataDirEnv(t, dir)
	e.create(t, "acme", 3)
	e.create(t, "beta", 1)
	if _, err := e.tenants.CloneTenant(ctx, "acme", "acme2"); err != nil {
		t.Fatal(err)
	}
	var export bytes.Buffer
	if _, err := e.tenants.ExportTenant(ctx, "acme", &export); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tenants.ImportTenant(ctx, app.ImportInput{Name: "acme3", Region: "local", File: &export}); err != nil {
		t.Fatal(err)
	}
	if err := e.tenants.DeleteTenant(ctx, "beta"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.provider.Stage(ctx); err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, dir, "control.db-wal", "control.db-shm", "tenants/*.db-wal", "trash/*.db")
	if err := e.close(); err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, dir, "control.db")
}

// wantPrivate fails unless every directory under dir (dir included) has
// mode 0700 and every file 0600, and a file matches each pattern.
func wantPrivate(t *testing.T, dir string, patterns ...string) {
	t.Helper()
	testfs.WantModes(t, dir, PrivateDirMode, PrivateFileMode, patterns...)
}

// TestSecureDataDirTightensAnOldTree tightens a tree made 0755/0644 (and
// 0777/0666) and leaves what a symbolic link points to alone.
func TestSecureDataDirTightensAnOldTree(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	outside := filepath.Join(root, "outside.txt")
	for _, d := range []string{dir, filepath.Join(dir, "tenants"), filepath.Join(dir, "trash")} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	files := []string{"control.db", "control.db-wal", "secret.key", "tenants/t_1.db", "trash/t_2.db", outside}
	for _, f := range files {
		if !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "tenants", "link.db")); err != nil {
		t.Fatal(err)
	}
	// Modes set after creation: the umask does not get in the way.
	loosen := map[string]fs.FileMode{dir: 0o755, filepath.Join(dir, "tenants"): 0o777, filepath.Join(dir, "trash"): 0o750,
		filepath.Join(dir, "control.db"): 0o644, filepath.Join(dir, "control.db-wal"): 0o666,
		filepath.Join(dir, "secret.key"): 0o640, filepath.Join(dir, "tenants", "t_1.db"): 0o644, outside: 0o644}
	for p, m := range loosen {
		if err := os.Chmod(p, m); err != nil {
			t.Fatal(err)
		}
	}
	changes, err := SecureDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 7 { // every loosened path but outside; trash/t_2.db was 0600 already
		t.Errorf("changes = %+v, want 7", changes)
	}
	for _, c := range changes {
		if c.From != loosen[c.Path] || c.To != c.From&^0o077 {
			t.Errorf("change %+v: want from %v", c, loosen[c.Path])
		}
	}
	if err := os.Remove(filepath.Join(dir, "tenants", "link.db")); err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, dir)
	if st, err := os.Stat(outside); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("the file a link points to was changed: %v, %v", st.Mode(), err)
	}
	if again, err := SecureDataDir(dir); err != nil || len(again) != 0 {
		t.Errorf("second run: %+v, %v; want nothing to do", again, err)
	}
}
