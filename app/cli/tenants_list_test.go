package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// listedTenant is one element of "todos tenants list --json", as a script
// reads it.
type listedTenant struct {
	Name          string     `json:"name"`
	ID            string     `json:"id"`
	Region        string     `json:"region"`
	Status        string     `json:"status"`
	Todos         *int       `json:"todos"`
	Completed     *int       `json:"completed"`
	CreatedAt     time.Time  `json:"created_at"`
	LastActiveAt  time.Time  `json:"last_active_at"`
	DeletedAt     *time.Time `json:"deleted_at"`
	PurgeAfter    *time.Time `json:"purge_after"`
	SuspendReason string     `json:"suspend_reason"`
}

// listJSON runs "todos tenants list" with args and parses its JSON.
func listJSON(t *testing.T, dir string, args ...string) []listedTenant {
	t.Helper()
	out := mustRun(t, dir, append([]string{"tenants", "list", "--json"}, args...)...)
	var ts []listedTenant
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ts); err != nil {
		t.Fatalf("tenants list --json %v: %v\n%s", args, err, out)
	}
	if ts == nil {
		t.Fatalf("tenants list --json %v: null, want an array:\n%s", args, out)
	}
	return ts
}

// TestTenantsListJSONAndTrash: --json prints the live tenants (or with
// --trash those in the trash, with when they are purged) as a JSON array,
// [] when there are none; --trash alone prints the trash as a table.
func TestTenantsListJSONAndTrash(t *testing.T) {
	dir := t.TempDir()
	if ts := listJSON(t, dir); len(ts) != 0 {
		t.Errorf("empty data directory: %v", ts)
	}
	if ts := listJSON(t, dir, "--trash"); len(ts) != 0 {
		t.Errorf("empty trash: %v", ts)
	}
	before := time.Now().Add(-time.Second)
	for _, name := range []string{"acme", "beta", "gone"} {
		mustRun(t, dir, "tenants", "create", name, "--email", "o@example.com")
	}
	mustRun(t, dir, "tenants", "suspend", "beta", "--reason", "unpaid invoice")
	mustRun(t, dir, "tenants", "delete", "gone")

	ts := listJSON(t, dir)
	if len(ts) != 2 || ts[0].Name != "acme" || ts[1].Name != "beta" {
		t.Fatalf("live tenants: %+v", ts)
	}
	a := ts[0]
	if !strings.HasPrefix(a.ID, "t_") || a.Region != "local" || a.Status != "active" || a.Todos == nil || *a.Todos != 0 ||
		a.Completed == nil || a.CreatedAt.Before(before) || a.LastActiveAt.IsZero() || a.DeletedAt != nil || a.PurgeAfter != nil {
		t.Errorf("acme: %+v", a)
	}
	if ts[1].Status != "suspended" || ts[1].SuspendReason != "unpaid invoice" || a.SuspendReason != "" {
		t.Errorf("beta: %+v", ts[1])
	}

	trash := listJSON(t, dir, "--trash", "--trash-retention", "2d")
	if len(trash) != 1 || trash[0].Name != "gone" || trash[0].Status != "deleted" || trash[0].DeletedAt == nil || trash[0].PurgeAfter == nil {
		t.Fatalf("trash: %+v", trash)
	}
	if d := trash[0].PurgeAfter.Sub(*trash[0].DeletedAt); d != 48*time.Hour {
		t.Errorf("purge_after - deleted_at = %v, want 48h (--trash-retention 2d)", d)
	}
	if trash[0].DeletedAt.Before(before) {
		t.Errorf("deleted_at %v before the test", trash[0].DeletedAt)
	}

	out := mustRun(t, dir, "tenants", "list", "--trash")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "PURGE AFTER") || !strings.HasPrefix(lines[1], "gone ") ||
		!strings.Contains(lines[1], trash[0].DeletedAt.Add(7*day).Format(time.RFC3339)) {
		t.Errorf("trash table (default retention 7d):\n%s", out)
	}
	// The retention comes from the server's variable too.
	code, out, _ := run(t, []string{"tenants", "list", "--trash", "--json"}, "", map[string]string{"TODOS_DATA": dir, "TODOS_TRASH_RETENTION": "1d"})
	var viaEnv []listedTenant
	if err := json.Unmarshal([]byte(out), &viaEnv); code != 0 || err != nil || len(viaEnv) != 1 ||
		viaEnv[0].PurgeAfter.Sub(*viaEnv[0].DeletedAt) != day {
		t.Errorf("TODOS_TRASH_RETENTION=1d: %d %v %q", code, err, out)
	}
	if out := mustRun(t, dir, "tenants", "list"); strings.Contains(out, "gone") || !strings.Contains(out, "beta") {
		t.Errorf("live table: %q", out)
	}
}
