package web

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestLoginLogout(t *testing.T) {
	env := newTestEnv(t)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")

	b := env.browser()
	r := b.get("http://acme.localhost:8080/")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("anonymous home: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	r = b.get("http://acme.localhost:8080/login")
	mustContain(t, r.Body, `form id="login"`, `name="email"`, `name="password"`)

	r = b.post("http://acme.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"wrong password"}})
	if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Wrong email or password.", `value="owner@example.com"`)

	r = b.post("http://acme.localhost:8080/login", url.Values{"email": {" Owner@Example.com "}, "password": {"correct horse"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("login: %d %q %s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	r = b.get("http://acme.localhost:8080/")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("home after login: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "owner@example.com", `form id="logout"`)

	session := b.jar["acme.localhost:8080"][sessionCookie]
	r = b.post("http://acme.localhost:8080/logout", nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	r = b.get("http://acme.localhost:8080/login")
	mustContain(t, r.Body, "You have been signed out.")

	// The old session cookie is dead server-side, not only in the browser.
	replay := env.browser()
	replay.jar["acme.localhost:8080"] = map[string]string{sessionCookie: session}
	if r := replay.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("replayed session after logout: %d", r.StatusCode)
	}
}

func TestSessionIsBoundToItsTenant(t *testing.T) {
	env := newTestEnv(t)
	a := env.browser()
	a.signUp("alpha", "same@example.com", "correct horse")
	bb := env.browser()
	bb.signUp("bravo", "same@example.com", "correct horse")
	if r := bb.post("http://bravo.localhost:8080/todos", url.Values{"title": {"bravo secret"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", r.StatusCode)
	}

	// alpha's cookies, presented on bravo's host.
	thief := env.browser()
	thief.jar["bravo.localhost:8080"] = a.jar["alpha.localhost:8080"]
	r := thief.get("http://bravo.localhost:8080/")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("alpha's session on bravo: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	mustNotContain(t, r.Body, "bravo secret")
	r = thief.get("http://bravo.localhost:8080/completed", "HX-Request", "true")
	mustNotContain(t, r.Body, "bravo secret")
	tok := thief.token("http://bravo.localhost:8080/")
	r = thief.do(http.MethodPost, "http://bravo.localhost:8080/todos/clear-completed", url.Values{"_csrf": {tok}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("write with alpha's session on bravo: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	// And alpha's list does not show bravo's items.
	r = a.get("http://alpha.localhost:8080/")
	mustNotContain(t, r.Body, "bravo secret")
}

func TestLoginIsRateLimited(t *testing.T) {
	env := newTestEnv(t)
	env.browser().signUp("acme", "owner@example.com", "correct horse")
	b := env.browser()
	for i := 0; i < 5; i++ {
		r := b.post("http://acme.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"nope nope"}})
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, r.StatusCode)
		}
	}
	r := b.post("http://acme.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"correct horse"}})
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Too many failed sign-in attempts")
	// Another account of the same client is not locked by the first's failures.
	r = b.post("http://acme.localhost:8080/login", url.Values{"email": {"other@example.com"}, "password": {"nope nope"}})
	if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("other account: %d", r.StatusCode)
	}
}

func TestLoginRefusesBadEmail(t *testing.T) {
	env := newTestEnv(t)
	env.browser().signUp("acme", "owner@example.com", "correct horse")
	b := env.browser()
	r := b.post("http://acme.localhost:8080/login", url.Values{"email": {"<script>"}, "password": {"x"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad email: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "not a valid email address")
	mustNotContain(t, r.Body, "<script>")
}

func TestLoginLimiterWindow(t *testing.T) {
	l := newLoginLimiter(2, 3, 10*time.Minute)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	l.Fail("acct", "ip1")
	l.Fail("acct", "ip2")
	if ok, wait := l.Allowed("acct", "ip3"); ok || wait != 10*time.Minute {
		t.Errorf("after 2 account failures: allowed=%v wait=%v", ok, wait)
	}
	l.Fail("other", "ip1")
	l.Fail("other2", "ip1")
	if ok, _ := l.Allowed("fresh", "ip1"); ok {
		t.Errorf("after 3 client failures the client is still allowed")
	}
	now = now.Add(10 * time.Minute)
	if ok, _ := l.Allowed("acct", "ip1"); !ok {
		t.Errorf("window ended but still refused")
	}
	l.Fail("acct", "ip9")
	l.Succeed("acct")
	if ok, _ := l.Allowed("acct", "ip9"); !ok {
		t.Errorf("success did not reset the account")
	}
}
