package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// adminPages are the admin host's pages that need a session.
var adminPages = []string{"/", "/?status=deleted", "/audit", "/tenants/acme", "/tenants/acme/console", "/tenants/acme/export"}

// TestHostileSessions: a session works on its own host only, ends for good
// at sign-out, and a new one starts (with a new token) at every sign-in.
func TestHostileSessions(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "session-tenant-on-other-tenant", attack: func(t *testing.T, h *hostileEnv) {
			thief := h.wire()
			thief.copyCookies(h.acme, "acme.localhost:8080", "bravo.localhost:8080")
			wantLogin(t, thief.get(bravoURL+"/"), "acme's session on bravo")
			wantLogin(t, thief.get(bravoURL+"/completed"), "acme's session on bravo /completed")
			// With a CSRF token that matches the copied cookie: still no user.
			r := thief.post(bravoURL+"/todos/clear-completed", url.Values{})
			wantLogin(t, r, "acme's session writing on bravo")
		}},
		{name: "session-tenant-on-admin", attack: func(t *testing.T, h *hostileEnv) {
			thief := h.wire()
			thief.copyCookies(h.acme, "acme.localhost:8080", "admin.localhost:8080")
			for _, p := range adminPages {
				wantLogin(t, thief.get(adminURL+p), "acme's session on admin "+p)
			}
			if r := thief.get(adminURL + "/metrics"); r.StatusCode != http.StatusUnauthorized {
				t.Errorf("acme's session on /metrics: %d", r.StatusCode)
			}
			r := thief.post(adminURL+"/tenants/bravo/suspend", url.Values{})
			wantLogin(t, r, "acme's session suspending bravo")
		}},
		{name: "session-admin-on-tenant", attack: func(t *testing.T, h *hostileEnv) {
			thief := h.wire()
			thief.copyCookies(h.admin, "admin.localhost:8080", "acme.localhost:8080")
			wantLogin(t, thief.get(acmeURL+"/"), "the admin's session on acme")
			wantLogin(t, thief.post(acmeURL+"/todos", url.Values{"title": {"planted"}}), "the admin's session writing on acme")
		}},
		{name: "session-replay-after-tenant-sign-out", attack: func(t *testing.T, h *hostileEnv) {
			old := h.acme.cookie("acme.localhost:8080", sessionCookie)
			if r := h.acme.post(acmeURL+"/logout", url.Values{}); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign-out: %d", r.StatusCode)
			}
			replay := h.wire()
			replay.setCookie("acme.localhost:8080", sessionCookie, old)
			wantLogin(t, replay.get(acmeURL+"/"), "the signed-out session")
			wantLogin(t, replay.post(acmeURL+"/todos", url.Values{"title": {"replayed"}}), "the signed-out session writing")
			if h.tenantHasSession("acme", old) {
				t.Error("the signed-out session is still stored")
			}
		}},
		{name: "session-replay-after-admin-sign-out", attack: func(t *testing.T, h *hostileEnv) {
			old := h.admin.cookie("admin.localhost:8080", sessionCookie)
			if r := h.admin.post(adminURL+"/logout", url.Values{}); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign-out: %d", r.StatusCode)
			}
			replay := h.wire()
			replay.setCookie("admin.localhost:8080", sessionCookie, old)
			for _, p := range adminPages {
				wantLogin(t, replay.get(adminURL+p), "the signed-out admin session on "+p)
			}
			wantLogin(t, replay.post(adminURL+"/tenants/bravo/suspend", url.Values{}), "the signed-out admin session suspending bravo")
		}},
		{name: "session-fixation-tenant", attack: func(t *testing.T, h *hostileEnv) {
			// The attacker plants a token, the victim signs in with it.
			planted := strings.Repeat("A", 43)
			victim := h.wire()
			victim.setCookie("acme.localhost:8080", sessionCookie, planted)
			victim.signIn(acmeURL, ownerEmail, ownerPassword)
			if got := victim.cookie("acme.localhost:8080", sessionCookie); got == planted || got == "" {
				t.Errorf("sign-in kept the planted token")
			}
			attacker := h.wire()
			attacker.setCookie("acme.localhost:8080", sessionCookie, planted)
			wantLogin(t, attacker.get(acmeURL+"/"), "the planted token after the victim's sign-in")
		}},
		{name: "session-rotation-at-tenant-sign-in", attack: func(t *testing.T, h *hostileEnv) {
			before := h.acme.cookie("acme.localhost:8080", sessionCookie)
			h.acme.signIn(acmeURL, ownerEmail, ownerPassword)
			after := h.acme.cookie("acme.localhost:8080", sessionCookie)
			if after == before || after == "" {
				t.Fatalf("sign-in kept the session token")
			}
			old := h.wire()
			old.setCookie("acme.localhost:8080", sessionCookie, before)
			wantLogin(t, old.get(acmeURL+"/"), "the token from before the sign-in")
		}},
		{name: "session-fixation-and-rotation-admin", attack: func(t *testing.T, h *hostileEnv) {
			planted := strings.Repeat("B", 43)
			victim := h.wire()
			victim.setCookie("admin.localhost:8080", sessionCookie, planted)
			victim.adminSignIn()
			first := victim.cookie("admin.localhost:8080", sessionCookie)
			if first == planted || first == "" {
				t.Errorf("admin sign-in kept the planted token")
			}
			victim.adminSignIn()
			if second := victim.cookie("admin.localhost:8080", sessionCookie); second == first {
				t.Errorf("a second admin sign-in kept the token")
			}
			for _, tok := range []string{planted, first} {
				old := h.wire()
				old.setCookie("admin.localhost:8080", sessionCookie, tok)
				wantLogin(t, old.get(adminURL+"/"), "an admin token from before a sign-in")
			}
		}},
		{name: "session-cookie-flags", attack: func(t *testing.T, h *hostileEnv) {
			for _, base := range []string{acmeURL, adminURL} {
				w := h.wire()
				var r *response
				if base == adminURL {
					r = w.post(adminURL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}})
				} else {
					r = w.login(base, ownerEmail, ownerPassword)
				}
				var found bool
				for _, line := range r.Header.Values("Set-Cookie") {
					if !strings.HasPrefix(line, sessionCookie+"=") {
						continue
					}
					found = true
					low := strings.ToLower(line)
					if strings.Contains(low, "domain=") || !strings.Contains(low, "httponly") || !strings.Contains(low, "samesite=lax") {
						t.Errorf("%s session cookie: %s", base, line)
					}
				}
				if !found {
					t.Errorf("%s: no session cookie at sign-in", base)
				}
			}
		}},
		{name: "session-handoff-token-on-other-host", attack: func(t *testing.T, h *hostileEnv) {
			w := h.wire()
			r := w.post(siteURL+"/signup", url.Values{"name": {"newco"}, "email": {"new@example.com"},
				"password": {ownerPassword}, "region": {"local"}})
			loc := r.Header.Get("Location")
			_, token, ok := strings.Cut(loc, "/auth/handoff?token=")
			if r.StatusCode != http.StatusSeeOther || !ok {
				t.Fatalf("sign-up: %d %q", r.StatusCode, loc)
			}
			thief := h.wire()
			if r := thief.get(bravoURL + "/auth/handoff?token=" + token); r.StatusCode != http.StatusUnauthorized {
				t.Errorf("newco's hand-off on bravo: %d", r.StatusCode)
			}
			wantLogin(t, thief.get(bravoURL+"/"), "after newco's hand-off on bravo")
			if r := thief.get(adminURL + "/auth/handoff?token=" + token); r.StatusCode < 300 || r.StatusCode == http.StatusOK {
				t.Errorf("newco's hand-off on admin: %d", r.StatusCode)
			}
			wantLogin(t, thief.get(adminURL+"/"), "after newco's hand-off on admin")
		}},
		{name: "session-outlives-its-tenant-name", attack: func(t *testing.T, h *hostileEnv) {
			// acme is deleted and purged; someone else signs up as acme.
			stale := h.acme.cookie("acme.localhost:8080", sessionCookie)
			h.admin.post(adminURL+"/tenants/acme/delete", url.Values{"confirm": {"acme"}})
			h.admin.post(adminURL+"/tenants/acme/purge", url.Values{"confirm": {"acme"}})
			if h.tenant("acme") != nil {
				t.Fatal("acme was not purged")
			}
			r := h.wire().post(siteURL+"/signup", url.Values{"name": {"acme"}, "email": {"someone@example.com"},
				"password": {ownerPassword}, "region": {"local"}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign-up as acme again: %d", r.StatusCode)
			}
			old := h.wire()
			old.setCookie("acme.localhost:8080", sessionCookie, stale)
			wantLogin(t, old.get(acmeURL+"/"), "the old acme's session on the new acme")
		}},
		{name: "session-event-stream-ends-at-sign-out", finding: "9", attack: func(t *testing.T, h *hostileEnv) {
			req, _ := http.NewRequest(http.MethodGet, adminURL+"/events", nil)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: h.admin.cookie("admin.localhost:8080", sessionCookie)})
			client := &http.Client{Transport: h.net.client.Transport} // no overall timeout: a stream
			resp, err := client.Do(req)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("/events: %v %v", resp, err)
			}
			defer resp.Body.Close()
			stream := newEventStream(t, resp.Body)
			stream.waitFor(": connected")
			if r := h.admin.post(adminURL+"/logout", url.Values{}); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign-out: %d", r.StatusCode)
			}
			deadline := time.After(wireTimeout)
			for {
				select {
				case _, open := <-stream.lines:
					if !open {
						return // ended
					}
				case <-deadline:
					t.Fatalf("the event stream still runs %s after its admin signed out", wireTimeout)
				}
			}
		}},
	})
}
