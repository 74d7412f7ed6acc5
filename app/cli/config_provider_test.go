package cli

import (
	"os"
	"strings"
	"testing"
	"time"

	"todos/app/internal/sqldtest"
)

func TestProviderFlagsAndEnv(t *testing.T) {
	cfg, err := parseServe(t, nil, nil)
	if err != nil || cfg.Provider.Kind != providerLocal {
		t.Fatalf("default: %+v %v", cfg.Provider, err)
	}
	cfg, err = parseServe(t, nil, map[string]string{
		"TODOS_PROVIDER": "sqld", "TODOS_SQLD_URL": "http://localhost:8081", "TODOS_SQLD_ADMIN_URL": "http://127.0.0.1:9091",
	})
	if err != nil || cfg.Provider != (ProviderConfig{Kind: "sqld", SqldURL: "http://localhost:8081", SqldAdminURL: "http://127.0.0.1:9091",
		Control: ControlConfig{SyncInterval: defaultControlSync}}) {
		t.Fatalf("from env: %+v %v", cfg.Provider, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--provider", "mars"}, "invalid --provider"},
		{[]string{"--provider", "turso"}, "needs --turso-org"},
		{[]string{"--provider", "sqld"}, "needs --sqld-url and --sqld-admin-url"},
		{[]string{"--sqld-url", "http://localhost:8081"}, "need --provider sqld"},
		{[]string{"--sqld-auth-key", "k.pem"}, "need --provider sqld"},
		{[]string{"--control-auth-token", "tok"}, "--control-auth-token needs --control-url"},
		{[]string{"--control-url", "control.localhost:8081"}, "invalid --control-url"},
		{[]string{"--control-url", "ftp://control.localhost"}, "invalid --control-url"},
		{[]string{"--control-url", "http://control.localhost:8081?authToken=secret"}, "invalid --control-url \"http://control.localhost:8081\""},
		{[]string{"--control-url", "http://control.localhost:8081", "--control-sync-interval", "1ms"}, "invalid --control-sync-interval"},
	} {
		if _, err := parseServe(t, c.args, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	cfg, err = parseServe(t, nil, map[string]string{
		"TODOS_PROVIDER": "sqld", "TODOS_SQLD_URL": "http://localhost:8081", "TODOS_SQLD_ADMIN_URL": "http://127.0.0.1:9091",
		"TODOS_SQLD_AUTH_KEY": "/etc/todos/sqld.pem",
	})
	if err != nil || cfg.Provider.SqldAuthKey != "/etc/todos/sqld.pem" {
		t.Fatalf("auth key from env: %+v %v", cfg.Provider, err)
	}
	cfg, err = parseServe(t, nil, map[string]string{
		"TODOS_CONTROL_URL": "libsql://control-acme.turso.io", "TODOS_CONTROL_AUTH_TOKEN": "tok", "TODOS_CONTROL_SYNC_INTERVAL": "2s",
	})
	if err != nil || cfg.Provider.Control != (ControlConfig{URL: "libsql://control-acme.turso.io", AuthToken: "tok", SyncInterval: 2 * time.Second}) {
		t.Fatalf("control plane from env: %+v %v", cfg.Provider.Control, err)
	}
	// A malformed URL is refused when the server starts, before it listens.
	dir := t.TempDir()
	code, _, stderr := run(t, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--provider", "sqld",
		"--sqld-url", "localhost:8081", "--sqld-admin-url", "http://127.0.0.1:9091"}, "", nil)
	if code == 0 || !strings.Contains(stderr, "invalid --sqld-url") {
		t.Errorf("bad URL: exit %d: %s", code, stderr)
	}
}

// TestSqldAuthKey runs the product on a sqld that checks tokens: with
// --sqld-auth-key the sign-up, the list and a server restart work as
// without auth, and no token reaches the log; a key file others may read
// is refused before the server listens, as ssh refuses one.
func TestSqldAuthKey(t *testing.T) {
	srv := sqldtest.StartWithAuth(t)
	sp := serveOnSqld(t, srv, "--sqld-auth-key", srv.AuthKeyFile)
	// Every token starts with the encoded header {"alg":"EdDSA","typ":"JWT"}.
	if log := sp.stderr.String(); strings.Contains(log, "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9") {
		t.Errorf("a token is in the log:\n%s", log)
	}

	if err := os.Chmod(srv.AuthKeyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, []string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--provider", "sqld",
		"--sqld-url", srv.URL, "--sqld-admin-url", srv.AdminURL, "--sqld-auth-key", srv.AuthKeyFile}, "", nil)
	if code == 0 || !strings.Contains(stderr, "accessible by others") {
		t.Errorf("key file mode 0644: exit %d: %s", code, stderr)
	}
}
