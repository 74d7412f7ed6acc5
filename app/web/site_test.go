package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHealth(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	for _, host := range []string{"localhost:8080", "acme.localhost:8080", "admin.localhost", "127.0.0.1:9", "evil.example"} {
		r := b.get("http://" + host + "/healthz")
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"status":"ok"`) {
			t.Errorf("%s: /healthz = %d %s", host, r.StatusCode, r.Body)
		}
	}
	env.srv.SetReady(false)
	if r := b.get("http://localhost:8080/healthz"); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("not ready: /healthz = %d", r.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	env := newTestEnv(t)
	r := env.browser().get("http://localhost:8080/")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d", r.StatusCode)
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe sources: %q", csp)
	}
	if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", got)
	}
	if got := r.Header.Get("Referrer-Policy"); got != "same-origin" {
		t.Errorf("Referrer-Policy = %q", got)
	}
	mustContain(t, r.Body, `<meta name="csrf-token" content="`, `form id="signup"`, `form id="find"`)
	mustNotContain(t, r.Body, "<script>", "onclick=", "style=")
}

func TestSignupCreatesTenantAndSignsIn(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("acme", "owner@example.com", "correct horse")
	r := b.get("http://acme.localhost:8080/")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("tenant home: %d", r.StatusCode)
	}
	mustContain(t, r.Body, `class="todoapp"`, `class="new-todo"`, "owner@example.com")
	mustNotContain(t, r.Body, `class="main"`, `class="footer"`)

	// The database file is named by the tenant's id, not by its name.
	files, _ := filepath.Glob(filepath.Join(env.dir, "tenants", "*.db"))
	if len(files) != 1 || strings.Contains(files[0], "acme") {
		t.Errorf("tenant database files = %v; want one, named by id", files)
	}
}

func TestHandoffTokenIsSingleUse(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	r := b.post("http://localhost:8080/signup", url.Values{
		"name": {"acme"}, "email": {"o@example.com"}, "password": {"correct horse"}, "region": {"local"},
	})
	loc := r.Header.Get("Location")
	if r := b.get(loc); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("first use: %d", r.StatusCode)
	}
	other := env.browser()
	r = other.get(loc)
	if r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("second use: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "expired or was already used")
	// A token for acme is refused on another tenant's host too.
	b.signUp("beta", "o@example.com", "correct horse")
	r = b.post("http://localhost:8080/signup", url.Values{
		"name": {"gamma"}, "email": {"o@example.com"}, "password": {"correct horse"}, "region": {"local"},
	})
	stolen := strings.Replace(r.Header.Get("Location"), "gamma.", "beta.", 1)
	if r := other.get(stolen); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("token of gamma on beta: %d", r.StatusCode)
	}
}

func TestSignupRefusesBadInput(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("taken", "o@example.com", "correct horse")
	before := env.tenantCount()
	tests := []struct {
		name, email, password, region string
		status                        int
		message                       string
	}{
		{"ab", "o@example.com", "correct horse", "local", 422, "3 to 30 characters"},
		{strings.Repeat("a", 31), "o@example.com", "correct horse", "local", 422, "3 to 30 characters"},
		{"-abc", "o@example.com", "correct horse", "local", 422, "not starting or ending with a dash"},
		{"abc-", "o@example.com", "correct horse", "local", 422, "not starting or ending with a dash"},
		{"a.b.c", "o@example.com", "correct horse", "local", 422, "lowercase letters"},
		{"../etc", "o@example.com", "correct horse", "local", 422, "lowercase letters"},
		{"a/bc", "o@example.com", "correct horse", "local", 422, "lowercase letters"},
		{"émile", "o@example.com", "correct horse", "local", 422, "lowercase letters"},
		{"my list", "o@example.com", "correct horse", "local", 422, "lowercase letters"},
		{"admin", "o@example.com", "correct horse", "local", 422, "reserved"},
		{"www", "o@example.com", "correct horse", "local", 422, "reserved"},
		{"TAKEN", "o@example.com", "correct horse", "local", 409, "already taken"},
		{"fresh", "not-an-email", "correct horse", "local", 422, "not a valid email"},
		{"fresh", "o@example.com", "short", "local", 422, "at least 8"},
		{"fresh", "o@example.com", strings.Repeat("p", 129), "local", 422, "at most 128"},
		{"fresh", "o@example.com", "correct horse", "mars-1", 422, "region"},
	}
	for _, tt := range tests {
		r := b.post("http://localhost:8080/signup", url.Values{
			"name": {tt.name}, "email": {tt.email}, "password": {tt.password}, "region": {tt.region},
		})
		if r.StatusCode != tt.status {
			t.Errorf("%q/%q: status %d, want %d", tt.name, tt.email, r.StatusCode, tt.status)
		}
		mustContain(t, r.Body, `role="alert"`, tt.message)
		// What the user typed is kept (escaped) for them to correct.
		mustContain(t, r.Body, `value="`+htmlEscape(tt.email)+`"`)
	}
	if got := env.tenantCount(); got != before {
		t.Errorf("tenants after refused sign-ups = %d, want %d", got, before)
	}
	files, _ := os.ReadDir(filepath.Join(env.dir, "tenants"))
	dbs := 0
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".db") {
			dbs++
		}
	}
	if dbs != before {
		t.Errorf("tenant database files = %d, want %d", dbs, before)
	}
}

