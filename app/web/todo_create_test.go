package web

import (
	"database/sql"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"todos/app"
	"todos/app/store"
)

var newTodoKeyRe = regexp.MustCompile(`<input type="hidden" id="new-todo-key" name="idempotency_key" value="([^"]+)"( hx-swap-oob="true")?>`)

// newTodoKey returns the idempotency key in a page or fragment, and whether
// it is sent out of band.
func newTodoKey(t *testing.T, body string) (string, bool) {
	t.Helper()
	m := newTodoKeyRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no new-todo key in:\n%s", clipBody(body))
	}
	return m[1], m[2] != ""
}

// TestNewTodoFormCarriesAKey: every page's new-todo form has its own valid
// key, and an htmx add answers with the next one, out of band.
func TestNewTodoFormCarriesAKey(t *testing.T) {
	_, b := signedIn(t, "acme")
	k1, oob := newTodoKey(t, page(t, b, "/"))
	k2, _ := newTodoKey(t, page(t, b, "/"))
	if !app.ValidIdempotencyKey(k1) || k1 == k2 || oob {
		t.Fatalf("keys %q, %q (oob %v)", k1, k2, oob)
	}
	for i, title := range []string{"first", "second"} { // first: main and footer; second: appended
		r := b.post("http://acme.localhost:8080/todos", url.Values{"title": {title}, todoKeyField: {k1}}, "HX-Request", "true")
		next, oob := newTodoKey(t, r.Body)
		if r.StatusCode != http.StatusOK || !oob || next == k1 || !app.ValidIdempotencyKey(next) {
			t.Fatalf("add %d: %d, next key %q (oob %v)", i, r.StatusCode, next, oob)
		}
		k1 = next
	}
}

// TestNewTodoRetryIsStoredOnce sends each submission twice, as a retry
// after an error would: one item, and the same answer each time.
func TestNewTodoRetryIsStoredOnce(t *testing.T) {
	_, b := signedIn(t, "acme")
	key := app.NewIdempotencyKey()
	form := url.Values{"title": {"milk"}, "filter": {"active"}, todoKeyField: {key}}
	first := formPost(t, b, "/todos", form)
	again := formPost(t, b, "/todos", form)
	if first.Header.Get("Location") != "/active" || again.Header.Get("Location") != "/active" {
		t.Errorf("redirects %q, %q", first.Header.Get("Location"), again.Header.Get("Location"))
	}
	equal(t, "items after a resent form", items(page(t, b, "/")), []string{"milk"})

	hxKey := app.NewIdempotencyKey()
	hx := url.Values{"title": {"bread"}, "filter": {"all"}, todoKeyField: {hxKey}}
	r1 := b.post("http://acme.localhost:8080/todos", hx, "HX-Request", "true")
	r2 := b.post("http://acme.localhost:8080/todos", hx, "HX-Request", "true")
	if r1.StatusCode != http.StatusOK || r2.StatusCode != http.StatusOK {
		t.Fatalf("htmx adds: %d, %d", r1.StatusCode, r2.StatusCode)
	}
	body := page(t, b, "/")
	id := itemID(t, body, "bread")
	for _, r := range []*response{r1, r2} {
		mustContain(t, r.Body, `id="todo-`+id+`"`)
	}
	equal(t, "items after an htmx retry", items(body), []string{"milk", "bread"})
}

// TestNewTodoConcurrentSubmitsAreStoredOnce sends one submission eight
// times at once: one item.
func TestNewTodoConcurrentSubmitsAreStoredOnce(t *testing.T) {
	env, b := signedIn(t, "acme")
	csrf := b.token("http://acme.localhost:8080/")
	form := url.Values{"title": {"once"}, "_csrf": {csrf}, todoKeyField: {app.NewIdempotencyKey()}}.Encode()
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		req := httptest.NewRequest(http.MethodPost, "/todos", strings.NewReader(form))
		req.Host = "acme.localhost:8080"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for name, value := range b.jar["acme.localhost:8080"] {
			req.AddCookie(&http.Cookie{Name: name, Value: value})
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := env.srv.App().Test(req, -1)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusSeeOther {
			t.Errorf("submit %d: %d", i, code)
		}
	}
	equal(t, "items after concurrent submits", items(page(t, b, "/")), []string{"once"})
}

