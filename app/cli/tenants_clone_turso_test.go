package cli

import (
	"context"
	"strings"
	"testing"

	"todos/app"
	"todos/app/internal/tursofake"
)

// TestCloneOnTurso: "todos tenants clone" with --provider turso branches
// the source's database on Turso (one seeded create at the fake, no file
// copy), and is audited as a clone on any provider is.
func TestCloneOnTurso(t *testing.T) {
	f := tursofake.Start(t, "acme", "local")
	dir := t.TempDir()
	vars := map[string]string{"TODOS_DATA": dir, "TODOS_PROVIDER": "turso", "TODOS_TURSO_ORG": "acme",
		"TODOS_TURSO_API_URL": f.URL, "TODOS_TURSO_API_TOKEN": f.Token}
	if code, out, errs := run(t, []string{"tenants", "create", "shop", "--email", "o@example.com"}, "a long enough password\n", vars); code != 0 {
		t.Fatalf("tenants create: %d\n%s%s", code, out, errs)
	}
	code, out, errs := run(t, []string{"tenants", "clone", "shop", "shopcopy"}, "", vars)
	if code != 0 || !strings.Contains(out, "Cloned shop into shopcopy (0 todos)") {
		t.Fatalf("tenants clone: %d\n%s%s", code, out, errs)
	}
	if n := f.Branches(); n != 1 {
		t.Errorf("%d branches at Turso, want 1", n)
	}
	if dbs := f.Databases(); len(dbs) != 2 {
		t.Errorf("databases at Turso: %q", dbs)
	}
	// A refused clone (the name is taken) is audited too, and branches nothing.
	if code, _, _ := run(t, []string{"tenants", "clone", "shop", "shopcopy"}, "", vars); code == 0 {
		t.Error("a clone onto a taken name succeeded")
	}
	if n := f.Branches(); n != 1 {
		t.Errorf("%d branches after a refused clone, want 1", n)
	}

	b, err := openBackend(dir, 1, testAssets(t).Schema) // the control plane only
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	entries, _, err := b.control.ListAudit(context.Background(), app.AuditFilter{Actor: "cli", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Action == "clone" {
			seen[e.Outcome] = true
		}
	}
	if !seen["ok"] || !seen["failed"] {
		t.Errorf("clone audit entries: %+v", entries)
	}
}
