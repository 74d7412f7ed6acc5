package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"todos/app"
)

// signedIn returns a browser signed in to a new tenant.
func signedIn(t *testing.T, name string) (*testEnv, *browser) {
	env := newTestEnv(t)
	b := env.browser()
	b.signUp(name, "owner@example.com", "correct horse")
	return env, b
}

var itemRe = regexp.MustCompile(`<li data-testid="todo-item" id="todo-(\d+)"(?: class="(\w+)")?`)
var titleRe = regexp.MustCompile(`<label data-testid="todo-title">([^<]*)</label>`)

// items lists "title" or "title [completed]" in page order.
func items(body string) []string {
	var out []string
	lis, titles := itemRe.FindAllStringSubmatch(body, -1), titleRe.FindAllStringSubmatch(body, -1)
	for i, li := range lis {
		s := titles[i][1]
		if li[2] != "" {
			s += " [" + li[2] + "]"
		}
		out = append(out, s)
	}
	return out
}

// itemID finds the id of the item with that (escaped) title.
func itemID(t *testing.T, body, title string) string {
	t.Helper()
	lis, titles := itemRe.FindAllStringSubmatch(body, -1), titleRe.FindAllStringSubmatch(body, -1)
	for i, li := range lis {
		if titles[i][1] == title {
			return li[1]
		}
	}
	t.Fatalf("no item %q in\n%s", title, clipBody(body))
	return ""
}

func page(t *testing.T, b *browser, path string) string {
	t.Helper()
	r := b.get("http://acme.localhost:8080" + path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, r.StatusCode)
	}
	return r.Body
}