func TestSignupNormalisesName(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	r := b.post("http://localhost:8080/signup", url.Values{
		"name": {"  MixedCase "}, "email": {"o@example.com"}, "password": {"correct horse"}, "region": {"local"},
	})
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "http://mixedcase.localhost:8080/") {
		t.Errorf("redirect = %q", loc)
	}
}

func TestFindMyList(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("acme", "o@example.com", "correct horse")
	r := b.get("http://localhost:8080/find?name=ACME")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "http://acme.localhost:8080/" {
		t.Errorf("find acme: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	r = b.get("http://localhost:8080/find?name=nobody")
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("find nobody: %d", r.StatusCode)
	}
	// The message is beside the find form, not in the sign-up card.
	mustContain(t, r.Body, `aria-invalid="true" aria-describedby="find-name-error" autofocus>`,
		`<p class="field-error" role="alert" id="find-name-error">There is no list called &#34;nobody&#34;.</p>`, `value="nobody"`)
	mustNotContain(t, r.Body, `<p class="alert"`)
	r = b.get("http://localhost:8080/find?name=" + url.QueryEscape("../x"))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("find ../x: %d", r.StatusCode)
	}
}

func TestHosts(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("acme", "o@example.com", "correct horse")
	tests := []struct {
		url     string
		status  int
		contain string
	}{
		{"http://evil.example/", 404, "nothing at this address"},
		{"http://acme.localhost.evil.example/", 404, "nothing at this address"},
		{"http://a.acme.localhost/", 404, "nothing at this address"},
		{"http://nobody.localhost:8080/", 404, "no TODO list at this address"},
		{"http://admin.localhost:8080/login", 200, `form id="admin-login"`},
		{"http://ACME.LOCALHOST:8080/login", 200, "Sign in"},
		{"http://localhost:8080/nope", 404, "nothing at this address"},
	}
	for _, tt := range tests {
		r := env.browser().get(tt.url)
		if r.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.url, r.StatusCode, tt.status)
		}
		mustContain(t, r.Body, tt.contain)
	}
	// X-Forwarded-Host is ignored without a trusted proxy.
	r := env.browser().get("http://evil.example/", "X-Forwarded-Host", "acme.localhost:8080")
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("X-Forwarded-Host was believed: %d", r.StatusCode)
	}
	// The unknown-tenant page links back to the site.
	r = env.browser().get("http://nobody.localhost:8080/")
	mustContain(t, r.Body, `href="http://localhost:8080/"`)
}

func TestCSRF(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp("acme", "o@example.com", "correct horse")
	form := url.Values{"name": {"other"}, "email": {"o@example.com"}, "password": {"correct horse"}, "region": {"local"}}

	// No token.
	if r := b.do(http.MethodPost, "http://localhost:8080/signup", form); r.StatusCode != http.StatusForbidden {
		t.Errorf("sign-up without token: %d", r.StatusCode)
	}
	// A wrong token.
	form.Set("_csrf", "forged")
	if r := b.do(http.MethodPost, "http://localhost:8080/signup", form); r.StatusCode != http.StatusForbidden {
		t.Errorf("sign-up with forged token: %d", r.StatusCode)
	}
	// A good token from another origin.
	form.Set("_csrf", b.token("http://localhost:8080/"))
	if r := b.do(http.MethodPost, "http://localhost:8080/signup", form, "Origin", "http://evil.example"); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin sign-up: %d", r.StatusCode)
	}
	// A token of the site does not work on a tenant host (own cookie there).
	siteToken := b.token("http://localhost:8080/")
	r := b.do(http.MethodPost, "http://acme.localhost:8080/todos", url.Values{"title": {"x"}, "_csrf": {siteToken}})
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("site token on tenant host: %d", r.StatusCode)
	}
	// htmx sends the token as a header.
	tok := b.token("http://acme.localhost:8080/")
	r = b.do(http.MethodPost, "http://acme.localhost:8080/todos", url.Values{"title": {"via header"}}, "X-CSRF-Token", tok, "HX-Request", "true")
	if r.StatusCode != http.StatusOK {
		t.Errorf("htmx with header token: %d %s", r.StatusCode, r.Body)
	}
	if env.tenantCount() != 1 {
		t.Errorf("a refused request created a tenant")
	}
}

// htmlEscape escapes like html/template does for attribute values.
func htmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;")
	return r.Replace(s)
}
