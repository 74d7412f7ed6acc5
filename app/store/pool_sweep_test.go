package store

import (
	"context"
	"path/filepath"
	"testing"

	"todos/app"
)

// A second process (the CLI) trashes a tenant this process holds open: the
// sweep closes this process's handle, and leaves the others open.
func TestEvictGone(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	provider := LocalProvider{Dir: filepath.Join(dir, "tenants")}
	// process opens what one process of todos opens on dir.
	process := func() (*Control, *TenantPool, *Tenants) {
		c, err := OpenControl(filepath.Join(dir, "control.db"), WithPasswordParams(testParams))
		if err != nil {
			t.Fatal(err)
		}
		pool := NewTenantPool(provider, tenantMigrations(t), c, 8)
		t.Cleanup(func() { pool.Close(); c.Close() })
		return c, pool, NewTenants(c, provider, pool, testParams)
	}
	serverControl, serverPool, server := process()
	_, _, cli := process()

	env := &testEnv{dir: dir, control: serverControl, pool: serverPool, tenants: server}
	keep := env.createTenant(t, "keep")
	gone := env.createTenant(t, "gone")
	for _, tn := range []*app.Tenant{keep, gone} {
		tdb, err := serverPool.Acquire(ctx, tn)
		if err != nil {
			t.Fatal(err)
		}
		tdb.Release()
	}

	if err := cli.DeleteTenant(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	n, err := server.EvictGone(ctx)
	if err != nil || n != 1 {
		t.Fatalf("EvictGone = %d, %v; want 1", n, err)
	}
	if ids := serverPool.OpenTenantIDs(); len(ids) != 1 || ids[0] != keep.ID {
		t.Errorf("open after the sweep = %v, want only %s", ids, keep.ID)
	}
	// Restored by the CLI, the tenant opens again here, whole.
	if _, err := cli.RestoreTenant(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	tn, err := serverControl.TenantByID(ctx, gone.ID)
	if err != nil {
		t.Fatal(err)
	}
	tdb, err := serverPool.Acquire(ctx, tn)
	if err != nil {
		t.Fatalf("reopen after restore: %v", err)
	}
	if _, err := tdb.UserByEmail(ctx, "owner@example.com"); err != nil {
		t.Errorf("owner after restore: %v", err)
	}
	tdb.Release()
}