func formPost(t *testing.T, b *browser, path string, form url.Values) *response {
	t.Helper()
	r := b.post("http://acme.localhost:8080"+path, form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d %s", path, r.StatusCode, clipBody(r.Body))
	}
	return r
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func TestTodoFormsWithoutJavaScript(t *testing.T) {
	env, b := signedIn(t, "acme")
	for _, title := range []string{"  one  ", "two", "   ", "three"} {
		r := formPost(t, b, "/todos", url.Values{"title": {title}, "filter": {"all"}})
		if loc := r.Header.Get("Location"); loc != "/" {
			t.Errorf("redirect after add = %q", loc)
		}
	}
	body := page(t, b, "/")
	equal(t, "items", items(body), []string{"one", "two", "three"})
	mustContain(t, body, `<strong>3</strong> items left`)
	mustNotContain(t, body, "clear-completed")

	two := itemID(t, body, "two")
	r := formPost(t, b, "/todos/"+two+"/toggle", url.Values{"completed": {"1"}, "filter": {"active"}})
	if loc := r.Header.Get("Location"); loc != "/active" {
		t.Errorf("redirect keeps the filter: %q", loc)
	}
	body = page(t, b, "/")
	equal(t, "items", items(body), []string{"one", "two [completed]", "three"})
	mustContain(t, body, `<strong>2</strong> items left`, "Clear completed")
	equal(t, "active", items(page(t, b, "/active")), []string{"one", "three"})
	equal(t, "completed", items(page(t, b, "/completed")), []string{"two [completed]"})
	mustContain(t, page(t, b, "/active"), `<a href="/active" class="selected" aria-current="page">Active</a>`)

	one := itemID(t, body, "one")
	formPost(t, b, "/todos/"+one+"/edit", url.Values{"title": {"  one edited "}})
	mustContain(t, page(t, b, "/?edit="+one), `class="editing"`, `class="edit" name="title" value="one edited"`)

	formPost(t, b, "/todos/toggle-all", url.Values{"completed": {"1"}})
	body = page(t, b, "/")
	equal(t, "all completed", items(body), []string{"one edited [completed]", "two [completed]", "three [completed]"})
	mustContain(t, body, `<strong>0</strong> items left`, `id="toggle-all" class="toggle-all" type="checkbox" name="completed" value="1" checked`)

	formPost(t, b, "/todos/toggle-all", url.Values{})
	mustContain(t, page(t, b, "/"), `<strong>3</strong> items left`)

	three := itemID(t, page(t, b, "/"), "three")
	formPost(t, b, "/todos/"+three+"/toggle", url.Values{"completed": {"1"}})
	formPost(t, b, "/todos/clear-completed", url.Values{})
	equal(t, "after clear", items(page(t, b, "/")), []string{"one edited", "two"})

	formPost(t, b, "/todos/"+one+"/edit", url.Values{"title": {"   "}}) // empty edit deletes
	formPost(t, b, "/todos/"+two+"/delete", url.Values{})
	body = page(t, b, "/")
	equal(t, "emptied", items(body), nil)
	mustNotContain(t, body, `class="main"`, `class="footer"`)

	// The control plane's counters follow the writes.
	formPost(t, b, "/todos", url.Values{"title": {"a"}})
	formPost(t, b, "/todos", url.Values{"title": {"b"}})
	body = page(t, b, "/")
	formPost(t, b, "/todos/"+itemID(t, body, "a")+"/toggle", url.Values{"completed": {"1"}})
	env.flushActivity() // they reach it in batches
	// Read the record itself: lookups by name may answer from memory, with
	// the counters of their first lookup.
	tn := env.tenant("acme")
	if tn == nil {
		t.Fatal("acme not found")
	}
	if tn.TodoCount != 2 || tn.CompletedCount != 1 {
		t.Errorf("control counters = %d/%d, want 2/1", tn.TodoCount, tn.CompletedCount)
	}
}

func TestTodoTitlesAreKeptExactly(t *testing.T) {
	_, b := signedIn(t, "acme")
	titles := []string{
		"Ünïcödé ✓ 日本語 🚀",
		`<b>bold</b> & "quotes" 'single'`,
		"{{.CSRF}} %s %d \\n",
		"a\u00a0b", // inner no-break space is kept
		"-- ; DROP TABLE todos; --",
	}
	for _, title := range titles {
		formPost(t, b, "/todos", url.Values{"title": {"  " + title + "\t"}})
	}
	body := page(t, b, "/")
	got := items(body)
	if len(got) != len(titles) {
		t.Fatalf("items = %q", got)
	}
	for i, title := range titles {
		if want := htmlEscape(title); got[i] != want {
			t.Errorf("item %d = %q, want %q", i, got[i], want)
		}
	}
	mustNotContain(t, body, "<b>bold</b>")
}

func TestTodoRefusesBadTitles(t *testing.T) {
	_, b := signedIn(t, "acme")
	formPost(t, b, "/todos", url.Values{"title": {"keep me"}})
	long := strings.Repeat("x", app.TitleMaxLength+1)

	// Without JavaScript: the list again, with the message and the typed
	// text still in the input, nothing added.
	r := b.post("http://acme.localhost:8080/todos", url.Values{"title": {long}, "filter": {"active"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("long title without JavaScript: %d", r.StatusCode)
	}
	mustContain(t, r.Body, `role="alert"`, fmt.Sprintf("limit is %d", app.TitleMaxLength),
		`class="new-todo" name="title" value="`+long+`"`, `<a href="/active" class="selected" aria-current="page">`)
	body := page(t, b, "/")
	equal(t, "items", items(body), []string{"keep me"})

	// A refused rename keeps the item in edit mode with what was typed.
	id := itemID(t, body, "keep me")
	r = b.post("http://acme.localhost:8080/todos/"+id+"/edit", url.Values{"title": {long + " <b>"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("long rename without JavaScript: %d", r.StatusCode)
	}
	mustContain(t, r.Body, `class="editing"`, `class="edit" name="title" value="`+long+` &lt;b&gt;"`)
	equal(t, "items", items(page(t, b, "/")), []string{"keep me"})

	// With htmx: 422 and an alert fragment aimed at #alerts.
	r = b.post("http://acme.localhost:8080/todos", url.Values{"title": {long}}, "HX-Request", "true")
	if r.StatusCode != http.StatusUnprocessableEntity || r.Header.Get("HX-Retarget") != "#alerts" {
		t.Errorf("htmx long title: %d %q", r.StatusCode, r.Header.Get("HX-Retarget"))
	}
	mustContain(t, r.Body, `role="alert"`)

	r = b.post("http://acme.localhost:8080/todos/"+id+"/edit", url.Values{"title": {long}}, "HX-Request", "true")
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("htmx long edit: %d", r.StatusCode)
	}
	r = b.post("http://acme.localhost:8080/todos/"+id+"/edit", url.Values{"title": {"bad \xff utf8"}}, "HX-Request", "true")
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("htmx invalid utf-8: %d", r.StatusCode)
	}
	equal(t, "items", items(page(t, b, "/")), []string{"keep me"})

	// Items that do not exist.
	r = b.post("http://acme.localhost:8080/todos/999999/toggle", url.Values{"completed": {"1"}}, "HX-Request", "true")
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("toggle missing item: %d", r.StatusCode)
	}
	r = b.post("http://acme.localhost:8080/todos/abc/toggle", url.Values{})
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("toggle bad id: %d", r.StatusCode)
	}
}

// hxPoster returns a function that posts form to path on acme's host as
// htmx does, and fails the test unless the answer is 200 and varies by
// HX-Request.
func hxPoster(t *testing.T, b *browser) func(path string, form url.Values) *response {
	return func(path string, form url.Values) *response {
		t.Helper()
		r := b.post("http://acme.localhost:8080"+path, form, "HX-Request", "true")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("htmx POST %s: %d %s", path, r.StatusCode, r.Body)
		}
		if r.Header.Get("Vary") == "" || !strings.Contains(r.Header.Get("Vary"), "HX-Request") {
			t.Errorf("POST %s: Vary = %q", path, r.Header.Get("Vary"))
		}
		return r
	}
}

