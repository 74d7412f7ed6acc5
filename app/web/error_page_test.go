package web

import (
	"net/http"
	"testing"
)

// Error pages take the look of their host: the admin layout with its
// navigation for a signed-in admin, the list's stylesheet on a tenant's host
// with a way back to the list for its signed-in user, the site's elsewhere.
func TestErrorPageKeepsItsHostsLook(t *testing.T) {
	env, admin := adminEnv(t)
	user := env.browser()
	user.signUp("acme", "owner@acme.example.com", "correct horse battery")
	stranger := env.browser()

	for _, tc := range []struct {
		name       string
		b          *browser
		url        string
		status     int
		want, nope []string
	}{
		{"admin 404", admin, adminURL + "/no-such-page", http.StatusNotFound,
			[]string{`href="/static/admin.css"`, `<nav class="nav" aria-label="Main">`, `<a href="/">Back to the tenants</a>`, "Not found"},
			[]string{"site.css", "Go to the TODOs home page"}},
		{"signed-in user's 404", user, "http://acme.localhost:8080/no-such-page", http.StatusNotFound,
			[]string{`href="/static/app.css"`, `<a href="/">Back to your list</a>`, "Not found"},
			[]string{"site.css", "Go to the TODOs home page"}},
		{"tenant sign-in", stranger, "http://acme.localhost:8080/login", http.StatusOK,
			[]string{`href="/static/app.css"`, `<main class="card narrow login">`},
			[]string{"site.css"}},
		{"unknown list", stranger, "http://nosuchlist.localhost:8080/", http.StatusNotFound,
			[]string{`href="/static/app.css"`, `<main class="card narrow error-page">`, "Go to the TODOs home page"},
			[]string{"site.css", "Back to your list"}},
		{"site 404", stranger, "http://localhost:8080/no-such-page", http.StatusNotFound,
			[]string{`href="/static/site.css"`, `<main class="card narrow error-page">`, "Go to the TODOs home page"},
			[]string{"app.css", "admin.css"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.b.get(tc.url)
			if r.StatusCode != tc.status {
				t.Fatalf("status %d, want %d\n%s", r.StatusCode, tc.status, clipBody(r.Body))
			}
			mustContain(t, r.Body, tc.want...)
			mustNotContain(t, r.Body, tc.nope...)
		})
	}
}
