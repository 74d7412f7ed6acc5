package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// reconcileReport is the output of "todos tenants reconcile --json", as a
// script reads it.
type reconcileReport struct {
	Checked      int    `json:"checked"`
	Unchecked    int    `json:"unchecked"`
	UncheckedWhy string `json:"unchecked_error"`
	Listed       bool   `json:"listed"`
	Differences  []struct {
		Kind        string `json:"kind"`
		Location    string `json:"location"`
		TenantID    string `json:"tenant_id"`
		Tenant      string `json:"tenant"`
		Status      string `json:"status"`
		Description string `json:"description"`
		Fixed       bool   `json:"fixed"`
		Error       string `json:"error"`
	} `json:"differences"`
}

// TestTenantsReconcileJSON: --json prints the report as one JSON object,
// with and without --fix, and exits as the text report does.
func TestTenantsReconcileJSON(t *testing.T) {
	dir := t.TempDir()
	parse := func(out string) reconcileReport {
		t.Helper()
		var r reconcileReport
		dec := json.NewDecoder(strings.NewReader(out))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		return r
	}
	r := parse(mustRun(t, dir, "tenants", "reconcile", "--json"))
	if r.Checked != 0 || !r.Listed || r.Differences == nil || len(r.Differences) != 0 {
		t.Errorf("empty: %+v", r)
	}
	mustRun(t, dir, "tenants", "create", "acme", "--email", "o@example.com")
	mustRun(t, dir, "tenants", "create", "gamma", "--email", "o@example.com")
	gamma := tenantFile(t, dir, "gamma")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(gamma + suffix)
	}
	code, out, _ := runIn(t, "", dir, "tenants", "reconcile", "--json")
	r = parse(out)
	if code != 1 || r.Checked != 2 || len(r.Differences) != 1 {
		t.Fatalf("drift: exit %d, %+v", code, r)
	}
	d := r.Differences[0]
	if d.Kind != "missing" || d.Tenant != "gamma" || d.Status != "active" || d.Location != gamma || d.Fixed ||
		!strings.Contains(d.Description, "does not exist") {
		t.Errorf("difference: %+v", d)
	}
	r = parse(mustRun(t, dir, "tenants", "reconcile", "--fix", "--json"))
	if len(r.Differences) != 1 || !r.Differences[0].Fixed || r.Differences[0].Error != "" {
		t.Errorf("fixed: %+v", r)
	}
}
