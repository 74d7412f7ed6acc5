package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"todos/app"
)

// runIn runs a command with a given schema against data directory dir.
func runIn(t *testing.T, schema, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	assets := testAssets(t)
	if schema != "" {
		assets.Schema = schema
	}
	code := Run(context.Background(), Env{
		Args: args, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string {
			if k == "TODOS_DATA" {
				return dir
			}
			return ""
		},
		Assets: assets,
	})
	return code, out.String(), errb.String()
}

// mustRun fails the test unless the command exits 0.
func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	code, out, stderr := runIn(t, "", dir, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s%s", args, code, out, stderr)
	}
	return out
}

func TestAdminCreate(t *testing.T) {
	dir := t.TempDir()
	out := mustRun(t, dir, "admin", "create", "boss@example.com")
	if !strings.Contains(out, "Created admin boss@example.com") || !strings.Contains(out, "Password (shown once): ") {
		t.Errorf("admin create: %q", out)
	}
	if code, _, stderr := runIn(t, "", dir, "admin", "create", "boss@example.com"); code != 1 || stderr == "" {
		t.Errorf("duplicate admin: %d %q", code, stderr)
	}
	if code, _, stderr := runIn(t, "", dir, "admin", "create", "not-an-email"); code != 1 || !strings.Contains(stderr, "not a valid email") {
		t.Errorf("bad email: %d %q", code, stderr)
	}
	if code, _, _ := runIn(t, "", dir, "admin"); code != 2 {
		t.Errorf("admin without subcommand: %d", code)
	}
}

func TestTenantLifecycleCommands(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "tenants", "create", "acme", "--email", "o@example.com")
	b, err := openBackend(dir, 2, testAssets(t).Schema)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	acme, _ := b.tenants.FindTenantByName(ctx, "acme")
	list, err := b.pool.OpenList(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"one", "two", "three"} {
		if _, _, err := list.AddTodo(ctx, title); err != nil {
			t.Fatal(err)
		}
	}
	list.Release()
	b.Close()

	mustRun(t, dir, "tenants", "suspend", "acme")
	if code, _, stderr := runIn(t, "", dir, "tenants", "suspend", "nobody"); code != 1 || stderr == "" {
		t.Errorf("suspend unknown: %d %q", code, stderr)
	}
	mustRun(t, dir, "tenants", "resume", "acme")

	out := mustRun(t, dir, "tenants", "clone", "acme", "acme-copy")
	if !strings.Contains(out, "Cloned acme into acme-copy (3 todos)") {
		t.Errorf("clone: %q", out)
	}
	export := filepath.Join(t.TempDir(), "acme.db")
	mustRun(t, dir, "tenants", "export", "acme", export)
	if b, err := os.ReadFile(export); err != nil || !strings.HasPrefix(string(b), "SQLite format 3\x00") {
		t.Fatalf("export is not a SQLite file: %v", err)
	}
	if out := mustRun(t, dir, "tenants", "import", "acme-imported", export); !strings.Contains(out, "(3 todos)") {
		t.Errorf("import: %q", out)
	}
	garbage := filepath.Join(t.TempDir(), "garbage.db")
	os.WriteFile(garbage, []byte("this is not a database"), 0o600)
	if code, _, stderr := runIn(t, "", dir, "tenants", "import", "junk", garbage); code != 1 || stderr == "" {
		t.Errorf("import garbage: %d %q", code, stderr)
	}

	mustRun(t, dir, "tenants", "delete", "acme")
	if out := mustRun(t, dir, "tenants", "list"); strings.Contains(out, "acme ") {
		t.Errorf("deleted tenant still listed: %q", out)
	}
	mustRun(t, dir, "tenants", "restore", "acme")
	mustRun(t, dir, "tenants", "delete", "acme")
	mustRun(t, dir, "tenants", "purge", "acme")
	if code, _, _ := runIn(t, "", dir, "tenants", "restore", "acme"); code != 1 {
		t.Errorf("restore after purge: %d", code)
	}

	// Every action is in the audit log, attributed to the CLI.
	b, err = openBackend(dir, 1, testAssets(t).Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	entries, _, err := b.control.ListAudit(ctx, app.AuditFilter{Actor: "cli", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action+"/"+e.Outcome] = true
	}
	for _, want := range []string{"create/ok", "suspend/ok", "suspend/failed", "resume/ok", "clone/ok", "export/ok", "import/ok", "import/failed", "delete/ok", "restore/ok", "purge/ok", "restore/failed"} {
		if !seen[want] {
			t.Errorf("audit lacks %s; has %v", want, seen)
		}
	}
}

func TestMigrateAllTenants(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"alpha", "bravo", "charlie"} {
		mustRun(t, dir, "tenants", "create", name, "--email", "o@example.com")
	}
	// bravo has duplicate titles, which the next migration forbids.
	b, err := openBackend(dir, 2, testAssets(t).Schema)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	next := b.latestVersion() + 1 // the version of the migration below
	bravo, _ := b.tenants.FindTenantByName(ctx, "bravo")
	list, _ := b.pool.OpenList(ctx, bravo)
	list.AddTodo(ctx, "same")
	dup, _, _ := list.AddTodo(ctx, "same")
	list.Release()
	b.Close()

	newer := testAssets(t).Schema + fmt.Sprintf("\n-- version: %d\nCREATE UNIQUE INDEX todos_title_unique ON todos (title);\n", next)
	code, out, stderr := runIn(t, newer, dir, "migrate", "--dry-run")
	if code != 0 || !strings.Contains(out, "3 with pending migrations") {
		t.Fatalf("dry run: %d %q %q", code, out, stderr)
	}
	code, out, stderr = runIn(t, newer, dir, "migrate", "--concurrency", "2")
	if code != 1 || !strings.Contains(out, fmt.Sprintf("2 migrated to version %d", next)) || !strings.Contains(stderr, "bravo") {
		t.Fatalf("migrate with one failure: %d %q %q", code, out, stderr)
	}
	// Fix bravo's data and run again: it resumes with bravo alone.
	b, _ = openBackend(dir, 2, testAssets(t).Schema)
	list, err = b.pool.OpenList(ctx, bravo)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := list.DeleteTodo(ctx, dup.ID); err != nil {
		t.Fatal(err)
	}
	list.Release()
	b.Close()
	code, out, stderr = runIn(t, newer, dir, "migrate")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("1 migrated to version %d, 2 already up to date, 0 failed", next)) {
		t.Fatalf("second run: %d %q %q", code, out, stderr)
	}
	b, _ = openBackend(dir, 2, newer)
	defer b.Close()
	ts, _ := b.tenants.ListTenants(ctx)
	for _, tn := range ts {
		if tn.SchemaVersion != next {
			t.Errorf("%s: schema version %d in the control plane, want %d", tn.Name, tn.SchemaVersion, next)
		}
	}
}
