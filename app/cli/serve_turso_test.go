package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

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
	if code == 0 || !strings.Contains(stderr, "flag provided but not defined: -turso-api-token") {
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

	jar, _ := cookiejar.New(nil)
	c := &sqldClient{t: t, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	site := "http://localhost:" + sp.port
	status, link, body := c.do(http.MethodPost, site+"/signup", url.Values{
		"_csrf": {c.csrf(site + "/")}, "name": {"acme"}, "email": {"o@example.com"},
		"password": {"a long enough password"}, "region": {"local"},
	})
	if status != http.StatusSeeOther {
		t.Fatalf("sign-up: %d\n%.800s\n%s", status, body, sp.stderr.String())
	}
	if status, to, _ := c.do(http.MethodGet, link, nil); status != http.StatusSeeOther || to != "/" {
		t.Fatalf("hand-off: %d to %q", status, to)
	}
	list := "http://acme.localhost:" + sp.port
	if status, _, body := c.do(http.MethodPost, list+"/todos", url.Values{
		"_csrf": {c.csrf(list + "/")}, "title": {"stored on turso"},
	}); status != http.StatusSeeOther {
		t.Fatalf("add: %d\n%.800s", status, body)
	}
	if _, _, page := c.do(http.MethodGet, list+"/", nil); !strings.Contains(page, "stored on turso") {
		t.Fatalf("the todo is not on the list page:\n%.2000s", page)
	}
	if f.TokensIssued() == 0 {
		t.Error("no database token was asked for")
	}
	if strings.Contains(sp.stderr.String(), f.Token) {
		t.Errorf("the API token is in the log:\n%s", sp.stderr.String())
	}
}

// startServeEnv is startServe with environment variables.
func startServeEnv(t *testing.T, dir string, vars map[string]string, args ...string) *servedProcess {
	t.Helper()
	pr, pw := io.Pipe()
	sp := &servedProcess{stderr: &syncBuffer{}, done: make(chan int, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	sp.cancel = cancel
	go func() {
		sp.done <- Run(ctx, Env{
			Args:  append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, args...),
			Stdin: strings.NewReader(""), Stdout: pw, Stderr: sp.stderr,
			Getenv: func(k string) string { return vars[k] }, Assets: testAssets(t),
		})
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := regexp.MustCompile(`Site:\s+http://localhost:(\d+)/`).FindStringSubmatch(sc.Text()); m != nil {
			sp.port = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if sp.port == "" {
		t.Fatalf("no site URL printed; stderr: %s", sp.stderr.String())
	}
	return sp
}
