package cli

import (
	"strings"
	"testing"
)

func TestProviderFlagsAndEnv(t *testing.T) {
	cfg, err := parseServe(t, nil, nil)
	if err != nil || cfg.Provider.Kind != providerLocal {
		t.Fatalf("default: %+v %v", cfg.Provider, err)
	}
	cfg, err = parseServe(t, nil, map[string]string{
		"TODOS_PROVIDER": "sqld", "TODOS_SQLD_URL": "http://localhost:8081", "TODOS_SQLD_ADMIN_URL": "http://127.0.0.1:9091",
	})
	if err != nil || cfg.Provider != (ProviderConfig{Kind: "sqld", SqldURL: "http://localhost:8081", SqldAdminURL: "http://127.0.0.1:9091"}) {
		t.Fatalf("from env: %+v %v", cfg.Provider, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--provider", "mars"}, "invalid --provider"},
		{[]string{"--provider", "turso"}, "not available yet"},
		{[]string{"--provider", "sqld"}, "needs --sqld-url and --sqld-admin-url"},
		{[]string{"--sqld-url", "http://localhost:8081"}, "need --provider sqld"},
		{[]string{"--provider", "sqld", "--sqld-url", "http://localhost:8081", "--sqld-admin-url", "http://127.0.0.1:9091", "--sqld-auth-key", "k.pem"}, "not supported yet"},
	} {
		if _, err := parseServe(t, c.args, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	// A malformed URL is refused when the server starts, before it listens.
	dir := t.TempDir()
	code, _, stderr := run(t, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--provider", "sqld",
		"--sqld-url", "localhost:8081", "--sqld-admin-url", "http://127.0.0.1:9091"}, "", nil)
	if code == 0 || !strings.Contains(stderr, "invalid --sqld-url") {
		t.Errorf("bad URL: exit %d: %s", code, stderr)
	}
}
