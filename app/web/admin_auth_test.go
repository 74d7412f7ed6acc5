package web

import (
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"todos/app/store"
)

// adminSessionRoutes lists every admin route that needs a session.
var adminSessionRoutes = []struct{ method, path string }{
	{http.MethodGet, "/"},
	{http.MethodGet, "/?status=deleted"},
	{http.MethodGet, "/events"},
	{http.MethodGet, "/audit"},
	{http.MethodPost, "/logout"},
	{http.MethodPost, "/tenants"},
	{http.MethodPost, "/tenants/import"},
	{http.MethodGet, "/tenants/acme"},
	{http.MethodPost, "/tenants/acme/clone"},
	{http.MethodPost, "/tenants/acme/export"},
	{http.MethodPost, "/tenants/acme/suspend"},
	{http.MethodPost, "/tenants/acme/resume"},
	{http.MethodPost, "/tenants/acme/delete"},
	{http.MethodPost, "/tenants/acme/restore"},
	{http.MethodPost, "/tenants/acme/purge"},
	{http.MethodGet, "/tenants/acme/console"},
	{http.MethodPost, "/tenants/acme/console"},
}

func TestAdminRoutesNeedASession(t *testing.T) {
	env := newTestEnv(t)
	env.createAdmin(testAdminEmail, testAdminPassword)
	env.createTenant("acme")
	b := env.browser()
	tok := b.token(adminURL + "/login")
	for _, rt := range adminSessionRoutes {
		var form url.Values
		if rt.method == http.MethodPost {
			form = url.Values{"_csrf": {tok}, "name": {"acme2"}, "confirm": {"acme"}, "sql": {"DELETE FROM todos"}}
		}
		r := b.do(rt.method, adminURL+rt.path, form)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("anonymous %s %s: %d %q", rt.method, rt.path, r.StatusCode, r.Header.Get("Location"))
		}
		// htmx requests are told to go to the login page.
		r = b.do(rt.method, adminURL+rt.path, form, "HX-Request", "true")
		if r.StatusCode != http.StatusUnauthorized || r.Header.Get("HX-Redirect") != "/login" {
			t.Errorf("anonymous htmx %s %s: %d %q", rt.method, rt.path, r.StatusCode, r.Header.Get("HX-Redirect"))
		}
	}
	if r := b.get(adminURL + "/metrics"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous /metrics: %d", r.StatusCode)
	}
	// Nothing happened to the tenant.
	if tn := env.tenant("acme"); tn == nil || tn.Status != "active" {
		t.Errorf("acme after anonymous actions: %+v", tn)
	}
	if env.tenant("acme2") != nil {
		t.Errorf("anonymous clone created acme2")
	}
}

func TestAdminLoginLogout(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()

	// No admin yet: the login page says how to make one.
	r := b.get(adminURL + "/login")
	mustContain(t, r.Body, `form id="admin-login"`, `name="email"`, `name="password"`, "Sign in", "todos admin create EMAIL")

	env.createAdmin(testAdminEmail, testAdminPassword)
	r = b.get(adminURL + "/login")
	mustNotContain(t, r.Body, "todos admin create")

	r = b.post(adminURL+"/login", url.Values{"email": {testAdminEmail}, "password": {"wrong password"}})
	if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Wrong email or password.", `value="root@example.com"`)
	r = b.post(adminURL+"/login", url.Values{"email": {"nobody@example.com"}, "password": {testAdminPassword}})
	if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("unknown email: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Wrong email or password.")

	b.adminSignIn(" Root@Example.com ", testAdminPassword)
	r = b.get(adminURL + "/")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", r.StatusCode)
	}
	mustContain(t, r.Body, testAdminEmail, `form id="admin-logout"`, "Sign out", `table id="tenants"`,
		`href="/"`, `href="/?status=deleted"`, `href="/audit"`)
	if r := b.get(adminURL + "/login"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Errorf("login page when signed in: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if n := len(env.audits(appAuditFilter("sign-in"))); n != 3 {
		t.Errorf("sign-in audit entries = %d; want 2 failed and 1 ok", n)
	}

	session := b.jar["admin.localhost:8080"][sessionCookie]
	if session == "" {
		t.Fatal("no session cookie on the admin host")
	}
	for host := range b.jar {
		if host != "admin.localhost:8080" && b.jar[host][sessionCookie] != "" {
			t.Errorf("session cookie also on %s", host)
		}
	}
	r = b.post(adminURL+"/logout", nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	mustContain(t, b.get(adminURL+"/login").Body, "You have been signed out.")
	replay := env.browser()
	replay.jar["admin.localhost:8080"] = map[string]string{sessionCookie: session}
	if r := replay.get(adminURL + "/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("replayed admin session after logout: %d", r.StatusCode)
	}
}

func TestAdminSessionCookieIsHostOnly(t *testing.T) {
	env := newTestEnv(t)
	env.createAdmin(testAdminEmail, testAdminPassword)
	b := env.browser()
	tok := b.token(adminURL + "/login")
	r := b.do(http.MethodPost, adminURL+"/login", url.Values{"_csrf": {tok}, "email": {testAdminEmail}, "password": {testAdminPassword}})
	for _, c := range r.Cookies() {
		if c.Name == sessionCookie {
			if c.Domain != "" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie %+v: want host-only, HttpOnly, SameSite=Lax", c)
			}
			return
		}
	}
	t.Fatalf("login set no session cookie: %v", r.Header.Values("Set-Cookie"))
}

