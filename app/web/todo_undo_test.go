package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var undoTokenRe = regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`)

// undoToken returns the token of the undo notice in body.
func undoToken(t *testing.T, body string) string {
	t.Helper()
	m := undoTokenRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no undo notice in\n%s", clipBody(body))
	}
	return m[1]
}

func TestUndoWithoutJavaScript(t *testing.T) {
	_, b := signedIn(t, "acme")
	for _, title := range []string{"a", "b", "c <script>"} {
		formPost(t, b, "/todos", url.Values{"title": {title}})
	}
	body := page(t, b, "/")
	formPost(t, b, "/todos/"+itemID(t, body, "c &lt;script&gt;")+"/delete", url.Values{"filter": {"all"}})
	body = page(t, b, "/")
	equal(t, "after delete", items(body), []string{"a", "b"})
	mustContain(t, body, `Deleted “c &lt;script&gt;”.`, `action="/todos/undo"`, `>Undo</button>`)
	token := undoToken(t, body)
	// The notice shows once.
	mustNotContain(t, page(t, b, "/"), "Deleted “")

	r := formPost(t, b, "/todos/undo", url.Values{"token": {token}, "filter": {"active"}})
	if loc := r.Header.Get("Location"); loc != "/active" {
		t.Errorf("redirect after undo = %q", loc)
	}
	body = page(t, b, "/")
	equal(t, "after undo", items(body), []string{"a", "b", "c &lt;script&gt;"})
	mustContain(t, body, "Restored 1 item.")

	// Once undone, the token is spent.
	formPost(t, b, "/todos/undo", url.Values{"token": {token}})
	mustContain(t, page(t, b, "/"), "Too late to undo")
	equal(t, "after a second undo", items(page(t, b, "/")), []string{"a", "b", "c &lt;script&gt;"})

	// Clear completed, and an emptied title, can be undone too.
	body = page(t, b, "/")
	formPost(t, b, "/todos/"+itemID(t, body, "a")+"/toggle", url.Values{"completed": {"1"}})
	formPost(t, b, "/todos/"+itemID(t, body, "b")+"/toggle", url.Values{"completed": {"1"}})
	formPost(t, b, "/todos/clear-completed", url.Values{})
	body = page(t, b, "/")
	mustContain(t, body, "Deleted 2 items.")
	formPost(t, b, "/todos/undo", url.Values{"token": {undoToken(t, body)}})
	equal(t, "clear undone", items(page(t, b, "/")), []string{"a [completed]", "b [completed]", "c &lt;script&gt;"})

	formPost(t, b, "/todos/"+itemID(t, body, "c &lt;script&gt;")+"/edit", url.Values{"title": {"  "}})
	body = page(t, b, "/")
	mustContain(t, body, `Deleted “c &lt;script&gt;”.`)
	formPost(t, b, "/todos/undo", url.Values{"token": {undoToken(t, body)}})
	equal(t, "empty title undone", items(page(t, b, "/")), []string{"a [completed]", "b [completed]", "c &lt;script&gt;"})
}

func TestUndoFragments(t *testing.T) {
	_, b := signedIn(t, "acme")
	post := hxPoster(t, b)
	formPost(t, b, "/todos", url.Values{"title": {"a"}})
	formPost(t, b, "/todos", url.Values{"title": {"b"}})
	body := page(t, b, "/")
	a, bID := itemID(t, body, "a"), itemID(t, body, "b")

	// A delete sends the undo notice into the alert area, kept there by
	// the page's script until it expires.
	r := post("/todos/"+a+"/delete", url.Values{"filter": {"all"}})
	mustContain(t, r.Body, `<div id="alerts" hx-swap-oob="innerHTML">`, `data-keep data-expires-in="`, `Deleted “a”.`, `hx-post="/todos/undo"`)
	r = post("/todos/undo", url.Values{"token": {undoToken(t, r.Body)}, "filter": {"all"}})
	if r.Header.Get("HX-Retarget") != "#main" || r.Header.Get("HX-Reswap") != "outerHTML" {
		t.Errorf("undo: retarget %q reswap %q", r.Header.Get("HX-Retarget"), r.Header.Get("HX-Reswap"))
	}
	equal(t, "undo fragment", items(r.Body), []string{"a", "b"})
	mustContain(t, r.Body, `id="footer" hx-swap-oob="true"`, `<strong>2</strong> items left`, "Restored 1 item.")

	// Emptying the list and undoing brings main and footer back, like a
	// first add.
	post("/todos/"+a+"/delete", url.Values{"filter": {"all"}})
	r = post("/todos/"+bID+"/edit", url.Values{"title": {""}, "filter": {"all"}})
	mustContain(t, r.Body, `id="main" hx-swap-oob="delete"`, `Deleted “b”.`)
	r = post("/todos/undo", url.Values{"token": {undoToken(t, r.Body)}, "filter": {"all"}})
	if r.Header.Get("HX-Retarget") != "#todoapp" || r.Header.Get("HX-Reswap") != "beforeend" {
		t.Errorf("undo into an empty list: retarget %q reswap %q", r.Header.Get("HX-Retarget"), r.Header.Get("HX-Reswap"))
	}
	equal(t, "undo into an empty list", items(r.Body), []string{"b"})
	mustContain(t, r.Body, `<section class="main" id="main">`, `<footer class="footer" id="footer">`)

	// Too late, or a made-up token: the message, in the alert area.
	r = b.post("http://acme.localhost:8080/todos/undo", url.Values{"token": {"0123456789abcdef0123456789abcdef"}}, "HX-Request", "true")
	if r.StatusCode != http.StatusNotFound || r.Header.Get("HX-Retarget") != "#alerts" {
		t.Errorf("unknown token: %d, retarget %q", r.StatusCode, r.Header.Get("HX-Retarget"))
	}
	mustContain(t, r.Body, "Too late to undo")
}

