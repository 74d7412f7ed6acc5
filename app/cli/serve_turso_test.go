package cli

import (
	"strings"
	"testing"

	"todos/app/internal/tursofake"
)

// TestTursoConfig: --provider turso takes --turso-org and
// --turso-api-url (or their variables) and its API token from the
// environment only.
func TestTursoConfig(t *testing.T) {
	vars := map[string]string{"TODOS_PROVIDER": "turso", "TODOS_TURSO_ORG": "acme",
		"TODOS_TURSO_API_URL": "http://127.0.0.1:9", "TODOS_TURSO_API_TOKEN": "secret-token"}
	cfg, err := parseServe(t, nil, vars)
	if err != nil || cfg.Provider.Turso != (TursoConfig{Org: "acme", APIURL: "http://127.0.0.1:9", APIToken: "secret-token"}) {
		t.Fatalf("from env: %v %v", cfg.Provider.Turso, err)
	}
	for _, c := range []struct {
		args []string
		vars map[string]string
		want string
	}{
		{[]string{"--provider", "turso"}, nil, "needs --turso-org"},
		{[]string{"--provider", "turso", "--turso-org", "acme"}, nil, "needs TODOS_TURSO_API_TOKEN"},
	} {
		if _, err := parseServe(t, c.args, c.vars); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	// There is no token flag.
	code, _, stderr := run(t, []string{"serve", "--provider", "turso", "--turso-org", "acme", "--turso-api-token", "x"}, "", nil)
	if code == 0 || !strings.Contains(stderr, "flag provided but not defined: --turso-api-token") {
		t.Errorf("token flag: exit %d: %s", code, stderr)
	}
}

// TestServeOnTurso runs "todos serve --provider turso" against the fake
// Platform API (its data plane a real sqld): a sign-up creates the
// tenant's database there, a todo added in the list is read back from
// it, and the API token is in no log line.
func TestServeOnTurso(t *testing.T) {
	f := tursofake.Start(t, "acme", "local")
	sp := startServeEnv(t, t.TempDir(), map[string]string{"TODOS_TURSO_API_TOKEN": f.Token},
		"--shutdown-timeout", "5s", "--provider", "turso", "--turso-org", "acme", "--turso-api-url", f.URL)
	t.Cleanup(func() { sp.stop(t) })

	signUpAndAdd(t, sp, "stored on turso")
	if f.TokensIssued() == 0 {
		t.Error("no database token was asked for")
	}
	if strings.Contains(sp.stderr.String(), f.Token) {
		t.Errorf("the API token is in the log:\n%s", sp.stderr.String())
	}
}
