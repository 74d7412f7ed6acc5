package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"todos/app"
)

// newStack returns a storage stack of its own (control plane, provider, pool) on
// the data directory dir, as a second process sharing it would have.
func newStack(t *testing.T, dir string) *Tenants {
	t.Helper()
	c, err := OpenControl(filepath.Join(dir, "control.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	p := LocalProvider{Dir: filepath.Join(dir, "tenants")}
	pool := NewTenantPool(p, tenantMigrations(t), c, 4)
	t.Cleanup(func() { _ = pool.Close() })
	return NewTenants(c, p, pool, testParams)
}

// crashedCreation leaves what a creation killed after making its database
// leaves: a 'creating' record named name whose lease was last renewed
// leaseAge ago, and a half-made database file (a table but no owner). With
// recorded false the crash came before the location was recorded. It
// returns the file's path.
func crashedCreation(t *testing.T, s *Tenants, id, name string, leaseAge time.Duration, recorded bool) string {
	t.Helper()
	ctx := context.Background()
	at := time.Now().Add(-leaseAge)
	path, err := s.provider.Create(ctx, id, "local")
	if err != nil {
		t.Fatal(err)
	}
	tn := &app.Tenant{ID: id, Name: name, Region: "local", Status: tenantCreating, CreatedAt: at, LastActiveAt: at}
	if recorded {
		tn.Location = path
	}
	if err := s.control.insertTenant(ctx, tn); err != nil {
		t.Fatal(err)
	}
	db, err := openDB(fileDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE half_made (x)"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// fileGone fails the test unless the database at path and its companions
// are gone.
func fileGone(t *testing.T, path string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: still there (%v)", filepath.Base(path+suffix), err)
		}
	}
}

func TestSignUpTakesOverAnAbandonedCreation(t *testing.T) {
	ctx := context.Background()
	for _, recorded := range []bool{true, false} {
		s := newStack(t, t.TempDir())
		old := crashedCreation(t, s, "t_crashed", "acme", 2*creationLease, recorded)
		tn, u, err := s.CreateTenant(ctx, input("acme"))
		if err != nil {
			t.Fatalf("location recorded %v: sign-up for an abandoned name: %v", recorded, err)
		}
		if tn.ID == "t_crashed" || tn.Status != app.TenantActive || u.Email != "owner@example.com" {
			t.Errorf("created %+v, owner %+v", tn, u)
		}
		fileGone(t, old)
		if found, err := s.FindTenantByName(ctx, "acme"); err != nil || found.ID != tn.ID {
			t.Errorf("FindTenantByName = %+v, %v", found, err)
		}
		if n := recordCount(t, s.control); n != 1 {
			t.Errorf("%d records, want 1", n)
		}
	}
}

func TestSignUpLeavesAYoungCreationAlone(t *testing.T) {
	ctx := context.Background()
	s := newStack(t, t.TempDir())
	path := crashedCreation(t, s, "t_young", "acme", creationLease-10*time.Second, true)
	_, _, err := s.CreateTenant(ctx, input("acme"))
	wantCode(t, err, app.ECONFLICT)
	if app.ErrorMessage(err) != `The name "acme" is already taken.` {
		t.Errorf("message %q", app.ErrorMessage(err))
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the young creation's file: %v", err)
	}
	// Neither may a live tenant, nor one in the trash, be taken over,
	// however old.
	if _, err := s.control.db.Exec("DELETE FROM tenants"); err != nil {
		t.Fatal(err)
	}
	for _, status := range []app.TenantStatus{app.TenantActive, app.TenantDeleted} {
		long := time.Now().Add(-time.Hour)
		if err := s.control.insertTenant(ctx, &app.Tenant{ID: "t_" + string(status), Name: "old-" + string(status),
			Region: "local", Status: status, CreatedAt: long, LastActiveAt: long}); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.CreateTenant(ctx, input("old-"+string(status)))
		wantCode(t, err, app.ECONFLICT)
	}
}

func TestConcurrentTakeOversHaveOneWinner(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// Two processes sharing the data directory: separate control-plane
	// connections, pools and providers.
	a, b := newStack(t, dir), newStack(t, dir)
	names := []string{"acme", "beta", "gamma", "delta", "omega"}
	for i, name := range names {
		crashedCreation(t, a, "t_crashed"+string(rune('a'+i)), name, 2*creationLease, true)
	}
	type result struct {
		id  string
		err string
	}
	results := make(map[string][]result)
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, name := range names {
		for _, s := range []*Tenants{a, b, a, b} {
			wg.Go(func() {
				<-start
				tn, _, err := s.CreateTenant(ctx, input(name))
				mu.Lock()
				defer mu.Unlock()
				var r result
				if tn != nil {
					r.id = tn.ID
				}
				if err != nil {
					r.err = err.Error()
				}
				if err != nil && app.ErrorCode(err) != app.ECONFLICT {
					t.Errorf("%s: %v", name, err)
				}
				results[name] = append(results[name], r)
			})
		}
	}
	close(start)
	wg.Wait()
	for _, name := range names {
		won := 0
		for _, r := range results[name] {
			if r.err == "" {
				won++
			}
		}
		if won != 1 {
			t.Errorf("%s: %d sign-ups succeeded, want exactly 1: %+v", name, won, results[name])
		}
	}
	if n := recordCount(t, a.control); n != len(names) {
		t.Errorf("%d records, want %d", n, len(names))
	}
	if files := dbFiles(t, filepath.Join(dir, "tenants")); len(files) != len(names) {
		t.Errorf("database files %q, want %d", files, len(names))
	}
}

func TestAStalledCreatorLosesItsTakenOverName(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	stalled, other := newStack(t, dir), newStack(t, dir)
	// A creation that has not renewed its lease for two minutes...
	crashedCreation(t, stalled, "t_stalled", "acme", 2*creationLease, true)
	if _, _, err := other.CreateTenant(ctx, input("acme")); err != nil {
		t.Fatal(err)
	}
	// ...wakes up: its next renewal tells it the name is gone.
	leased, stop := stalled.keepLease(ctx, "t_stalled", time.Millisecond)
	defer stop()
	<-leased.Done()
	if !errors.Is(context.Cause(leased), errCreationTakenOver) {
		t.Errorf("cause %v", context.Cause(leased))
	}
	if err := takenOverError(leased, "acme", leased.Err()); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("the stalled creator's error: %v", err)
	}
	// Were it to go on, its record is gone: it cannot be activated.
	if err := stalled.control.activateTenant(ctx, "t_stalled", time.Now(), app.TodoStats{}, 1); err == nil {
		t.Error("the stalled creation was activated")
	}
	if tn, err := stalled.FindTenant(ctx, "acme"); err != nil || tn.ID == "t_stalled" {
		t.Errorf("acme = %+v, %v", tn, err)
	}
}

func TestCreationRenewsItsLease(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := newStack(t, dir)
	crashedCreation(t, s, "t_slow", "acme", 2*creationLease, true)
	done := s.locks.creating.begin("t_slow") // this process runs it
	_, stop := s.keepLease(ctx, "t_slow", time.Millisecond)
	// A creation of this process is never swept, whatever its lease.
	if n, err := s.RemoveAbandoned(ctx, time.Hour); err != nil || n != 0 {
		t.Fatalf("RemoveAbandoned = %d, %v; want 0", n, err)
	}
	_, _, err := s.CreateTenant(ctx, input("acme"))
	wantCode(t, err, app.ECONFLICT)
	for { // the next renewal moves the lease
		ts, err := s.control.abandonedTenants(ctx, time.Now().Add(-creationLease))
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) == 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	stop()
	done()
	// Renewed, it is no longer abandoned, even for another process.
	if n, err := newStack(t, dir).RemoveAbandoned(ctx, time.Hour); err != nil || n != 0 {
		t.Errorf("RemoveAbandoned after renewal = %d, %v; want 0", n, err)
	}
}

func TestRemoveAbandonedGoesByLease(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := newStack(t, dir)
	unrecorded := crashedCreation(t, s, "t_unrecorded", "lost", 2*creationLease, false)
	recorded := crashedCreation(t, s, "t_recorded", "found", 2*creationLease, true)
	young := crashedCreation(t, s, "t_young", "young", creationLease/2, true)
	n, err := s.RemoveAbandoned(ctx, time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("RemoveAbandoned = %d, %v; want 2", n, err)
	}
	fileGone(t, unrecorded)
	fileGone(t, recorded)
	if _, err := os.Stat(young); err != nil {
		t.Errorf("young creation's file: %v", err)
	}
	if c := recordCount(t, s.control); c != 1 {
		t.Errorf("%d records, want the young one", c)
	}
	for _, name := range []string{"lost", "found"} {
		if _, _, err := s.CreateTenant(ctx, input(name)); err != nil {
			t.Errorf("%s after the sweep: %v", name, err)
		}
	}
}
