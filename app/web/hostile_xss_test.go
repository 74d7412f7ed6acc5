package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// xssPayload breaks out of text, double- and single-quoted attributes.
const xssPayload = `<script>alert(1)</script>"><img src=x onerror=alert(1)>'><svg onload=alert(1)>`

// xssShown is how the payload's start reads once escaped as text or in an
// attribute: proof that the page shows the value, harmlessly.
const xssShown = "&lt;script&gt;alert(1)&lt;/script&gt;"

// noXSS fails if the page r runs the payload: raw markup from it, or no
// Content-Security-Policy that forbids inline script. With shown, the page
// must also show the payload, escaped.
func noXSS(t *testing.T, where string, r *response, shown bool) {
	t.Helper()
	for _, raw := range []string{"<script>alert(1)", "<img src=x", "<svg onload", "onerror=alert(1)>"} {
		if strings.Contains(r.Body, raw) {
			t.Errorf("%s: the page holds %q unescaped:\n%s", where, raw, clipBody(snippetAround(r.Body, raw)))
		}
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("%s: Content-Security-Policy %q", where, csp)
	}
	if shown && !strings.Contains(r.Body, xssShown) {
		t.Errorf("%s: the payload is not on the page (the case tests nothing):\n%s", where, clipBody(r.Body))
	}
}

// snippetAround returns the text near the first occurrence of s.
func snippetAround(body, s string) string {
	i := strings.Index(body, s)
	return body[max(0, i-300):min(len(body), i+300)]
}

