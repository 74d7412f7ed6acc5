package web

import (
	"maps"
	"net/http"
	"net/url"
	"sync"
	"testing"
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
	thief.jar["bravo.localhost:8080"] = maps.Clone(a.jar["alpha.localhost:8080"])
	r := thief.get("http://bravo.localhost:8080/")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("alpha's session on bravo: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	mustNotContain(t, r.Body, "bravo secret")
	r = thief.get("http://bravo.localhost:8080/completed", "HX-Request", "true")
	mustNotContain(t, r.Body, "bravo secret")
	r = thief.get("http://bravo.localhost:8080/", "HX-Request", "true")
	if r.StatusCode != http.StatusUnauthorized || r.Header.Get("HX-Redirect") != "/login" {
		t.Errorf("htmx with alpha's session on bravo: %d %q", r.StatusCode, r.Header.Get("HX-Redirect"))
	}
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

// Wrong passwords sent all at once are refused past the limit, not all
// checked on a count that has not been raised yet.
func TestParallelLoginsAreRateLimited(t *testing.T) {
	env := newTestEnv(t)
	env.browser().signUp("acme", "owner@example.com", "correct horse")
	const n = 20
	browsers := make([]*browser, n)
	forms := make([]url.Values, n)
	for i := range browsers {
		browsers[i] = env.browser()
		forms[i] = url.Values{"email": {"owner@example.com"}, "password": {"wrong guess"},
			"_csrf": {browsers[i].token("http://acme.localhost:8080/")}}
	}
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range browsers {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			codes[i] = browsers[i].do(http.MethodPost, "http://acme.localhost:8080/login", forms[i]).StatusCode
		}(i)
	}
	wg.Wait()
	limited, wrong := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusTooManyRequests:
			limited++
		case http.StatusUnauthorized:
			wrong++
		}
	}
	if wrong != 5 || limited != n-5 {
		t.Errorf("%d answered 'wrong password' and %d 'too many attempts'; want 5 and %d", wrong, limited, n-5)
	}
}
