package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"todos/app/internal/sqldtest"
	"todos/app/internal/tursofake"
)

// TestTenantsReconcile: on local files, reconcile reports a database no
// tenant points to (a failed compensation), the leftover of a move, and a
// tenant whose database is gone, exits 1, and with --fix removes the first
// two and moves the third to the trash; the tenants in step are untouched.
func TestTenantsReconcile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"acme", "beta", "gamma"} {
		mustRun(t, dir, "tenants", "create", name, "--email", "o@example.com")
	}
	if out := mustRun(t, dir, "tenants", "reconcile"); !strings.Contains(out, "3 tenant records checked, 0 differences") {
		t.Fatalf("in step: %q", out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "tenants", "t_*.db"))
	if len(files) != 3 {
		t.Fatalf("database files: %v", files)
	}
	// gamma's database disappears; a stray database and a move's leftover
	// appear.
	gamma := tenantFile(t, dir, "gamma")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(gamma + suffix)
	}
	stray := filepath.Join(dir, "tenants", "t_0123456789abcdef0123456789abcdef.db")
	leftover := strings.TrimSuffix(tenantFile(t, dir, "acme"), ".db") + "_m0123abcd.db"
	for _, f := range []string{stray, leftover} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ := runIn(t, "", dir, "tenants", "reconcile")
	for _, want := range []string{
		"tenant gamma (active): its database " + gamma + " does not exist",
		"database " + stray + ": no tenant record",
		"database " + leftover + ": tenant acme points to another database",
		"3 tenant records checked, 3 differences", "--fix",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d with drift, want 1", code)
	}
	out = mustRun(t, dir, "tenants", "reconcile", "--fix")
	if strings.Count(out, ": removed") != 2 || !strings.Contains(out, "gamma") || !strings.Contains(out, "moved to the trash") {
		t.Errorf("fix:\n%s", out)
	}
	for _, f := range []string{stray, leftover} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s still there", f)
		}
	}
	if _, err := os.Stat(tenantFile(t, dir, "acme")); err != nil {
		t.Errorf("acme's own database: %v", err)
	}
	if out := mustRun(t, dir, "tenants", "list"); strings.Contains(out, "gamma") || !strings.Contains(out, "acme") || !strings.Contains(out, "beta") {
		t.Errorf("list after fix: %q", out)
	}
	if out := mustRun(t, dir, "tenants", "reconcile"); !strings.Contains(out, "0 differences") {
		t.Errorf("after fix: %q", out)
	}
}

// TestTenantsReconcileOnSqld: a tenant whose namespace was deleted behind
// the app's back is found; the report says that a libSQL server cannot
// list its namespaces, so strays are not looked for.
func TestTenantsReconcileOnSqld(t *testing.T) {
	srv := sqldtest.Start(t)
	dir := t.TempDir()
	args := []string{"--provider", "sqld", "--sqld-url", srv.URL, "--sqld-admin-url", srv.AdminURL}
	mustRun(t, dir, append([]string{"tenants", "create", "acme", "--email", "o@example.com"}, args...)...)
	mustRun(t, dir, append([]string{"tenants", "create", "beta", "--email", "o@example.com"}, args...)...)
	ns := namespacesOf(t, srv.Dir)
	req, _ := http.NewRequest(http.MethodDelete, srv.AdminURL+"/v1/namespaces/"+ns[0], nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	code, out, _ := runIn(t, "", dir, append([]string{"tenants", "reconcile"}, args...)...)
	if code != 1 || !strings.Contains(out, "does not exist") || !strings.Contains(out, "2 tenant records checked, 1 differences") ||
		!strings.Contains(out, "cannot list its databases") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// tenantFile returns the path of tenant name's database file in dir.
func tenantFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := openBackend(dir, 1, testAssets(t).Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	tn, err := b.tenants.FindTenantByNameIncludingTrash(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return tn.Location
}

// TestTenantsReconcileOnTurso: through the Platform API (the fake), a
// database named after no tenant is found and removed with --fix, and the
// control plane's own database in the organisation is left alone.
func TestTenantsReconcileOnTurso(t *testing.T) {
	f := tursofake.Start(t, "acme-org", "local")
	dir := t.TempDir()
	vars := map[string]string{"TODOS_DATA": dir, "TODOS_TURSO_API_TOKEN": f.Token}
	args := []string{"--provider", "turso", "--turso-org", "acme-org", "--turso-api-url", f.URL}
	if code, out, stderr := run(t, append([]string{"tenants", "create", "acme", "--email", "o@example.com"}, args...), "", vars); code != 0 {
		t.Fatalf("create: %d %s %s", code, out, stderr)
	}
	for _, name := range []string{"t-0123456789abcdef0123456789abcdef", "control"} {
		req, _ := http.NewRequest(http.MethodPost, f.URL+"/v1/organizations/acme-org/databases",
			strings.NewReader(`{"name":"`+name+`","group":"local"}`))
		req.Header.Set("Authorization", "Bearer "+f.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("create %s at the fake: %s", name, resp.Status)
		}
	}
	code, out, _ := run(t, append([]string{"tenants", "reconcile"}, args...), "", vars)
	if code != 1 || !strings.Contains(out, "turso:t-0123456789abcdef0123456789abcdef: no tenant record") ||
		strings.Contains(out, "control") || !strings.Contains(out, "1 tenant records checked, 1 differences") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if code, out, _ := run(t, append([]string{"tenants", "reconcile", "--fix"}, args...), "", vars); code != 0 || !strings.Contains(out, "removed") {
		t.Fatalf("fix: exit %d:\n%s", code, out)
	}
	if f.Has("t-0123456789abcdef0123456789abcdef") || !f.Has("control") {
		t.Error("--fix removed the wrong databases")
	}
}
