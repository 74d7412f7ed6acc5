package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"todos/app"
	"todos/app/store"
)

// testEnv is a real server on real files in a temporary directory.
type testEnv struct {
	t       testing.TB
	srv     *Server
	tenants *store.Tenants
	pool    *store.TenantPool
	control *store.Control
	dir     string
}

// fastPasswords keeps tests quick; production uses app.DefaultPasswordParams.
var fastPasswords = app.PasswordParams{Time: 1, Memory: 1024, Threads: 1}

// newTestEnv starts a server with the embedded-equivalent views and assets.
func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	return newTestEnvIn(t, t.TempDir(), mustReadSchema(t))
}

// newTestEnvWith starts a server whose configuration configure changes.
func newTestEnvWith(t testing.TB, configure func(*Config)) *testEnv {
	t.Helper()
	return newTestEnvConfigured(t, t.TempDir(), mustReadSchema(t), configure)
}

// mustReadSchema returns the tenant schema, schema.sql.
func mustReadSchema(t testing.TB) string {
	t.Helper()
	schema, err := os.ReadFile("../../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	return string(schema)
}

// newTestEnvIn starts a server on the data directory dir (which may hold
// an earlier env's data) with the given tenant schema.
func newTestEnvIn(t testing.TB, dir, schema string) *testEnv {
	t.Helper()
	return newTestEnvConfigured(t, dir, schema, nil)
}

// newTestEnvConfigured is newTestEnvIn with a configuration that configure
// (when not nil) changes.
func newTestEnvConfigured(t testing.TB, dir, schema string, configure func(*Config)) *testEnv {
	t.Helper()
	skipIfLocalOnly(t)
	migrations, err := store.ParseMigrations(schema)
	if err != nil {
		t.Fatal(err)
	}
	control, err := store.OpenControl(filepath.Join(dir, "control.db"), store.WithPasswordParams(fastPasswords))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "tenants"), 0o700); err != nil {
		t.Fatal(err)
	}
	provider := newTestProvider(t, dir)
	pool := store.NewTenantPool(provider, migrations, control, 8)
	tenants := store.NewTenants(control, provider, pool, fastPasswords)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	cfg := Config{Domain: "localhost", Keys: DeriveKeys([]byte("test secret test secret test sec"))}
	if configure != nil {
		configure(&cfg)
	}
	srv := NewServer(cfg,
		Services{
			Tenants:           tenants,
			Lists:             pool,
			Handoffs:          control,
			AdminSessionStore: control.SessionStore(),
			Ping:              control.Ping,
			PoolCounters:      func() PoolCounters { return PoolCounters(pool.Stats()) },
			Admins:            control,
			TenantAdmin:       tenants,
			Audit:             control,
			ConsoleHistory:    control,
			Activity:          control,
			Console:           newTestConsole(t, provider),
		}, os.DirFS("../../views"), os.DirFS("../../static"), logger)
	srv.SetReady(true)
	t.Cleanup(func() {
		pool.Close()
		control.Close()
	})
	return &testEnv{t: t, srv: srv, tenants: tenants, pool: pool, control: control, dir: dir}
}

// browser is a client with a host-only cookie jar, like a browser's.
type browser struct {
	env  *testEnv
	jar  map[string]map[string]string // host -> name -> value
	hdrs map[string]string            // extra headers on every request
	peer string                       // the client's address; "" is App.Test's 0.0.0.0
}

func (e *testEnv) browser() *browser {
	return &browser{env: e, jar: map[string]map[string]string{}, hdrs: map[string]string{}}
}

// response is what a request returned, body read.
type response struct {
	*http.Response
	Body string
}

// do sends a request to rawURL (its host is the Host header) with an
// optional urlencoded form.
func (b *browser) do(method, rawURL string, form url.Values, headers ...string) *response {
	b.env.t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		b.env.t.Fatal(err)
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, u.RequestURI(), body)
	req.Host = u.Host
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.hdrs {
		req.Header.Set(k, v)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.send(req)
}

// send sends a request with the cookies of its host and keeps the cookies
// the response sets.
func (b *browser) send(req *http.Request) *response {
	b.env.t.Helper()
	host := strings.ToLower(req.Host)
	for name, value := range b.jar[host] {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	var resp *http.Response
	var err error
	if b.peer != "" {
		resp, err = serveFrom(b.env.srv, b.peer, req)
	} else {
		resp, err = b.env.srv.App().Test(req, -1)
	}
	if err != nil {
		b.env.t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if b.jar[host] == nil {
			b.jar[host] = map[string]string{}
		}
		if c.MaxAge < 0 || c.Value == "" || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.jar[host], c.Name)
		} else {
			b.jar[host][c.Name] = c.Value
		}
	}
	return &response{Response: resp, Body: string(data)}
}

func (b *browser) get(rawURL string, headers ...string) *response {
	return b.do(http.MethodGet, rawURL, nil, headers...)
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`)

// token loads a page of the host of rawURL and returns its CSRF token.
func (b *browser) token(rawURL string) string {
	b.env.t.Helper()
	u, _ := url.Parse(rawURL)
	page := "http://" + u.Host + "/"
	r := b.get(page)
	if r.StatusCode == http.StatusSeeOther {
		page = "http://" + u.Host + r.Header.Get("Location")
		r = b.get(page)
	}
	m := csrfMeta.FindStringSubmatch(r.Body)
	if m == nil {
		b.env.t.Fatalf("no csrf token on %s (status %d)", page, r.StatusCode)
	}
	return m[1]
}

// post sends a form with a valid CSRF token.
func (b *browser) post(rawURL string, form url.Values, headers ...string) *response {
	b.env.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", b.token(rawURL))
	return b.do(http.MethodPost, rawURL, form, headers...)
}

// signUp creates a tenant through the site and follows the handoff, leaving
// the browser signed in on the tenant's host.
func (b *browser) signUp(name, email, password string) {
	b.env.t.Helper()
	r := b.post("http://localhost:8080/signup", url.Values{
		"name": {name}, "email": {email}, "password": {password}, "region": {"local"},
	})
	if r.StatusCode != http.StatusSeeOther {
		b.env.t.Fatalf("sign-up %s: status %d: %s", name, r.StatusCode, r.Body)
	}
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, "http://"+name+".localhost:8080/auth/handoff?token=") {
		b.env.t.Fatalf("sign-up redirect = %q", loc)
	}
	r = b.get(loc)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		b.env.t.Fatalf("handoff: status %d location %q body %s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
}

// flushActivity writes the tenants' pending activity (counters, last write,
// hourly writes) to the control plane, as the server does every few seconds.
func (e *testEnv) flushActivity() {
	e.t.Helper()
	if _, err := e.pool.Activity().Flush(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// tenantCount returns how many tenants the control plane lists.
func (e *testEnv) tenantCount() int {
	e.t.Helper()
	ts, err := e.tenants.ListTenants(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return len(ts)
}

// mustContain fails unless body contains every want.
func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body does not contain %q:\n%s", w, clipBody(body))
		}
	}
}

// mustNotContain fails if body contains any of wants.
func mustNotContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if strings.Contains(body, w) {
			t.Errorf("body contains %q:\n%s", w, clipBody(body))
		}
	}
}

func clipBody(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}
