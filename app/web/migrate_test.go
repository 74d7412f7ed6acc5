package web

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"testing"

	"todos/app/store"
)

// A migration that fails for one tenant shows that tenant a clear error page,
// leaves its database as it was, and does not affect other tenants.
func TestFailedMigrationIsContainedToItsTenant(t *testing.T) {
	schema, err := os.ReadFile("../../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	migrations, err := store.ParseMigrations(string(schema))
	if err != nil {
		t.Fatal(err)
	}
	next := store.LatestVersion(migrations) + 1 // the failing migration's version
	v1 := newTestEnv(t)
	good, bad := v1.browser(), v1.browser()
	good.signUp("good", "o@example.com", "correct horse")
	bad.signUp("bad", "o@example.com", "correct horse")
	// bad has two items with one title, which the next migration forbids.
	add := func(b *browser, host, title string) {
		if r := b.post("http://"+host+"/todos", url.Values{"title": {title}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add to %s: %d", host, r.StatusCode)
		}
	}
	add(bad, "bad.localhost:8080", "same")
	add(bad, "bad.localhost:8080", "same")
	add(good, "good.localhost:8080", "fine")
	v1.pool.Close()
	v1.control.Close()

	v2 := newTestEnvIn(t, v1.dir, string(schema)+
		fmt.Sprintf("\n-- version: %d\nCREATE UNIQUE INDEX todos_unique_title ON todos (title);\n", next))
	good.env, bad.env = v2, v2

	r := bad.get("http://bad.localhost:8080/")
	if r.StatusCode != http.StatusInternalServerError {
		t.Errorf("bad tenant: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "could not be upgraded")
	mustNotContain(t, r.Body, "UNIQUE", "constraint")

	r = good.get("http://good.localhost:8080/")
	if r.StatusCode != http.StatusOK {
		t.Errorf("good tenant after another's failed migration: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "fine")

	// bad's database is still at the current version, with both items: a
	// server without the new migration serves it as before.
	v2.pool.Close()
	v2.control.Close()
	v1again := newTestEnvIn(t, v1.dir, string(schema))
	bad.env = v1again
	r = bad.get("http://bad.localhost:8080/")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("bad tenant back on v1: %d", r.StatusCode)
	}
	if got := len(items(r.Body)); got != 2 {
		t.Errorf("bad tenant has %d items after the failed migration, want 2", got)
	}
}
