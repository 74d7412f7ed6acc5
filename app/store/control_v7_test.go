package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"testing"

	"todos/app"
	"todos/app/internal/sqldtest"
)

// seedVersion6 migrates db to control-plane version 6 and records a
// suspended tenant "acme" in it, as a server of that version left it.
func seedVersion6(t *testing.T, db *sql.DB) {
	t.Helper()
	ctx := context.Background()
	ms, err := ParseMigrations(controlSchema)
	if err != nil {
		t.Fatal(err)
	}
	if from, to, err := Migrate(ctx, db, ms[:6]); err != nil || from != 0 || to != 6 {
		t.Fatalf("Migrate to 6 = %d→%d, %v", from, to, err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO tenants (id, name, region, location, status, created_at, last_active_at)
		VALUES ('t_acme', 'acme', 'local', '/x.db', 'suspended', 1, 1)`); err != nil {
		t.Fatal(err)
	}
}

// checkVersion7 checks that c, opened on a version 6 control plane seeded
// by seedVersion6, was migrated to 7: the tenant suspended before has no
// reason, and a reason given now is kept with the record until resumed.
func checkVersion7(t *testing.T, c *Control, version func() int) {
	t.Helper()
	ctx := context.Background()
	if v := version(); v != 7 {
		t.Fatalf("user_version = %d, want 7", v)
	}
	got, err := c.TenantByName(ctx, "acme")
	if err != nil || got.Status != app.TenantSuspended || got.SuspendReason != "" {
		t.Fatalf("tenant from version 6 = %+v, %v", got, err)
	}
	if ok, err := c.switchStatus(ctx, "acme", app.TenantSuspended, app.TenantActive, "ignored"); !ok || err != nil {
		t.Fatalf("resume = %v, %v", ok, err)
	}
	if ok, err := c.switchStatus(ctx, "acme", app.TenantActive, app.TenantSuspended, "Unpaid invoice"); !ok || err != nil {
		t.Fatalf("suspend = %v, %v", ok, err)
	}
	if got, err := c.TenantByName(ctx, "acme"); err != nil || got.SuspendReason != "Unpaid invoice" {
		t.Fatalf("suspended with a reason = %+v, %v", got, err)
	}
	if ok, err := c.switchStatus(ctx, "acme", app.TenantSuspended, app.TenantActive, "ignored"); !ok || err != nil {
		t.Fatalf("resume = %v, %v", ok, err)
	}
	if got, err := c.TenantByName(ctx, "acme"); err != nil || got.Status != app.TenantActive || got.SuspendReason != "" {
		t.Fatalf("resumed = %+v, %v", got, err)
	}
}

// TestControlMigratesVersion6Local: a local control.db left at version 6
// gets the suspension reason column on open.
func TestControlMigratesVersion6Local(t *testing.T) {
	path := filepath.Join(t.TempDir(), "control.db")
	db, err := openDB(fileDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	seedVersion6(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	c, err := OpenControl(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	checkVersion7(t, c, func() int { return userVersion(t, c.db) })
}

// TestControlMigratesVersion6Remote: a remote primary left at version 6 is
// migrated by the first server that opens it, through an embedded replica,
// and the CLI's direct connection then finds it current.
func TestControlMigratesVersion6Remote(t *testing.T) {
	srv := sqldtest.Start(t)
	srv.CreateNamespace("control")
	replica := func(direct bool) Replica {
		return Replica{URL: srv.NamespaceURL("control"), Direct: direct,
			Guard: func(inner driver.Connector) driver.Connector { return inner }}
	}
	primary, err := openPrimary(replica(true))
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close()
	seedVersion6(t, primary)

	c, err := OpenControl(filepath.Join(t.TempDir(), "control.db"), WithReplica(replica(false)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	checkVersion7(t, c, func() int { return userVersion(t, primary) })

	direct, err := OpenControl(filepath.Join(t.TempDir(), "control.db"), WithReplica(replica(true)))
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if got, err := direct.TenantByName(context.Background(), "acme"); err != nil || got.Status != app.TenantActive || got.SuspendReason != "" {
		t.Fatalf("through a direct connection = %+v, %v", got, err)
	}
}
