package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// csrfRoute is a state-changing route and the form a real use of it sends.
type csrfRoute struct {
	base, path string
	form       url.Values
	// mayBeAbsent: the route is added by a fix (export as a POST); until
	// then 404 or 405 are as safe as 403.
	mayBeAbsent bool
}

// csrfRoutes lists every state-changing route of every host, with forms
// that would change acme, its owner's session or the admin's.
func csrfRoutes(acmeTodo int64) []csrfRoute {
	id := strconv.FormatInt(acmeTodo, 10)
	v := func(kv ...string) url.Values {
		form := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			form.Set(kv[i], kv[i+1])
		}
		return form
	}
	return []csrfRoute{
		{base: siteURL, path: "/signup", form: v("name", "planted", "email", "x@example.com", "password", ownerPassword, "region", "local")},
		{base: acmeURL, path: "/login", form: v("email", ownerEmail, "password", ownerPassword)},
		{base: acmeURL, path: "/logout"},
		{base: acmeURL, path: "/todos", form: v("title", "planted")},
		{base: acmeURL, path: "/todos/toggle-all"},
		{base: acmeURL, path: "/todos/clear-completed"},
		{base: acmeURL, path: "/todos/" + id + "/toggle"},
		{base: acmeURL, path: "/todos/" + id + "/edit", form: v("title", "defaced")},
		{base: acmeURL, path: "/todos/" + id + "/delete"},
		{base: adminURL, path: "/login", form: v("email", testAdminEmail, "password", testAdminPassword)},
		{base: adminURL, path: "/logout"},
		{base: adminURL, path: "/tenants", form: v("name", "planted", "region", "local", "email", "x@example.com")},
		{base: adminURL, path: "/tenants/import", form: v("name", "planted", "region", "local")},
		{base: adminURL, path: "/tenants/acme/clone", form: v("name", "planted")},
		{base: adminURL, path: "/tenants/acme/export", mayBeAbsent: true},
		{base: adminURL, path: "/tenants/acme/suspend"},
		{base: adminURL, path: "/tenants/acme/resume"},
		{base: adminURL, path: "/tenants/acme/delete", form: v("confirm", "acme")},
		{base: adminURL, path: "/tenants/acme/restore"},
		{base: adminURL, path: "/tenants/acme/purge", form: v("confirm", "acme")},
		{base: adminURL, path: "/tenants/acme/console", form: v("sql", "DELETE FROM todos", "write", "1", "confirm_write", "1")},
	}
}

// csrfVariant forges one kind of cross-site request: it returns the
// victim's request to send (form and headers).
type csrfVariant func(h *hostileEnv, victim *wire, rt csrfRoute) (url.Values, []string)

// TestHostileCSRF: every state-changing route of every host refuses a
// request whose CSRF token is missing, forged, another host's, or comes
// from another site; and nothing changes.
func TestHostileCSRF(t *testing.T) {
	variants := []struct {
		name, finding string
		forge         csrfVariant
	}{
		{"csrf-missing-token", "", func(h *hostileEnv, victim *wire, rt csrfRoute) (url.Values, []string) {
			return copyForm(rt.form), nil
		}},
		{"csrf-forged-token", "", func(h *hostileEnv, victim *wire, rt csrfRoute) (url.Values, []string) {
			form := copyForm(rt.form)
			form.Set(csrfField, "forged")
			return form, []string{csrfHeader, "Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbi1mb3JnZWQtdG9r"}
		}},
		{"csrf-other-hosts-token", "", func(h *hostileEnv, victim *wire, rt csrfRoute) (url.Values, []string) {
			// The victim's own valid token, but of another host.
			other := bravoURL
			if rt.base == bravoURL {
				other = acmeURL
			}
			form := copyForm(rt.form)
			form.Set(csrfField, victim.token(other))
			return form, nil
		}},
		{"csrf-cross-site-origin", "", func(h *hostileEnv, victim *wire, rt csrfRoute) (url.Values, []string) {
			form := copyForm(rt.form)
			form.Set(csrfField, victim.token(rt.base))
			return form, []string{"Origin", "http://evil.example"}
		}},
		{"csrf-sibling-origin", "", func(h *hostileEnv, victim *wire, rt csrfRoute) (url.Values, []string) {
			// Another tenant's host is another site for the product.
			form := copyForm(rt.form)
			form.Set(csrfField, victim.token(rt.base))
			return form, []string{"Referer", bravoURL + "/"}
		}},
		{"csrf-tossed-cookie-pair", "new", func(h *hostileEnv, victim *wire, rt csrfRoute) (url.Values, []string) {
			// A cookie and its token taken by the attacker on a host of
			// their own (bravo), planted in the victim's browser (a cookie
			// for the parent domain): a token must name its host.
			attacker := h.wire()
			tok := attacker.token(bravoURL)
			host := hostOf(rt.base)
			victim.setCookie(host, csrfCookie, attacker.cookie("bravo.localhost:8080", csrfCookie))
			form := copyForm(rt.form)
			form.Set(csrfField, tok)
			return form, nil
		}},
	}
	var cases []hostileCase
	for _, variant := range variants {
		cases = append(cases, hostileCase{name: variant.name, finding: variant.finding, attack: func(t *testing.T, h *hostileEnv) {
			acmeTodos := h.todos("acme")
			before := csrfState(h)
			for _, rt := range csrfRoutes(acmeTodos[0].ID) {
				victim := h.admin
				switch rt.base {
				case acmeURL:
					victim = h.acme
				case siteURL:
					victim = h.wire()
				}
				form, headers := variant.forge(h, victim, rt)
				r := victim.do(http.MethodPost, rt.base+rt.path, form, headers...)
				refused := r.StatusCode == http.StatusForbidden ||
					rt.mayBeAbsent && (r.StatusCode == http.StatusNotFound || r.StatusCode == http.StatusMethodNotAllowed)
				if !refused || r.Header.Get("Content-Disposition") != "" {
					t.Errorf("POST %s%s: %d %q; want 403", hostOf(rt.base), rt.path, r.StatusCode, r.Header.Get("Location"))
				}
				if after := csrfState(h); after != before {
					t.Fatalf("POST %s%s changed the state:\n%s\nwas\n%s", hostOf(rt.base), rt.path, after, before)
				}
			}
		}})
	}
	runHostile(t, cases)
}

// csrfState describes what a forged request could change: the tenants,
// acme's todos, and whether the admin and acme's owner are signed in.
func csrfState(h *hostileEnv) string {
	h.t.Helper()
	admin := h.admin.get(adminURL + "/").StatusCode
	owner := h.acme.get(acmeURL + "/").StatusCode
	var todos []string
	for _, td := range h.todos("acme") {
		todos = append(todos, fmt.Sprintf("%d %q %v", td.ID, td.Title, td.Completed))
	}
	return fmt.Sprintf("tenants %v\nacme todos %v\nadmin page %d, acme page %d", h.tenantNames(), todos, admin, owner)
}

// copyForm copies a form (nil gives an empty one).
func copyForm(form url.Values) url.Values {
	out := url.Values{}
	for k, vs := range form {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// hostOf returns the host (and port) of a URL.
func hostOf(rawURL string) string {
	u, _ := url.Parse(rawURL)
	return u.Host
}