// TestHostileXSS: a value an attacker stores or sends is shown as text in
// every place it appears: the todo list, the admin's tenant page, console
// results and history, the audit log, emails, forms kept after a refusal,
// and error pages.
func TestHostileXSS(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "xss-todo-title", attack: func(t *testing.T, h *hostileEnv) {
			h.acme.addTodo(acmeURL, xssPayload)
			id := strconv.FormatInt(h.todos("acme")[1].ID, 10)
			noXSS(t, "list", h.acme.get(acmeURL+"/"), true)
			noXSS(t, "active list", h.acme.get(acmeURL+"/active"), true)
			noXSS(t, "edit form", h.acme.get(acmeURL+"/?edit="+id), true)
			noXSS(t, "htmx add", h.acme.post(acmeURL+"/todos", url.Values{"title": {xssPayload}}, "HX-Request", "true"), true)
			noXSS(t, "htmx toggle", h.acme.post(acmeURL+"/todos/"+id+"/toggle", url.Values{"completed": {"1"}}, "HX-Request", "true"), true)
			long := xssPayload + strings.Repeat("x", 600)
			noXSS(t, "refused edit", h.acme.post(acmeURL+"/todos/"+id+"/edit", url.Values{"title": {long}}), true)
			noXSS(t, "refused htmx edit", h.acme.post(acmeURL+"/todos/"+id+"/edit", url.Values{"title": {long}}, "HX-Request", "true"), false)
		}},
		{name: "xss-todo-title-in-admin-console", attack: func(t *testing.T, h *hostileEnv) {
			h.acme.addTodo(acmeURL, xssPayload)
			noXSS(t, "console result", h.admin.post(adminURL+"/tenants/acme/console", url.Values{"sql": {"SELECT * FROM todos"}}), true)
			noXSS(t, "admin tenant page", h.admin.get(adminURL+"/tenants/acme"), false)
			noXSS(t, "dashboard", h.admin.get(adminURL+"/"), false)
		}},
		{name: "xss-console-sql-history-and-audit", attack: func(t *testing.T, h *hostileEnv) {
			sql := `SELECT '` + strings.ReplaceAll(xssPayload, "'", "''") + `' AS "` + strings.ReplaceAll(xssPayload, `"`, `""`) + `"`
			noXSS(t, "console result", h.admin.post(adminURL+"/tenants/acme/console", url.Values{"sql": {sql}}), true)
			noXSS(t, "console error", h.admin.post(adminURL+"/tenants/acme/console", url.Values{"sql": {xssPayload}}), true)
			noXSS(t, "console history", h.admin.get(adminURL+"/tenants/acme/console"), true)
			noXSS(t, "audit log", h.admin.get(adminURL+"/audit"), true)
			noXSS(t, "audit log filtered", h.admin.get(adminURL+"/audit?action=console-query"), true)
		}},
		{name: "xss-audit-tenant-from-refused-import", attack: func(t *testing.T, h *hostileEnv) {
			r := h.admin.importFile(xssPayload, craftDB(t))
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("import: %d", r.StatusCode)
			}
			noXSS(t, "dashboard with the refused form kept", h.admin.get(adminURL+r.Header.Get("Location")), true)
			noXSS(t, "audit log", h.admin.get(adminURL+"/audit"), true)
			noXSS(t, "audit log by tenant", h.admin.get(adminURL+"/audit?tenant="+url.QueryEscape(xssPayload)), true)
		}},
		{name: "xss-admin-forms-and-filters", attack: func(t *testing.T, h *hostileEnv) {
			q := url.QueryEscape(xssPayload)
			noXSS(t, "dashboard search", h.admin.get(adminURL+"/?q="+q), true)
			noXSS(t, "dashboard sort and status", h.admin.get(adminURL+"/?sort="+q+"&status="+q+"&page="+q), false)
			noXSS(t, "audit filters", h.admin.get(adminURL+"/audit?actor="+q+"&action="+q+"&tenant="+q), true)
			r := h.admin.post(adminURL+"/tenants", url.Values{"name": {xssPayload}, "region": {xssPayload}, "email": {xssPayload}})
			noXSS(t, "refused create", r, false)
			noXSS(t, "dashboard with the refused create kept", h.admin.get(adminURL+r.Header.Get("Location")), true)
			r = h.admin.post(adminURL+"/tenants/acme/clone", url.Values{"name": {xssPayload}})
			noXSS(t, "acme's page with the refused clone kept", h.admin.get(adminURL+r.Header.Get("Location")), true)
			r = h.admin.post(adminURL+"/tenants/acme/delete", url.Values{"confirm": {xssPayload}})
			noXSS(t, "acme's page after a refused delete", h.admin.get(adminURL+r.Header.Get("Location")), false)
		}},
		{name: "xss-emails", attack: func(t *testing.T, h *hostileEnv) {
			// The most markup a valid address can carry, signed up.
			const email = "o'b&r=`x{y}|z~@example.com"
			w := h.wire()
			r := w.post(siteURL+"/signup", url.Values{"name": {"quoted"}, "email": {email}, "password": {ownerPassword}, "region": {"local"}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign-up with %q: %d", email, r.StatusCode)
			}
			w.get(r.Header.Get("Location"))
			page := w.get("http://quoted.localhost:8080/")
			noXSS(t, "signed in as", page, false)
			mustContain(t, page.Body, "o&#39;b&amp;r=`x{y}|z~@example.com")
			// Any text at all, from an imported file, in the admin console.
			file := craftDB(t, "INSERT INTO users (email, password_hash, created_at) VALUES ('"+
				strings.ReplaceAll(xssPayload, "'", "''")+"@example.com', 'x', 0)")
			if r := h.admin.importFile("marked", file); r.StatusCode != http.StatusSeeOther || h.tenant("marked") == nil {
				t.Fatalf("import: %d %s", r.StatusCode, h.admin.follow(r))
			}
			noXSS(t, "console users", h.admin.post(adminURL+"/tenants/marked/console", url.Values{"sql": {"SELECT * FROM users"}}), true)
			// Typed where an email is asked for.
			noXSS(t, "admin login", h.wire().post(adminURL+"/login", url.Values{"email": {xssPayload}, "password": {"x"}}), true)
			noXSS(t, "tenant login", h.wire().login(acmeURL, xssPayload, "x"), true)
			noXSS(t, "sign-up", h.wire().post(siteURL+"/signup", url.Values{"name": {"fine-name"}, "email": {xssPayload},
				"password": {ownerPassword}, "region": {"local"}}), true)
		}},
		{name: "xss-site-forms-and-errors", attack: func(t *testing.T, h *hostileEnv) {
			q := url.QueryEscape(xssPayload)
			noXSS(t, "find", h.wire().get(siteURL+"/find?name="+q), true)
			noXSS(t, "refused sign-up", h.wire().post(siteURL+"/signup", url.Values{"name": {xssPayload}, "email": {"a@example.com"},
				"password": {ownerPassword}, "region": {xssPayload}}), true)
			noXSS(t, "admin 404", h.admin.get(adminURL+"/tenants/"+url.PathEscape(xssPayload)+"/console"), false)
			noXSS(t, "admin 404 htmx", h.admin.get(adminURL+"/tenants/"+url.PathEscape(xssPayload), "HX-Request", "true"), false)
			noXSS(t, "tenant 404", h.acme.get(acmeURL+"/"+url.PathEscape(xssPayload)), false)
			noXSS(t, "site 404", h.wire().get(siteURL+"/"+url.PathEscape(xssPayload)), false)
		}},
	})
}
