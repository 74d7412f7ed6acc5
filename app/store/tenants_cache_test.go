package store

import (
	"context"
	"testing"
	"time"

	"todos/app"
)

func TestTenantLookupsAreCached(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	acme := e.createTenant(t, "acme")
	if _, err := e.tenants.FindTenantByName(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	before := controlChanges(t, e.control)
	start := e.tenants.CacheStats()
	for range 100 {
		got, err := e.tenants.FindTenantByName(ctx, "acme")
		if err != nil || got.ID != acme.ID {
			t.Fatalf("FindTenantByName = %+v, %v", got, err)
		}
		got.Name = "changed by a caller" // callers get copies
	}
	if s := e.tenants.CacheStats(); s.Hits-start.Hits != 100 || s.Misses != start.Misses {
		t.Errorf("cache stats %+v -> %+v, want 100 more hits and no miss", start, s)
	}
	if got, _ := e.tenants.FindTenantByName(ctx, "acme"); got.Name != "acme" {
		t.Errorf("a caller's change reached the cache: %q", got.Name)
	}
	if got := controlChanges(t, e.control); got != before {
		t.Errorf("lookups changed %d control-plane rows", got-before)
	}
	// Unknown names are not cached: they cannot fill memory.
	for range 3 {
		_, err := e.tenants.FindTenantByName(ctx, "nobody")
		wantCode(t, err, app.ENOTFOUND)
	}
}

func TestCachedTenantChangesInThisProcess(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	e.createTenant(t, "acme")
	if _, err := e.tenants.FindTenantByName(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if err := e.tenants.SuspendTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if got, err := e.tenants.FindTenantByName(ctx, "acme"); err != nil || got.Status != app.TenantSuspended {
		t.Fatalf("after suspend: %+v, %v; want suspended at once", got, err)
	}
	if err := e.tenants.ResumeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.tenants.FindTenantByName(ctx, "acme"); got.Status != app.TenantActive {
		t.Fatalf("after resume: %+v", got)
	}
	if err := e.tenants.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	_, err := e.tenants.FindTenantByName(ctx, "acme")
	wantCode(t, err, app.ENOTFOUND)
}

func TestCachedTenantChangesInAnotherProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := newTestEnv(t, 4)
	e.createTenant(t, "acme")
	e.createTenant(t, "bravo")
	for _, n := range []string{"acme", "bravo"} {
		if _, err := e.tenants.FindTenantByName(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	go e.control.WatchRouting(ctx, 50*time.Millisecond, func(err error) { t.Error(err) })

	// The CLI: its own control plane and pool on the same files.
	other, err := OpenControl(controlPath(t, e.control))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	otherPool := NewTenantPool(e.provider, tenantMigrations(t), other, 2)
	defer otherPool.Close()
	cli := NewTenants(other, e.provider, otherPool, testParams)

	if err := cli.SuspendTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not seen within a second", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("suspended by another process", func() bool {
		got, err := e.tenants.FindTenantByName(ctx, "acme")
		return err == nil && got.Status == app.TenantSuspended
	})
	if err := cli.DeleteTenant(ctx, "bravo"); err != nil {
		t.Fatal(err)
	}
	waitFor("deleted by another process", func() bool {
		_, err := e.tenants.FindTenantByName(ctx, "bravo")
		return app.ErrorCode(err) == app.ENOTFOUND
	})
}

// controlPath returns the file of c's database.
func controlPath(t testing.TB, c *Control) string {
	t.Helper()
	var path string
	if err := c.db.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path); err != nil {
		t.Fatal(err)
	}
	return path
}
