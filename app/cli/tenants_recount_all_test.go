package cli

import (
	"os"
	"strings"
	"testing"
)

func TestTenantsRecountAllGoesOnPastAFailure(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"acme", "beta", "gamma"} {
		mustRun(t, dir, "tenants", "create", name, "--email", "o@example.com")
	}
	writeBehindTheAppsBack(t, tenantLocation(t, dir, "acme"), 2)
	writeBehindTheAppsBack(t, tenantLocation(t, dir, "gamma"), 3)
	if err := os.Remove(tenantLocation(t, dir, "beta")); err != nil { // a lost file
		t.Fatal(err)
	}

	code, out, stderr := runIn(t, "", dir, "tenants", "recount")
	if code != 1 || !strings.Contains(stderr, "recount beta") || !strings.Contains(stderr, "1 of 3 tenants could not be recounted") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if !strings.Contains(out, "Recounted 2 tenants: 2 corrected.") {
		t.Errorf("output:\n%s", out)
	}
	list := mustRun(t, dir, "tenants", "list")
	if listedTodos(list, "acme") != "2" || listedTodos(list, "gamma") != "3" {
		t.Errorf("after the recount:\n%s", list)
	}
}

// listedTodos returns the todo count that "todos tenants list" printed for
// the tenant name ("" if not listed).
func listedTodos(list, name string) string {
	for line := range strings.Lines(list) {
		if f := strings.Fields(line); len(f) > 3 && f[0] == name {
			return f[3]
		}
	}
	return ""
}
