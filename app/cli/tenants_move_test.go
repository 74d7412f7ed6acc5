package cli

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"todos/app"
)

func TestTenantsMove(t *testing.T) {
	dir := t.TempDir()
	// TODOS_REGION says where a server runs: it never picks a move's target.
	vars := map[string]string{"TODOS_DATA": dir, "TODOS_REGIONS": "ams=Amsterdam,iad=Virginia", "TODOS_REGION": "iad"}
	if code, out, stderr := run(t, []string{"tenants", "create", "acme", "--email", "o@example.com", "--region", "ams"}, "", vars); code != 0 {
		t.Fatalf("create: %d %q %q", code, out, stderr)
	}
	withBackend(t, dir, func(b *backend) {
		ctx := context.Background()
		tn, err := b.tenants.FindTenantByName(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		tdb, err := b.pool.Acquire(ctx, tn)
		if err != nil {
			t.Fatal(err)
		}
		defer tdb.Release()
		if _, _, err := tdb.AddTodo(ctx, "ship it"); err != nil {
			t.Fatal(err)
		}
	})

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"tenants", "move", "acme"}, 2, "--region is required"},
		{[]string{"tenants", "move", "--region", "iad"}, 2, "missing tenant NAME"},
		{[]string{"tenants", "move", "acme", "--region", "mars"}, 1, `Unknown region "mars". Valid regions: ams, iad.`},
		{[]string{"tenants", "move", "acme", "--region", "ams"}, 1, "already in region ams"},
		{[]string{"tenants", "move", "nobody", "--region", "iad"}, 1, "no list"},
	} {
		code, _, stderr := run(t, tc.args, "", vars)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}

	// Not under a running server: its requests could write to the old
	// database while this process copies it.
	marker, err := startRunMarker(dir)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, []string{"tenants", "move", "acme", "--region=iad"}, "", vars)
	if code != 1 || !strings.Contains(stderr, "a server is running on") || !strings.Contains(stderr, "admin app") {
		t.Errorf("move under a running server: %d %q", code, stderr)
	}
	if err := marker.finish(); err != nil {
		t.Fatal(err)
	}

	code, out, stderr := run(t, []string{"tenants", "move", "acme", "--region=iad"}, "", vars)
	if code != 0 {
		t.Fatalf("move: %d %q %q", code, out, stderr)
	}
	for _, want := range []string{"Moved tenant acme from region ams to iad:", "copied and verified", "  todos: 1 rows", "  users: 1 rows"} {
		if !strings.Contains(out, want) {
			t.Errorf("move printed %q; want %q", out, want)
		}
	}
	code, out, _ = run(t, []string{"tenants", "list"}, "", vars)
	if code != 0 || !regexp.MustCompile(`acme\s+iad\s`).MatchString(out) {
		t.Errorf("list after the move: %q", out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "tenants", "*.db"))
	if len(files) != 1 || !strings.Contains(filepath.Base(files[0]), "_m") {
		t.Errorf("database files after the move = %v", files)
	}
	withBackend(t, dir, func(b *backend) {
		ctx := context.Background()
		entries, _, err := b.control.ListAudit(ctx, app.AuditFilter{Action: "move", Limit: 10})
		if err != nil || len(entries) == 0 || entries[0].Outcome != app.AuditOK || entries[0].Actor != "cli" ||
			!strings.Contains(entries[0].Detail, "from ams to iad") {
			t.Fatalf("audit: %v %+v", err, entries)
		}
		if len(entries) < 4 || entries[1].Outcome != app.AuditFailed {
			t.Errorf("refused moves are not audited: %+v", entries)
		}
		tn, err := b.tenants.FindTenantByName(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		tdb, err := b.pool.Acquire(ctx, tn)
		if err != nil {
			t.Fatal(err)
		}
		defer tdb.Release()
		if todos, _, err := tdb.Todos(ctx, app.FilterAll); err != nil || len(todos) != 1 || todos[0].Title != "ship it" {
			t.Errorf("todos after the move = %+v, %v", todos, err)
		}
	})
}

// withBackend runs fn on the storage of data directory dir, offering ams
// and iad, and closes it.
func withBackend(t *testing.T, dir string, fn func(b *backend)) {
	t.Helper()
	b, err := openBackendIn(dir, 1, testAssets(t).Schema, ProviderConfig{},
		[]app.Region{{Code: "ams", Name: "Amsterdam"}, {Code: "iad", Name: "Virginia"}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	fn(b)
}
