package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"todos/app"
)

func TestOpenControlTwiceKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "control.db")
	c, err := OpenControl(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := c.insertTenant(ctx, &app.Tenant{ID: "t_1", Name: "acme", Region: "local", Location: "/x/t_1.db",
		Status: app.TenantActive, CreatedAt: now, LastActiveAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = OpenControl(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.TenantByName(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
}

func TestControlTenantRecords(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	now := time.UnixMilli(1_700_000_000_123)
	// A date-like name: go-libsql would turn TEXT "2024-01-02" into a time.
	names := []string{"zeta", "2024-01-02", "acme"}
	for i, name := range names {
		status := app.TenantActive
		if name == "zeta" {
			status = tenantCreating
		}
		err := c.insertTenant(ctx, &app.Tenant{ID: "t_" + name, Name: name, Region: "local",
			Location: "/data/t_" + name + ".db", Status: status, CreatedAt: now.Add(time.Duration(i) * time.Hour), LastActiveAt: now})
		if err != nil {
			t.Fatal(err)
		}
	}
	err := c.insertTenant(ctx, &app.Tenant{ID: "t_other", Name: "acme", Region: "local", Status: app.TenantActive})
	wantCode(t, err, app.ECONFLICT)
	if app.ErrorMessage(err) != `The name "acme" is already taken.` {
		t.Errorf("message = %q", app.ErrorMessage(err))
	}

	got, err := c.TenantByName(ctx, "2024-01-02")
	if err != nil {
		t.Fatal(err)
	}
	want := app.Tenant{ID: "t_2024-01-02", Name: "2024-01-02", Region: "local", Location: "/data/t_2024-01-02.db",
		Status: app.TenantActive, CreatedAt: now.Add(time.Hour).UTC(), LastActiveAt: now.UTC()}
	if *got != want {
		t.Errorf("TenantByName =\n %+v, want\n %+v", *got, want)
	}
	if _, err := c.TenantByID(ctx, "t_acme"); err != nil {
		t.Error(err)
	}
	_, err = c.TenantByName(ctx, "zeta") // still 'creating': invisible
	wantCode(t, err, app.ENOTFOUND)
	_, err = c.TenantByID(ctx, "t_zeta")
	wantCode(t, err, app.ENOTFOUND)

	list, err := c.ListTenants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "2024-01-02" || list[1].Name != "acme" {
		t.Errorf("ListTenants = %+v", list)
	}
	abandoned, err := c.abandonedTenants(ctx, now.Add(time.Minute))
	if err != nil || len(abandoned) != 1 || abandoned[0].Name != "zeta" {
		t.Errorf("abandonedTenants = %+v, %v", abandoned, err)
	}

	at := now.Add(2 * time.Hour)
	if err := recordWrite(ctx, c, "t_acme", app.TodoStats{Total: 7, Completed: 3}, at); err != nil {
		t.Fatal(err)
	}
	if err := recordWrite(ctx, c, "t_gone", app.TodoStats{Total: 1}, at); err != nil {
		t.Errorf("RecordActivity of unknown tenant: %v", err)
	}
	got, _ = c.TenantByID(ctx, "t_acme")
	if got.TodoCount != 7 || got.CompletedCount != 3 || !got.LastActiveAt.Equal(at) {
		t.Errorf("after RecordActivity: %+v", got)
	}

	if err := c.deleteTenantRecord(ctx, "t_acme"); err != nil {
		t.Fatal(err)
	}
	_, err = c.TenantByName(ctx, "acme")
	wantCode(t, err, app.ENOTFOUND)
}

func TestControlMigratesVersion1Data(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "control.db")
	ms, err := ParseMigrations(controlSchema)
	if err != nil {
		t.Fatal(err)
	}
	db, err := openDB(fileDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Migrate(ctx, db, ms[:1]); err != nil {
		t.Fatal(err)
	}
	for i, status := range []string{"active", "active", "suspended", "creating"} {
		if _, err := db.Exec(`INSERT INTO tenants (id, name, region, location, status, created_at, last_active_at)
			VALUES (?, ?, 'local', '/x.db', ?, 1, 1)`, fmt.Sprintf("t_%d", i), fmt.Sprintf("list-%d", i), status); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	c, err := OpenControl(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	page, err := c.QueryTenants(ctx, app.TenantQuery{})
	if err != nil || page.Total != 3 || len(page.Tenants) != 3 {
		t.Fatalf("QueryTenants after the upgrade = %d of %d, %v", len(page.Tenants), page.Total, err)
	}
	if tn := page.Tenants[0]; tn.SchemaVersion != 0 || !tn.DeletedAt.IsZero() {
		t.Errorf("upgraded tenant %+v", tn)
	}
	if v, err := c.TenantsVersion(ctx); err != nil || v != "0.4" {
		t.Errorf("TenantsVersion = %q, %v; want 0.4", v, err)
	}
	if page, _ := c.QueryTenants(ctx, app.TenantQuery{Status: app.TenantSuspended}); page.Total != 1 {
		t.Errorf("%d suspended", page.Total)
	}
}
