package cli

import (
	"context"
	"strings"
	"testing"

	"todos/app"
)

// suspendedWith opens the data directory and returns tenant acme's status
// and suspension reason, and the detail of the newest suspend audit entry.
func suspendedWith(t *testing.T, dir string) (app.TenantStatus, string, string) {
	t.Helper()
	b, err := openBackend(dir, 1, testAssets(t).Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	tn, err := b.tenants.FindTenant(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	entries, _, err := b.control.ListAudit(ctx, app.AuditFilter{Action: "suspend", Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatalf("no suspend audit entry: %v", err)
	}
	return tn.Status, tn.SuspendReason, entries[0].Detail
}

// TestTenantsSuspendReason: `todos tenants suspend NAME --reason TEXT`
// keeps the reason (shown to the list's users) and audits it; the flag may
// come before the name; without it no reason is kept; one too long is
// refused; resume forgets it.
func TestTenantsSuspendReason(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "tenants", "create", "acme", "--email", "o@example.com")

	out := mustRun(t, dir, "tenants", "suspend", "acme", "--reason", "  Unpaid invoice, call us ")
	if want := "Suspended tenant acme. Its users see the reason: Unpaid invoice, call us\n"; out != want {
		t.Errorf("suspend output %q, want %q", out, want)
	}
	if status, reason, detail := suspendedWith(t, dir); status != app.TenantSuspended || reason != "Unpaid invoice, call us" || detail != reason {
		t.Errorf("after suspend --reason: %s %q, audit %q", status, reason, detail)
	}
	mustRun(t, dir, "tenants", "resume", "acme")
	if status, reason, _ := suspendedWith(t, dir); status != app.TenantActive || reason != "" {
		t.Errorf("after resume: %s %q", status, reason)
	}

	mustRun(t, dir, "tenants", "suspend", "--reason=Maintenance", "acme")
	if _, reason, _ := suspendedWith(t, dir); reason != "Maintenance" {
		t.Errorf("--reason before the name: %q", reason)
	}
	mustRun(t, dir, "tenants", "resume", "acme")

	if out := mustRun(t, dir, "tenants", "suspend", "acme"); out != "Suspended tenant acme.\n" {
		t.Errorf("suspend without a reason: %q", out)
	}
	if _, reason, _ := suspendedWith(t, dir); reason != "" {
		t.Errorf("suspended without a reason, got %q", reason)
	}
	mustRun(t, dir, "tenants", "resume", "acme")

	code, _, stderr := runIn(t, "", dir, "tenants", "suspend", "acme", "--reason", strings.Repeat("x", 201))
	if code != 1 || !strings.Contains(stderr, "201 characters long: keep it to 200") {
		t.Errorf("too long a reason: exit %d, %q", code, stderr)
	}
	if status, _, _ := suspendedWith(t, dir); status != app.TenantActive {
		t.Errorf("suspended by a refused reason: %s", status)
	}

	if out := mustRun(t, dir, "help", "tenants"); !strings.Contains(out, "todos tenants suspend NAME [--reason TEXT]") {
		t.Errorf("help lacks --reason:\n%s", out)
	}
}
