package store

import (
	"context"
	"strings"
	"testing"

	"todos/app"
)

// TestSuspendWithReason: the reason is cleaned, kept with the tenant record
// that host lookups read, refused when too long, and forgotten on resume.
func TestSuspendWithReason(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	e.createTenant(t, "acme")

	long := strings.Repeat("é", app.SuspendReasonMaxLength+1)
	err := e.tenants.SuspendTenantWithReason(ctx, "acme", long)
	wantCode(t, err, app.EINVALID)
	wantMessage(t, err, "201 characters")
	if got, _ := e.tenants.FindTenantByName(ctx, "acme"); got.Status != app.TenantActive {
		t.Fatalf("suspended by a refused reason: %+v", got)
	}

	if err := e.tenants.SuspendTenantWithReason(ctx, "acme", "  Unpaid\ninvoice \xff<b>  "); err != nil {
		t.Fatal(err)
	}
	want := "Unpaid invoice \uFFFD<b>"
	got, err := e.tenants.FindTenantByName(ctx, "acme")
	if err != nil || got.Status != app.TenantSuspended || got.SuspendReason != want {
		t.Fatalf("suspended = %+v, %v; want reason %q", got, err, want)
	}
	if got, err := e.tenants.FindTenant(ctx, "acme"); err != nil || got.SuspendReason != want {
		t.Fatalf("admin lookup = %+v, %v", got, err)
	}
	if err := e.tenants.ResumeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.tenants.FindTenant(ctx, "acme"); got.Status != app.TenantActive || got.SuspendReason != "" {
		t.Fatalf("resumed = %+v", got)
	}
	// At the limit, and without a reason.
	if err := e.tenants.SuspendTenantWithReason(ctx, "acme", long[2:]); err != nil {
		t.Fatal(err)
	}
	if err := e.tenants.ResumeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if err := e.tenants.SuspendTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.tenants.FindTenantByName(ctx, "acme"); got.SuspendReason != "" {
		t.Fatalf("suspended without a reason = %+v", got)
	}
	// Deleted while suspended, then restored: active, no reason left.
	if err := e.tenants.ResumeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if err := e.tenants.SuspendTenantWithReason(ctx, "acme", "Abuse"); err != nil {
		t.Fatal(err)
	}
	if err := e.tenants.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if got, err := e.tenants.RestoreTenant(ctx, "acme"); err != nil || got.Status != app.TenantActive || got.SuspendReason != "" {
		t.Fatalf("restored = %+v, %v", got, err)
	}
}
