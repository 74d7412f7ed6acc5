package cli

import (
	"net/http"
	"strings"
	"testing"

	"todos/app/internal/sqldtest"
)

// TestCommandsUseTheServersProvider: with TODOS_PROVIDER=sqld, "todos
// tenants create" makes the tenant's namespace on the libSQL server (not a
// local file), "tenants list" shows it, and a server with the same settings
// serves it; "todos backup", which copies local files, refuses plainly.
func TestCommandsUseTheServersProvider(t *testing.T) {
	srv := sqldtest.Start(t)
	dir := t.TempDir()
	vars := map[string]string{
		"TODOS_DATA": dir, "TODOS_PROVIDER": "sqld",
		"TODOS_SQLD_URL": srv.URL, "TODOS_SQLD_ADMIN_URL": srv.AdminURL,
	}
	code, out, errs := run(t, []string{"tenants", "create", "acme", "--email", "o@example.com"}, "a long enough password\n", vars)
	if code != 0 {
		t.Fatalf("tenants create: %d\n%s%s", code, out, errs)
	}
	if ns := namespacesOf(t, srv.Dir); len(ns) != 1 || !strings.HasPrefix(ns[0], "t_") {
		t.Fatalf("namespaces on the server after create: %q", ns)
	}
	code, out, errs = run(t, []string{"tenants", "list"}, "", vars)
	if code != 0 || !strings.Contains(out, "acme") {
		t.Fatalf("tenants list: %d\n%s%s", code, out, errs)
	}

	sp := startServe(t, dir, "--provider", "sqld", "--sqld-url", srv.URL, "--sqld-admin-url", srv.AdminURL)
	t.Cleanup(func() { sp.stop(t) })
	resp, err := http.Get("http://acme.localhost:" + sp.port + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the server does not serve the tenant the command made: GET /login = %d\n%s", resp.StatusCode, sp.stderr.String())
	}

	code, _, errs = run(t, []string{"backup", "--out", t.TempDir() + "/b"}, "", vars)
	if code != 1 || !strings.Contains(errs, "todos backup copies local files; with --provider sqld") {
		t.Errorf("backup on sqld: %d %q", code, errs)
	}
	// --provider sqld without the server's URLs is refused, not run locally.
	code, _, errs = run(t, []string{"tenants", "list", "--provider", "sqld"}, "", map[string]string{"TODOS_DATA": dir})
	if code == 0 || !strings.Contains(errs, "--sqld-url") {
		t.Errorf("--provider sqld without its URLs: %d %q", code, errs)
	}
}
