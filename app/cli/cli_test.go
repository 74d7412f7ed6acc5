package cli

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// testAssets reads the real views, static files and schema from the repo.
func testAssets(t *testing.T) Assets {
	t.Helper()
	schema, err := os.ReadFile("../../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	return Assets{Views: os.DirFS("../../views"), Static: os.DirFS("../../static"), Schema: string(schema)}
}

// syncBuffer is a goroutine-safe output buffer.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run runs the command with args, stdin and environment variables.
func run(t *testing.T, args []string, stdin string, vars map[string]string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb syncBuffer
	code = Run(context.Background(), Env{
		Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return vars[k] }, Assets: testAssets(t),
	})
	return code, out.String(), errb.String()
}

func TestVersionAndHelp(t *testing.T) {
	if code, out, _ := run(t, []string{"version"}, "", nil); code != 0 || !strings.HasPrefix(out, "todos ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, out, _ := run(t, []string{"help"}, "", nil); code != 0 || !strings.Contains(out, "todos serve") {
		t.Errorf("help: %d %q", code, out)
	}
}

func TestBadFlagsAndValues(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		vars map[string]string
		want string
	}{
		{[]string{"nope"}, nil, `unknown command "nope"`},
		{[]string{"serve", "--bogus"}, nil, "flag provided but not defined"},
		{[]string{"serve", "--pool-size", "0", "--data", dir}, nil, "invalid --pool-size"},
		{[]string{"serve", "--pool-size", "many"}, nil, "invalid value"},
		{[]string{"serve", "--addr", "nonsense", "--data", dir}, nil, "invalid --addr"},
		{[]string{"serve", "--domain", "http://x", "--data", dir}, nil, "invalid --domain"},
		{[]string{"serve", "--log-format", "xml", "--data", dir}, nil, "invalid --log-format"},
		{[]string{"serve", "--trusted-proxies", "not-an-ip", "--data", dir}, nil, "invalid --trusted-proxies"},
		{[]string{"serve", "--data", dir}, map[string]string{"TODOS_POOL_SIZE": "-3"}, "invalid --pool-size"},
		{[]string{"serve", "--data", dir}, map[string]string{"TODOS_SHUTDOWN_TIMEOUT": "soon"}, "TODOS_SHUTDOWN_TIMEOUT"},
		{[]string{"serve", "extra"}, nil, `unexpected argument "extra"`},
		{[]string{"tenants"}, nil, "missing subcommand"},
		{[]string{"tenants", "create", "--data", dir}, nil, "missing tenant NAME"},
		{[]string{"tenants", "create", "acme", "--data", dir}, nil, "--email is required"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, tt.args, "", tt.vars)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestTenantsCommands(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"TODOS_DATA": dir}
	code, out, stderr := run(t, []string{"tenants", "create", "acme", "--email", "o@example.com"}, "", vars)
	if code != 0 || !strings.Contains(out, "Created tenant acme") {
		t.Fatalf("create: %d %q %q", code, out, stderr)
	}
	m := regexp.MustCompile(`Owner password \(shown once\): (\S+)`).FindStringSubmatch(out)
	if m == nil || len(m[1]) < 16 {
		t.Errorf("generated password not printed: %q", out)
	}
	code, out, stderr = run(t, []string{"tenants", "create", "--data", dir, "--email", "b@example.com", "beta"}, "a chosen password\n", nil)
	if code != 0 || strings.Contains(out, "shown once") {
		t.Fatalf("create with stdin password: %d %q %q", code, out, stderr)
	}
	if code, _, stderr = run(t, []string{"tenants", "create", "acme", "--email", "o@example.com"}, "", vars); code != 1 || !strings.Contains(stderr, "already taken") {
		t.Errorf("duplicate: %d %q", code, stderr)
	}
	if code, _, stderr = run(t, []string{"tenants", "create", "bad.name", "--email", "o@example.com"}, "", vars); code != 1 || !strings.Contains(stderr, "not a valid name") {
		t.Errorf("bad name: %d %q", code, stderr)
	}
	if code, _, stderr = run(t, []string{"tenants", "create", "gamma", "--email", "o@example.com"}, "short\n", vars); code != 1 || !strings.Contains(stderr, "at least 8") {
		t.Errorf("short password: %d %q", code, stderr)
	}
	code, out, _ = run(t, []string{"tenants", "list"}, "", vars)
	if code != 0 || !strings.Contains(out, "acme") || !strings.Contains(out, "beta") || strings.Contains(out, "gamma") {
		t.Errorf("list: %d %q", code, out)
	}
	if code, out, _ = run(t, []string{"tenants", "delete", "acme"}, "", vars); code != 0 || !strings.Contains(out, "Deleted tenant acme") {
		t.Errorf("delete: %d %q", code, out)
	}
	if code, _, stderr = run(t, []string{"tenants", "delete", "acme"}, "", vars); code != 1 || stderr == "" {
		t.Errorf("delete again: %d %q", code, stderr)
	}
	code, out, _ = run(t, []string{"tenants", "list"}, "", vars)
	if strings.Contains(out, "acme") || !strings.Contains(out, "beta") {
		t.Errorf("list after delete: %q", out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "tenants", "*.db"))
	if len(files) != 1 {
		t.Errorf("database files after delete = %v", files)
	}
}

func TestServeStartsAndStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	// startServe waits for the site URL, with the chosen port, to be printed.
	sp := startServe(t, dir, "--shutdown-timeout", "5s")
	resp, err := http.Get("http://127.0.0.1:" + sp.port + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"ok"`) {
		t.Errorf("healthz: %d %s", resp.StatusCode, body)
	}
	// The secret was generated with tight permissions.
	st, err := os.Stat(filepath.Join(dir, secretFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("secret file: %v %v", st, err)
	}
	if code := sp.stop(t); code != 0 {
		t.Errorf("exit code %d; stderr: %s", code, sp.stderr.String())
	}
	if !strings.Contains(sp.stderr.String(), "stopped") {
		t.Errorf("no clean stop logged: %s", sp.stderr.String())
	}
}

func TestSecretIsStableAndGuarded(t *testing.T) {
	dir := t.TempDir()
	a, err := loadOrCreateSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := loadOrCreateSecret(dir)
	if err != nil || string(a) != string(b) {
		t.Fatalf("second load: %v, equal=%v", err, string(a) == string(b))
	}
	if err := os.Chmod(filepath.Join(dir, secretFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadOrCreateSecret(dir); err == nil || !strings.Contains(err.Error(), "readable by other users") {
		t.Errorf("world-readable secret accepted: %v", err)
	}
}