func TestTenantSessionNeverReachesAdmin(t *testing.T) {
	env := newTestEnv(t)
	env.createAdmin(testAdminEmail, testAdminPassword)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")

	// The tenant's session, presented on the admin host.
	thief := env.browser()
	thief.jar["admin.localhost:8080"] = maps.Clone(owner.jar["acme.localhost:8080"])
	for _, path := range []string{"/", "/audit", "/tenants/acme", "/tenants/acme/console", "/tenants/acme/export"} {
		r := thief.get(adminURL + path)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("tenant session on admin %s: %d %q", path, r.StatusCode, r.Header.Get("Location"))
		}
	}
	if r := thief.get(adminURL + "/metrics"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("tenant session on /metrics: %d", r.StatusCode)
	}

	// Signing in as admin on top of it renews the token and keeps none of the
	// tenant's keys: the new session is an admin's, the old token is not.
	old := thief.jar["admin.localhost:8080"][sessionCookie]
	thief.adminSignIn(testAdminEmail, testAdminPassword)
	if now := thief.jar["admin.localhost:8080"][sessionCookie]; now == old || now == "" {
		t.Errorf("admin sign-in kept the session token")
	}
	if r := thief.get(adminURL + "/"); r.StatusCode != http.StatusOK {
		t.Errorf("dashboard after admin sign-in: %d", r.StatusCode)
	}
	// The owner's own session still works on their host.
	if r := owner.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusOK {
		t.Errorf("owner after admin sign-in elsewhere: %d", r.StatusCode)
	}
}

func TestAdminSessionNeverReachesTenantData(t *testing.T) {
	env, admin := adminEnv(t)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	if r := owner.post("http://acme.localhost:8080/todos", url.Values{"title": {"acme secret"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", r.StatusCode)
	}

	thief := env.browser()
	thief.jar["acme.localhost:8080"] = maps.Clone(admin.jar["admin.localhost:8080"])
	r := thief.get("http://acme.localhost:8080/")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("admin session on a tenant host: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	mustNotContain(t, r.Body, "acme secret")
	r = thief.get("http://acme.localhost:8080/active", "HX-Request", "true")
	mustNotContain(t, r.Body, "acme secret")
	tok := thief.token("http://acme.localhost:8080/")
	r = thief.do(http.MethodPost, "http://acme.localhost:8080/todos/clear-completed", url.Values{"_csrf": {tok}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("write with the admin session on a tenant host: %d %q", r.StatusCode, r.Header.Get("Location"))
	}

	// Signing in to the tenant with the admin's cookie starts a new tenant
	// session and leaves the admin's session untouched.
	r = thief.post("http://acme.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"correct horse"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login with an admin cookie present: %d", r.StatusCode)
	}
	if thief.jar["acme.localhost:8080"][sessionCookie] == admin.jar["admin.localhost:8080"][sessionCookie] {
		t.Errorf("the tenant session reused the admin's token")
	}
	if r := admin.get("http://admin.localhost:8080/"); r.StatusCode != http.StatusOK {
		t.Errorf("admin session after a tenant login with its cookie: %d", r.StatusCode)
	}
}

func TestAdminPostsNeedCSRF(t *testing.T) {
	env, b := adminEnv(t)
	env.createTenant("acme")
	for _, rt := range adminSessionRoutes {
		if rt.method != http.MethodPost {
			continue
		}
		form := url.Values{"name": {"acme2"}, "confirm": {"acme"}, "sql": {"SELECT 1"}, "email": {"x@example.com"}, "region": {"local"}}
		if r := b.do(http.MethodPost, adminURL+rt.path, form); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s without a token: %d", rt.path, r.StatusCode)
		}
		form.Set("_csrf", "forged")
		if r := b.do(http.MethodPost, adminURL+rt.path, form); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s with a forged token: %d", rt.path, r.StatusCode)
		}
		form.Set("_csrf", b.token(adminURL+"/"))
		if r := b.do(http.MethodPost, adminURL+rt.path, form, "Origin", "http://evil.example"); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s from another origin: %d", rt.path, r.StatusCode)
		}
	}
	if tn := env.tenant("acme"); tn == nil || tn.Status != "active" {
		t.Errorf("acme after refused posts: %+v", tn)
	}
	if env.tenant("acme2") != nil || env.tenant("x") != nil {
		t.Errorf("a refused post created a tenant")
	}
	// The session survived: the admin is still signed in.
	if r := b.get(adminURL + "/"); r.StatusCode != http.StatusOK {
		t.Errorf("dashboard after refused posts: %d", r.StatusCode)
	}
}