func TestTodoFragments(t *testing.T) {
	_, b := signedIn(t, "acme")
	post := hxPoster(t, b)

	// The first item brings main and footer into #todoapp.
	r := post("/todos", url.Values{"title": {"first"}, "filter": {"all"}})
	if r.Header.Get("HX-Retarget") != "#todoapp" || r.Header.Get("HX-Reswap") != "beforeend" {
		t.Errorf("first add: retarget %q reswap %q", r.Header.Get("HX-Retarget"), r.Header.Get("HX-Reswap"))
	}
	mustContain(t, r.Body, `<section class="main" id="main">`, `<footer class="footer" id="footer">`, "first")
	mustNotContain(t, r.Body, "<html", `id="main" hx-swap-oob`, `id="footer" hx-swap-oob`)

	// Later items are appended, with the footer and toggle-all out of band.
	r = post("/todos", url.Values{"title": {"second"}, "filter": {"all"}})
	if r.Header.Get("HX-Retarget") != ".todo-list" || r.Header.Get("HX-Reswap") != "beforeend" {
		t.Errorf("second add: retarget %q reswap %q", r.Header.Get("HX-Retarget"), r.Header.Get("HX-Reswap"))
	}
	equal(t, "fragment items", items(r.Body), []string{"second"})
	mustContain(t, r.Body, `id="footer" hx-swap-oob="true"`, `<strong>2</strong> items left`, `id="toggle-all"`)

	// Added while looking at /completed: the item is not in the fragment.
	r = post("/todos", url.Values{"title": {"third"}, "filter": {"completed"}})
	equal(t, "fragment items", items(r.Body), nil)
	mustContain(t, r.Body, `<strong>3</strong> items left`)

	body := page(t, b, "/")
	first := itemID(t, body, "first")
	// Toggling on /active removes the item from the DOM (empty primary swap).
	r = post("/todos/"+first+"/toggle", url.Values{"completed": {"1"}, "filter": {"active"}})
	equal(t, "toggled on active", items(r.Body), nil)
	mustContain(t, r.Body, `<strong>2</strong> items left`, "Clear completed")
	// Toggling on / returns the item with its new class.
	r = post("/todos/"+first+"/toggle", url.Values{"filter": {"all"}})
	equal(t, "toggled on all", items(r.Body), []string{"first"})

	r = post("/todos/toggle-all", url.Values{"completed": {"1"}, "filter": {"all"}})
	mustContain(t, r.Body, `<section class="main" id="main">`, `<strong>0</strong> items left`, `id="footer" hx-swap-oob="true"`)
	if n := strings.Count(r.Body, `class="completed"`); n != 3 {
		t.Errorf("toggle-all fragment has %d completed items", n)
	}

	r = post("/todos/clear-completed", url.Values{"filter": {"all"}})
	mustContain(t, r.Body, `id="main" hx-swap-oob="delete"`, `id="footer" hx-swap-oob="delete"`)

	// A full page for boosted navigation and history restores.
	for _, h := range []string{"HX-Boosted", "HX-History-Restore-Request"} {
		r = b.get("http://acme.localhost:8080/active", "HX-Request", "true", h, "true")
		mustContain(t, r.Body, "<html", `class="todoapp"`)
	}
}

func TestTodoAddAfterEditAndDeleteFragments(t *testing.T) {
	_, b := signedIn(t, "acme")
	hx := []string{"HX-Request", "true"}
	formPost(t, b, "/todos", url.Values{"title": {"a"}})
	formPost(t, b, "/todos", url.Values{"title": {"b"}})
	body := page(t, b, "/")
	a, bID := itemID(t, body, "a"), itemID(t, body, "b")

	r := b.post("http://acme.localhost:8080/todos/"+a+"/edit", url.Values{"title": {" renamed "}}, hx...)
	equal(t, "edited", items(r.Body), []string{"renamed"})
	r = b.post("http://acme.localhost:8080/todos/"+a+"/edit", url.Values{"title": {""}}, hx...)
	equal(t, "edit to empty deletes", items(r.Body), nil)
	mustContain(t, r.Body, `<strong>1</strong> item left`)
	r = b.post("http://acme.localhost:8080/todos/"+bID+"/delete", url.Values{}, hx...)
	mustContain(t, r.Body, `hx-swap-oob="delete"`)
	// Deleting again is harmless.
	r = b.post("http://acme.localhost:8080/todos/"+bID+"/delete", url.Values{}, hx...)
	if r.StatusCode != http.StatusOK {
		t.Errorf("second delete: %d", r.StatusCode)
	}
	equal(t, "empty", items(page(t, b, "/")), nil)
}

func TestUnauthenticatedHTMXIsRedirected(t *testing.T) {
	env, _ := signedIn(t, "acme")
	b := env.browser()
	tok := b.token("http://acme.localhost:8080/")
	r := b.do(http.MethodPost, "http://acme.localhost:8080/todos", url.Values{"title": {"x"}}, "HX-Request", "true", "X-CSRF-Token", tok)
	if r.StatusCode != http.StatusUnauthorized || r.Header.Get("HX-Redirect") != "/login" {
		t.Errorf("anonymous htmx write: %d %q", r.StatusCode, r.Header.Get("HX-Redirect"))
	}
}
