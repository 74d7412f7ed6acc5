package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"todos/app"
)

func TestAdminConsole(t *testing.T) {
	env, b := adminEnv(t)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	owner.post("http://acme.localhost:8080/todos", url.Values{"title": {"alpha"}})
	owner.post("http://acme.localhost:8080/todos", url.Values{"title": {"beta"}})
	run := func(form url.Values) *response {
		t.Helper()
		return b.post(adminURL+"/tenants/acme/console", form)
	}

	page := b.get(adminURL + "/tenants/acme/console")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("console page: %d", page.StatusCode)
	}
	mustContain(t, page.Body, `form id="console"`, `name="sql"`, ">SELECT * FROM todos</textarea>",
		`type="checkbox" name="write"`, `type="checkbox" name="confirm_write"`, "No queries yet.")
	// The test server runs sqld without JWT auth: the page says that only
	// the app's checks keep read-only mode read-only there.
	if onSqld() {
		mustContain(t, page.Body, `class="notice app-checks-only"`, "enforced only by the app's own checks", "--sqld-auth-key")
	} else {
		mustNotContain(t, page.Body, "app-checks-only")
	}

	r := run(url.Values{"sql": {"SELECT * FROM todos"}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("select: %d\n%s", r.StatusCode, clipBody(r.Body))
	}
	mustContain(t, r.Body, `table id="console-result"`, "<th scope=\"col\">title</th>", "alpha", "beta", "2 rows")
	env.wantAudit("console-query", "acme", app.AuditOK)

	blob := "x'CAFE'"
	if onSqld() { // the server cannot send the EXPLAIN of a blob literal that is not UTF-8
		blob = "unhex('CAFE')"
	}
	r = run(url.Values{"sql": {"SELECT 1 AS one, NULL AS missing, " + blob + " AS bin, 'it''s' AS quote"}})
	mustContain(t, r.Body, `<span class="null">NULL</span>`, `<code class="blob">cafe</code>`, "it&#39;s")

	r = run(url.Values{"sql": {"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < 600) SELECT x FROM n"}})
	mustContain(t, r.Body, `class="notice truncated"`)

	// Read-only mode refuses a write, plainly, and changes nothing.
	r = run(url.Values{"sql": {"DELETE FROM todos"}})
	if r.StatusCode < 400 {
		t.Errorf("write in read-only mode: %d", r.StatusCode)
	}
	mustContain(t, r.Body, `class="alert console-error"`, ">DELETE FROM todos</textarea>")
	e := env.wantAudit("console-query", "acme", app.AuditFailed)
	if e.Detail != "DELETE FROM todos" {
		t.Errorf("audit detail = %q", e.Detail)
	}
	mustContain(t, owner.get("http://acme.localhost:8080/").Body, "alpha", "beta")

	// Write mode without its confirmation: refused, not run.
	r = run(url.Values{"sql": {"DELETE FROM todos"}, "write": {"1"}})
	mustContain(t, r.Body, "Nothing was run", `name="write" value="1" checked`)
	env.wantAudit("console-write", "acme", app.AuditFailed)
	mustContain(t, owner.get("http://acme.localhost:8080/").Body, "alpha", "beta")

	// Confirmed: it runs.
	r = run(url.Values{"sql": {"DELETE FROM todos WHERE title = 'alpha'"}, "write": {"1"}, "confirm_write": {"1"}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("confirmed write: %d\n%s", r.StatusCode, clipBody(r.Body))
	}
	mustContain(t, r.Body, "1 changed")
	mustNotContain(t, r.Body, `name="confirm_write" value="1" checked`)
	env.wantAudit("console-write", "acme", app.AuditOK)
	home := owner.get("http://acme.localhost:8080/").Body
	mustContain(t, home, "beta")
	mustNotContain(t, home, "alpha")
	// The control plane's counters follow the console's write.
	if tn := env.tenant("acme"); tn.TodoCount != 1 {
		t.Errorf("control plane counts %d todos after the console deleted one of 2", tn.TodoCount)
	}

	// A mistake is shown as the engine said it.
	r = run(url.Values{"sql": {"SELEC nonsense"}})
	mustContain(t, r.Body, `class="alert console-error"`)
	r = run(url.Values{"sql": {"  "}})
	mustContain(t, r.Body, "Type a SQL statement")

	// The history lists what ran, newest first, with errors; the refused
	// unconfirmed write never ran and is only in the audit log.
	hist := b.get(adminURL + "/tenants/acme/console").Body
	hist = hist[strings.Index(hist, `id="console-history"`):]
	if n := strings.Count(hist, "<tr>") - 1; n != 6 {
		t.Errorf("history rows = %d; want 6\n%s", n, clipBody(hist))
	}
	if strings.Index(hist, "SELEC nonsense") > strings.Index(hist, "SELECT * FROM todos") {
		t.Errorf("history is not newest first")
	}
	mustContain(t, hist, testAdminEmail, `<span class="badge write">write</span>`, "2 rows", "1 row", `class="failed"`)

	// Unknown tenants have no console.
	if r := b.get(adminURL + "/tenants/nosuch/console"); r.StatusCode != http.StatusNotFound {
		t.Errorf("console of an unknown tenant: %d", r.StatusCode)
	}
}