// TestNewTodoWithoutKeyStillWorks: a page loaded before keys existed (no
// key field), or a damaged key, still adds.
func TestNewTodoWithoutKeyStillWorks(t *testing.T) {
	_, b := signedIn(t, "acme")
	formPost(t, b, "/todos", url.Values{"title": {"old page"}})
	formPost(t, b, "/todos", url.Values{"title": {"old page"}})
	formPost(t, b, "/todos", url.Values{"title": {"damaged"}, todoKeyField: {"not a key!"}})
	equal(t, "items", items(page(t, b, "/")), []string{"old page", "old page", "damaged"})
}

// failSessionUpdates makes every UPDATE of a session in the tenant's
// database fail, with a trigger: a real write failure, every time.
func failSessionUpdates(t *testing.T, env *testEnv, tenant string) {
	t.Helper()
	c, err := store.OpenConnector("file:" + env.tenant(tenant).Location)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	var timeout int
	if err := db.QueryRow("PRAGMA busy_timeout=5000").Scan(&timeout); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TRIGGER sessions_fail BEFORE UPDATE ON sessions
		BEGIN SELECT RAISE(ABORT, 'session save failed (test)'); END`); err != nil {
		t.Fatal(err)
	}
}

// TestSavedTodoIsNotReportedAsFailed: when the session renewal that
// follows a saved write fails, the write is still answered as done (the
// user would otherwise add it again), and reads keep working.
func TestSavedTodoIsNotReportedAsFailed(t *testing.T) {
	env := newTestEnvWith(t, func(c *Config) { c.SessionRenewEvery = time.Nanosecond })
	b := env.browser()
	b.signUp("acme", "owner@example.com", "correct horse")
	failSessionUpdates(t, env, "acme")

	formPost(t, b, "/todos", url.Values{"title": {"form"}})
	r := b.post("http://acme.localhost:8080/todos", url.Values{"title": {"htmx"}}, "HX-Request", "true")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("htmx add: %d %s", r.StatusCode, r.Body)
	}
	body := page(t, b, "/")
	equal(t, "items", items(body), []string{"form", "htmx"})
	id := itemID(t, body, "form")
	formPost(t, b, "/todos/"+id+"/toggle", url.Values{"completed": {"1"}})
	equal(t, "items", items(page(t, b, "/")), []string{"form [completed]", "htmx"})
	if n := env.srv.metrics.sessionSaveFailures.Load(); n == 0 {
		t.Error("session save failures not counted")
	}
}

// TestSavedWriteWithFailingAnswerReloads: when building the answer to a
// saved write fails (here a template), htmx is told to reload the page
// instead of being shown an error.
func TestSavedWriteWithFailingAnswerReloads(t *testing.T) {
	env, b := signedIn(t, "acme")
	formPost(t, b, "/todos", url.Values{"title": {"one"}})
	id := itemID(t, page(t, b, "/"), "one")
	env.srv.views = newViews(overlayFS{base: os.DirFS("../../views"), files: map[string]string{
		"todo/_changed.html": `{{template "todo/no-such-template" .}}`,
	}})
	r := b.post("http://acme.localhost:8080/todos/"+id+"/toggle", url.Values{"completed": {"1"}}, "HX-Request", "true")
	if r.StatusCode != http.StatusOK || r.Header.Get("HX-Refresh") != "true" || r.Header.Get("HX-Retarget") != "" {
		t.Fatalf("toggle with a failing answer: %d refresh %q retarget %q %s",
			r.StatusCode, r.Header.Get("HX-Refresh"), r.Header.Get("HX-Retarget"), r.Body)
	}
	r = b.post("http://acme.localhost:8080/todos", url.Values{"title": {"two"}, todoKeyField: {app.NewIdempotencyKey()}}, "HX-Request", "true")
	if r.StatusCode != http.StatusOK || r.Header.Get("HX-Refresh") != "true" {
		t.Fatalf("add with a failing answer: %d refresh %q %s", r.StatusCode, r.Header.Get("HX-Refresh"), r.Body)
	}
	equal(t, "items", items(page(t, b, "/")), []string{"one [completed]", "two"})
}