func TestAdminLoginIsRateLimited(t *testing.T) {
	env := newTestEnv(t)
	env.createAdmin(testAdminEmail, testAdminPassword)
	b := env.browser()
	for i := 0; i < 5; i++ {
		r := b.post(adminURL+"/login", url.Values{"email": {testAdminEmail}, "password": {"nope nope"}})
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, r.StatusCode)
		}
	}
	r := b.post(adminURL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}})
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Too many failed sign-in attempts")
	// Basic auth on /metrics goes through the same limiter.
	req := adminURL + "/metrics"
	if r := b.get(req, "Authorization", basicAuth(testAdminEmail, testAdminPassword)); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("metrics with a locked account: %d", r.StatusCode)
	}
	// A tenant account with the same email is not locked by it.
	env.browser().signUp("acme", testAdminEmail, "correct horse")
	r = b.post("http://acme.localhost:8080/login", url.Values{"email": {testAdminEmail}, "password": {"correct horse"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("tenant login with the same email: %d", r.StatusCode)
	}
	if !strings.Contains(b.get(adminURL+"/login").Body, "admin-login") {
		t.Errorf("login page gone")
	}
}

func TestAdminSessionsAreShorterThanTenantSessions(t *testing.T) {
	env := newTestEnv(t)
	env.createAdmin(testAdminEmail, testAdminPassword)
	b := env.browser()
	cookie := func(r *response) *http.Cookie {
		t.Helper()
		for _, c := range r.Cookies() {
			if c.Name == sessionCookie {
				return c
			}
		}
		t.Fatalf("no session cookie set")
		return nil
	}
	near := func(d, want time.Duration) bool { return d > want-time.Minute && d < want+time.Minute }

	// A session's cookie lasts its absolute lifetime; its record in the
	// store expires after the idle timeout unless the session is used.
	r := b.post(adminURL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}})
	admin := cookie(r)
	if d := time.Until(admin.Expires); !near(d, 12*time.Hour) {
		t.Errorf("admin session cookie lasts %v, want the 12h lifetime", d)
	}
	if d := time.Until(sessionExpiry(t, filepath.Join(env.dir, "control.db"), "token", admin.Value)); !near(d, 2*time.Hour) {
		t.Errorf("admin session record expires in %v, want the 2h idle timeout", d)
	}

	r = b.post("http://localhost:8080/signup", url.Values{
		"name": {"acme"}, "email": {"o@example.com"}, "password": {"correct horse"}, "region": {"local"},
	})
	r = b.get(r.Header.Get("Location"))
	tenant := cookie(r)
	if d := time.Until(tenant.Expires); !near(d, 30*24*time.Hour) {
		t.Errorf("tenant session cookie lasts %v, want 30 days", d)
	}
	acme := env.tenant("acme")
	if acme == nil {
		t.Fatal("acme not found")
	}
	if d := time.Until(sessionExpiry(t, acme.Location, "token_hash", tenant.Value)); !near(d, 14*24*time.Hour) {
		t.Errorf("tenant session record expires in %v, want the 14-day idle timeout", d)
	}
}

// sessionExpiry reads the expiry of the session with token from the
// sessions table of the database file at path, on a handle of its own.
// Stores are given the token hashed (scs's HashTokenInStore: SHA-256,
// base64url); keyColumn is the column that holds it.
func sessionExpiry(t *testing.T, path, keyColumn, token string) time.Time {
	t.Helper()
	connector, err := store.OpenConnector("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	sum := sha256.Sum256([]byte(token))
	var ms int64
	err = db.QueryRow("SELECT expiry FROM sessions WHERE "+keyColumn+" = ?",
		base64.RawURLEncoding.EncodeToString(sum[:])).Scan(&ms)
	if err != nil {
		t.Fatalf("session record in %s: %v", filepath.Base(path), err)
	}
	return time.UnixMilli(ms)
}
