package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// migrateOutput is the output of "todos migrate --json", as a script reads it.
type migrateOutput struct {
	DryRun  bool `json:"dry_run"`
	Latest  int  `json:"latest"`
	Tenants []struct {
		Name   string `json:"name"`
		From   int    `json:"from"`
		To     int    `json:"to"`
		Status string `json:"status"`
		Error  string `json:"error"`
	} `json:"tenants"`
}

// TestMigrateJSON: --json prints one JSON object with each tenant's result,
// by name (a dry run's pending tenants, a failure with its reason, tenants
// already current), and nothing else on stdout.
func TestMigrateJSON(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"bravo", "alpha"} {
		mustRun(t, dir, "tenants", "create", name, "--email", "o@example.com")
	}
	b, err := openBackend(dir, 2, testAssets(t).Schema)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	latest := b.latestVersion()
	bravo, _ := b.tenants.FindTenantByName(ctx, "bravo")
	list, err := b.pool.OpenList(ctx, bravo)
	if err != nil {
		t.Fatal(err)
	}
	list.AddTodo(ctx, "same")
	list.AddTodo(ctx, "same")
	list.Release()
	b.Close()
	newer := testAssets(t).Schema + fmt.Sprintf("\n-- version: %d\nCREATE UNIQUE INDEX todos_title_unique ON todos (title);\n", latest+1)
	parse := func(out string) migrateOutput {
		t.Helper()
		var m migrateOutput
		dec := json.NewDecoder(strings.NewReader(out))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if dec.More() {
			t.Fatalf("more than one JSON value:\n%s", out)
		}
		return m
	}

	code, out, stderr := runIn(t, newer, dir, "migrate", "--dry-run", "--json")
	m := parse(out)
	if code != 0 || !m.DryRun || m.Latest != latest+1 || len(m.Tenants) != 2 || m.Tenants[0].Name != "alpha" || m.Tenants[1].Name != "bravo" {
		t.Fatalf("dry run: %d %+v %q", code, m, stderr)
	}
	for _, r := range m.Tenants {
		if r.Status != "pending" || r.From != latest || r.To != latest+1 {
			t.Errorf("dry run, %s: %+v", r.Name, r)
		}
	}

	code, out, stderr = runIn(t, newer, dir, "migrate", "--json")
	m = parse(out)
	if code != 1 || m.DryRun || len(m.Tenants) != 2 || !strings.Contains(stderr, "bravo") {
		t.Fatalf("migrate: %d %+v %q", code, m, stderr)
	}
	if a := m.Tenants[0]; a.Name != "alpha" || a.Status != "migrated" || a.From != latest || a.To != latest+1 || a.Error != "" {
		t.Errorf("alpha: %+v", a)
	}
	if b := m.Tenants[1]; b.Name != "bravo" || b.Status != "failed" || b.Error == "" {
		t.Errorf("bravo: %+v", b)
	}

	code, out, _ = runIn(t, newer, dir, "migrate", "--dry-run", "--json")
	m = parse(out)
	if code != 0 || m.Tenants[0].Status != "current" || m.Tenants[0].From != latest+1 || m.Tenants[0].To != latest+1 || m.Tenants[1].Status != "pending" {
		t.Errorf("after: %d %+v", code, m)
	}
}
