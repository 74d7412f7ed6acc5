package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// A write that fails for lack of space is answered 507 with the storage-full
// message even when no layer classified it (a control-plane write, a file
// operation): never 500 "Something went wrong".
func TestUnclassifiedStorageFullIs507(t *testing.T) {
	env := newTestEnv(t)
	for _, cause := range []error{
		fmt.Errorf("record audit: %w", fmt.Errorf("SQLite failure: `database or disk is full`")),
		fmt.Errorf("stage copy: %w", syscall.ENOSPC),
	} {
		a := fiber.New(fiber.Config{ErrorHandler: env.srv.handleError})
		a.Post("/", func(c *fiber.Ctx) error { return cause })
		resp, err := a.Test(httptest.NewRequest("POST", "/", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != fiber.StatusInsufficientStorage || !strings.Contains(string(body), "Storage is full") {
			t.Errorf("%v: status %d, body %.200q; want 507 and the storage-full message", cause, resp.StatusCode, body)
		}
	}
}

// An htmx write whose cookies are gone (the CSRF cookie with the session)
// is answered 401 with a message that the session ended and no HX-Redirect,
// so the page can keep what was typed and offer to sign in again; the same
// form posted without htmx is still refused 403 as before.
func TestHTMXWriteWithoutCookiesSaysTheSessionEnded(t *testing.T) {
	env, owner := signedIn(t, "acme")
	tok := owner.token("http://acme.localhost:8080/")
	stranger := env.browser() // the owner's browser after its cookies were cleared
	form := url.Values{"title": {"Buy milk"}}
	r := stranger.do(http.MethodPost, "http://acme.localhost:8080/todos", form, "HX-Request", "true", "X-CSRF-Token", tok)
	if r.StatusCode != http.StatusUnauthorized || r.Header.Get("HX-Redirect") != "" || r.Header.Get("HX-Retarget") != "#alerts" {
		t.Errorf("htmx write without cookies: %d, HX-Redirect %q, HX-Retarget %q; want 401 to #alerts without a redirect",
			r.StatusCode, r.Header.Get("HX-Redirect"), r.Header.Get("HX-Retarget"))
	}
	mustContain(t, r.Body, "Your session has ended. Sign in again to continue.")
	mustNotContain(t, r.Body, "This form has expired")

	form.Set(csrfField, tok)
	if r := env.browser().do(http.MethodPost, "http://acme.localhost:8080/todos", form); r.StatusCode != http.StatusForbidden {
		t.Errorf("form post without cookies: %d; want 403", r.StatusCode)
	}
	if got := items(page(t, owner, "/")); len(got) != 0 {
		t.Errorf("a refused write stored %v", got)
	}
}
