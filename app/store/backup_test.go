package store

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"todos/app"
)

// TestBackupWhileWritingThenRestore backs up a data directory while a
// tenant is being written to: the backup holds every write acknowledged
// before it started, passes the integrity check, keeps the trash, leaves
// out a half-created tenant and reports a missing database. Restored as the
// data directory, it serves its tenants.
func TestBackupWhileWritingThenRestore(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	e := openDataDirEnv(t, dir)
	acme := e.create(t, "acme", 5)
	e.create(t, "beta", 4)
	e.create(t, "gamma", 3)
	lost := e.create(t, "lost", 1)
	if err := e.tenants.SuspendTenant(ctx, "beta"); err != nil {
		t.Fatal(err)
	}
	if err := e.tenants.DeleteTenant(ctx, "gamma"); err != nil {
		t.Fatal(err)
	}
	<-e.pool.Evict(lost.ID)
	if err := e.provider.Remove(ctx, lost.Location); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := e.control.insertTenant(ctx, &app.Tenant{ID: "t_half", Name: "half", Region: "local",
		Location: filepath.Join(dir, "tenants", "t_half.db"), Status: tenantCreating, CreatedAt: now, LastActiveAt: now}); err != nil {
		t.Fatal(err)
	}

	// A writer adds todos to acme until the backup is over.
	var acked atomic.Int64
	acked.Store(5)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e.addTodos(t, acme, 1)
			acked.Add(1)
		}
	})
	for acked.Load() < 50 {
		time.Sleep(time.Millisecond)
	}
	before := acked.Load()
	out := t.TempDir()
	report, err := Backup(ctx, e.backupSource(), out, dir)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if report.Live != 2 || report.Trashed != 1 || !slices.Equal(report.Creating, []string{"half"}) ||
		!slices.Equal(report.Missing, []string{"lost"}) || len(report.Failed) != 0 || report.Bytes == 0 {
		t.Errorf("report = %+v", report)
	}
	n := countIn(t, filepath.Join(out, "tenants", filepath.Base(acme.Location)), "SELECT count(*) FROM todos")
	if int64(n) < before {
		t.Errorf("the backup has %d of acme's todos; %d were acknowledged before it started", n, before)
	}
	if c := countIn(t, filepath.Join(out, "control.db"), "SELECT todo_count FROM tenants WHERE name = 'acme'"); c != n {
		t.Errorf("the backup's control plane counts %d todos for acme, its copy holds %d", c, n)
	}
	if n := countIn(t, filepath.Join(out, "control.db"), "SELECT count(*) FROM tenants WHERE name = 'half'"); n != 0 {
		t.Error("the half-created tenant is in the backup")
	}
	wantPrivate(t, out, "control.db", "tenants/*.db", "trash/*.db")

	// Restore: the backup becomes the data directory.
	if err := e.close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(out, dir); err != nil {
		t.Fatal(err)
	}
	r := openDataDirEnv(t, dir)
	for name, min := range map[string]int{"acme": int(before), "beta": 4} {
		tn, err := r.tenants.FindTenantByNameIncludingTrash(ctx, name)
		if err != nil {
			t.Fatal(name, err)
		}
		tdb, err := r.pool.Acquire(ctx, tn)
		if err != nil {
			t.Fatalf("open restored %s: %v", name, err)
		}
		_, stats, err := tdb.Todos(ctx, app.FilterAll)
		tdb.Release()
		if err != nil || stats.Total < min {
			t.Errorf("restored %s: %+v, %v; want at least %d todos", name, stats, err, min)
		}
	}
	if _, err := r.tenants.RestoreTenant(ctx, "gamma"); err != nil {
		t.Errorf("restore gamma from the restored trash: %v", err)
	}
	if _, err := r.tenants.FindTenantByNameIncludingTrash(ctx, "half"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("half-created tenant after restore: %v", err)
	}
}

// TestBackupRewritesLocationsForAnotherPath restores a backup under another
// path: every location in its control database points there.
func TestBackupRewritesLocationsForAnotherPath(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	e := openDataDirEnv(t, dir)
	e.create(t, "acme", 2)
	e.create(t, "beta", 1)
	if err := e.tenants.DeleteTenant(ctx, "beta"); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "restored")
	if _, err := Backup(ctx, e.backupSource(), out, elsewhere); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(out, elsewhere); err != nil {
		t.Fatal(err)
	}
	r := openDataDirEnv(t, elsewhere)
	for _, name := range []string{"acme", "beta"} {
		tn, err := r.tenants.FindTenantByNameIncludingTrash(ctx, name)
		if err != nil || !strings.HasPrefix(tn.Location, elsewhere+string(filepath.Separator)) {
			t.Fatalf("%s: %+v, %v", name, tn, err)
		}
	}
	if _, err := r.tenants.RestoreTenant(ctx, "beta"); err != nil {
		t.Fatal(err)
	}
	acme, _ := r.tenants.FindTenantByNameIncludingTrash(ctx, "acme")
	r.addTodos(t, acme, 1)
}

// TestBackupRefusesANonEmptyDirectory keeps a backup from mixing with
// other files.
func TestBackupRefusesANonEmptyDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	e := openDataDirEnv(t, dir)
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Backup(context.Background(), e.backupSource(), out, dir)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("err = %v", err)
	}
}

// TestBackupReportsADamagedTenant copies the others and names the one whose
// database cannot be read.
func TestBackupReportsADamagedTenant(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	e := openDataDirEnv(t, dir)
	e.create(t, "acme", 1)
	bad := e.create(t, "bad", 1)
	<-e.pool.Evict(bad.ID)
	if err := os.WriteFile(bad.Location, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	report, err := Backup(ctx, e.backupSource(), out, dir)
	if err != nil {
		t.Fatal(err)
	}
	if report.Live != 1 || len(report.Failed) != 1 || report.Failed[0].Tenant != "bad" {
		t.Errorf("report = %+v", report)
	}
	if _, err := os.Stat(filepath.Join(out, "tenants", filepath.Base(bad.Location))); err == nil {
		t.Error("a failed copy was left in the backup")
	}
}

// TestBackupOfACrashedDataDir backs up the files a crash left: data still
// in the -wal files, no server running. The backup has all of it.
func TestBackupOfACrashedDataDir(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	e := openDataDirEnv(t, dir)
	acme := e.create(t, "acme", 7)
	if st, err := os.Stat(acme.Location + "-wal"); err != nil || st.Size() == 0 {
		t.Fatalf("no write-ahead log to recover: %v", err)
	}
	// What kill -9 leaves: the files as they are while open.
	crashed := filepath.Join(t.TempDir(), "crashed")
	copyTree(t, dir, crashed)
	if err := e.close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(crashed, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(acme.Location + "-wal"); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	report, err := Backup(ctx, e.backupSource(), out, dir)
	if err != nil || report.Live != 1 {
		t.Fatalf("%+v, %v", report, err)
	}
	if n := countIn(t, filepath.Join(out, "tenants", filepath.Base(acme.Location)), "SELECT count(*) FROM todos"); n != 7 {
		t.Errorf("the backup of a crashed directory has %d todos, want 7", n)
	}
}

// copyTree copies every file under from to the same place under to.
func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
