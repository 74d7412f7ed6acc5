package cli

import (
	"context"
	"strings"
	"testing"
)

// writeBehindTheAppsBack adds n todos to the database file at path on a
// connection of its own, as the console's write mode does, or as writes
// whose activity a crash lost look to the control plane.
func writeBehindTheAppsBack(t *testing.T, path string, n int) {
	t.Helper()
	db := openWaitingDB(t, path)
	defer db.Close()
	for range n {
		if _, err := db.Exec("INSERT INTO todos (title, completed, created_at, updated_at) VALUES ('x', 0, 0, 0)"); err != nil {
			t.Fatal(err)
		}
	}
}

// tenantLocation returns where tenant name's database is.
func tenantLocation(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := openBackend(dir, 1, testAssets(t).Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	tn, err := b.tenants.FindTenant(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return tn.Location
}

func TestTenantsRecount(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "tenants", "create", "acme", "--email", "o@example.com")
	mustRun(t, dir, "tenants", "create", "beta", "--email", "o@example.com")
	writeBehindTheAppsBack(t, tenantLocation(t, dir, "acme"), 3)
	if out := mustRun(t, dir, "tenants", "list"); !strings.Contains(out, "acme  local   active  0") {
		t.Fatalf("before the recount the control plane should lag:\n%s", out)
	}

	out := mustRun(t, dir, "tenants", "recount")
	if !strings.Contains(out, "acme: 3 todos, 0 completed (was 0, 0)") || !strings.Contains(out, "Recounted 2 tenants: 1 corrected.") {
		t.Errorf("recount output:\n%s", out)
	}
	if out := mustRun(t, dir, "tenants", "list"); !strings.Contains(out, "acme  local   active  3") {
		t.Errorf("after the recount:\n%s", out)
	}
	if out := mustRun(t, dir, "tenants", "recount", "acme"); !strings.Contains(out, "Recounted 1 tenants: 0 corrected.") {
		t.Errorf("recount of a tenant in line:\n%s", out)
	}
	if code, _, stderr := runIn(t, "", dir, "tenants", "recount", "nobody"); code != 1 || !strings.Contains(stderr, "no list") {
		t.Errorf("recount of an unknown tenant: exit %d, %q", code, stderr)
	}
	mustRun(t, dir, "tenants", "delete", "beta")
	if code, _, stderr := runIn(t, "", dir, "tenants", "recount", "beta"); code != 1 || !strings.Contains(stderr, "in the trash") {
		t.Errorf("recount of a tenant in the trash: exit %d, %q", code, stderr)
	}
}
