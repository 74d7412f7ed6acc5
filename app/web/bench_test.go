package web

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// Benchmarks of whole requests through the real app (fiber's in-memory
// transport, real tenant databases). Run them with
//
//	go test -run '^$' -bench . -benchtime 2000x ./app/web/
//
// docs/benchmarks.md records the figures measured on the reference machine.

// benchBrowser signs up a tenant with 100 todos and returns its browser.
func benchBrowser(b *testing.B) *browser {
	env := newTestEnv(b)
	br := env.browser()
	br.signUp("bench", "owner@example.com", "correct horse")
	tok := br.token("http://bench.localhost:8080/")
	for i := 0; i < 100; i++ {
		br.do(http.MethodPost, "http://bench.localhost:8080/todos", url.Values{"title": {"item " + strconv.Itoa(i)}, "_csrf": {tok}})
	}
	return br
}

// BenchmarkTodoPage renders the full page of a 100-item list.
func BenchmarkTodoPage(b *testing.B) {
	br := benchBrowser(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := br.get("http://bench.localhost:8080/"); r.StatusCode != http.StatusOK {
			b.Fatal(r.StatusCode)
		}
	}
}

// BenchmarkTodoToggleFragment toggles one item with htmx: a durable write
// and a fragment render.
func BenchmarkTodoToggleFragment(b *testing.B) {
	br := benchBrowser(b)
	tok := br.token("http://bench.localhost:8080/")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		form := url.Values{"filter": {"all"}, "_csrf": {tok}}
		if i%2 == 0 {
			form.Set("completed", "1")
		}
		r := br.do(http.MethodPost, "http://bench.localhost:8080/todos/1/toggle", form, "HX-Request", "true")
		if r.StatusCode != http.StatusOK {
			b.Fatal(r.StatusCode)
		}
	}
}

// BenchmarkAdminDashboard renders the admin dashboard's first page (50
// tenants, each with its size on disk) and the health panel.
func BenchmarkAdminDashboard(b *testing.B) {
	env := newTestEnv(b)
	env.createAdmin(testAdminEmail, testAdminPassword)
	for i := 0; i < 60; i++ {
		env.createTenant("bench-" + strconv.Itoa(i))
	}
	br := env.browser()
	br.adminSignIn(testAdminEmail, testAdminPassword)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := br.get(adminURL + "/?sort=last_active&desc=1"); r.StatusCode != http.StatusOK {
			b.Fatal(r.StatusCode)
		}
	}
}