// An undo token names a deletion in one list's own database: another
// list's user cannot use it to bring anything back, in either list.
func TestUndoTokenOfAnotherList(t *testing.T) {
	env, owner := signedIn(t, "acme")
	formPost(t, owner, "/todos", url.Values{"title": {"private"}})
	formPost(t, owner, "/todos/"+itemID(t, page(t, owner, "/"), "private")+"/delete", url.Values{})
	token := undoToken(t, page(t, owner, "/"))

	stranger := env.browser()
	stranger.signUp("other", "x@example.com", "correct horse")
	r := stranger.post("http://other.localhost:8080/todos/undo", url.Values{"token": {token}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo on another list: %d", r.StatusCode)
	}
	body := stranger.get("http://other.localhost:8080/").Body
	mustContain(t, body, "Too late to undo")
	mustNotContain(t, body, "private")
	// The owner still can.
	formPost(t, owner, "/todos/undo", url.Values{"token": {token}})
	equal(t, "owner's undo", items(page(t, owner, "/")), []string{"private"})
}

// Deletes faster than the pages they redirect to: each replaces the undo
// offer waiting in the flash cookie, which stays small, and every delete
// answers as saved.
func TestUndoOffersDoNotPileUp(t *testing.T) {
	_, b := signedIn(t, "acme")
	long := strings.Repeat("🙂", 120)
	for i := 0; i < 6; i++ {
		formPost(t, b, "/todos", url.Values{"title": {fmt.Sprintf("%s %d", long, i)}})
	}
	body := page(t, b, "/")
	var ids []string
	for i := 0; i < 6; i++ {
		ids = append(ids, itemID(t, body, fmt.Sprintf("%s %d", long, i)))
	}
	for _, id := range ids {
		r := formPost(t, b, "/todos/"+id+"/delete", url.Values{})
		for _, c := range r.Cookies() {
			if c.Name == flashCookie && len(c.Value) > 3000 {
				t.Errorf("flash cookie of %d bytes", len(c.Value))
			}
		}
	}
	body = page(t, b, "/")
	mustContain(t, body, "Deleted “🙂")
	if n := strings.Count(body, `name="token"`); n != 1 {
		t.Errorf("%d undo offers, want the last one", n)
	}
}
