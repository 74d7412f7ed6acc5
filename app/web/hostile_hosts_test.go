package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestHostileHosts: Host and forwarding headers a client writes must never
// reach another host's app, raise its limits, or go into redirects.
func TestHostileHosts(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "forged-x-forwarded-host", attack: func(t *testing.T, h *hostileEnv) {
			// No proxy is trusted: the header is nobody's word.
			r := h.acme.get(acmeURL+"/login", "X-Forwarded-Host", "admin.localhost:8080")
			mustNotContain(t, r.Body, `form id="admin-login"`)
			r = h.admin.get(acmeURL+"/", "X-Forwarded-Host", "admin.localhost:8080")
			mustNotContain(t, r.Body, "admin-login", "Audit log")
			r = h.wire().get(siteURL+"/", "X-Forwarded-Host", "acme.localhost:8080")
			mustNotContain(t, r.Body, "acme secret")
		}},
		{name: "forged-x-forwarded-host-untrusted-peer", configure: trustProxies("10.0.0.1"), attack: func(t *testing.T, h *hostileEnv) {
			// A proxy is trusted, but this peer is not it.
			r := h.acme.get(acmeURL+"/", "X-Forwarded-Host", "bravo.localhost:8080")
			if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "acme secret") || strings.Contains(r.Body, "bravo secret") {
				t.Errorf("acme with X-Forwarded-Host bravo: %d\n%s", r.StatusCode, clipBody(r.Body))
			}
			r = h.wire().get(acmeURL+"/login", "X-Forwarded-Host", "admin.localhost:8080")
			mustNotContain(t, r.Body, `form id="admin-login"`)
		}},
		{name: "forged-x-forwarded-proto", attack: func(t *testing.T, h *hostileEnv) {
			r := h.wire().get(siteURL+"/find?name=acme", "X-Forwarded-Proto", "https")
			if loc := r.Header.Get("Location"); loc != acmeURL+"/" {
				t.Errorf("find with a forged X-Forwarded-Proto redirects to %q", loc)
			}
		}},
		{name: "host-userinfo-in-redirects", finding: "9", configure: trustProxies("127.0.0.1"), attack: func(t *testing.T, h *hostileEnv) {
			// The port part of the host must not reach a redirect, whether
			// it came as Host or from the proxy as X-Forwarded-Host.
			wantSafeRedirects(t, h, "localhost:8080@evil.example", "localhost:@evil.example:80")
		}},
		{name: "host-port-not-a-number", finding: "9", configure: trustProxies("127.0.0.1"), attack: func(t *testing.T, h *hostileEnv) {
			wantSafeRedirects(t, h, "localhost:evil.example", "localhost:8080evil", "localhost:99999", "localhost:-1")
		}},
		{name: "host-path-in-port", finding: "9", configure: trustProxies("127.0.0.1"), attack: func(t *testing.T, h *hostileEnv) {
			wantSafeRedirects(t, h, "localhost:8080/evil", "localhost:8080\\evil.example", "localhost:8080#x", "localhost:8080?x")
		}},
		{name: "host-userinfo-in-signup-handoff", finding: "9", configure: trustProxies("127.0.0.1"), attack: func(t *testing.T, h *hostileEnv) {
			// The hand-off token of a sign-up must go to the product's own
			// host, whatever the host header said.
			for i, header := range []string{"Host: localhost:8080@evil.example", "Host: localhost:8080\r\nX-Forwarded-Host: localhost:8080@evil.example"} {
				w := h.wire()
				tok := w.token(siteURL + "/")
				name := fmt.Sprintf("newco%d", i)
				form := url.Values{csrfField: {tok}, "name": {name}, "email": {"new@example.com"},
					"password": {ownerPassword}, "region": {"local"}}.Encode()
				cookie := "todos_csrf=" + w.cookie("localhost:8080", csrfCookie)
				wantSafeRedirect(t, h, "POST /signup HTTP/1.1\r\n"+header+"\r\nCookie: "+cookie+
					"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "+strconv.Itoa(len(form))+"\r\n\r\n"+form, name+".localhost")
			}
		}},
		{name: "host-punycode", finding: "9", attack: func(t *testing.T, h *hostileEnv) {
			if r := h.wire().get("http://xn--80ak6aa92e.localhost:8080/"); r.StatusCode != http.StatusNotFound {
				t.Errorf("a punycode host: %d", r.StatusCode)
			}
			r := h.wire().post(siteURL+"/signup", url.Values{"name": {"xn--80ak6aa92e"}, "email": {"x@example.com"},
				"password": {ownerPassword}, "region": {"local"}})
			if r.StatusCode != http.StatusUnprocessableEntity || h.tenant("xn--80ak6aa92e") != nil {
				t.Errorf("sign-up of a punycode name: %d", r.StatusCode)
			}
		}},
		{name: "host-uppercase", attack: func(t *testing.T, h *hostileEnv) {
			// Case changes nothing: the same tenant, the same session rules.
			if r := h.acme.get("http://ACME.LOCALHOST:8080/"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "acme secret") {
				t.Errorf("owner on ACME.LOCALHOST: %d", r.StatusCode)
			}
			thief := h.wire()
			thief.copyCookies(h.bravo, "bravo.localhost:8080", "acme.localhost:8080")
			wantLogin(t, thief.get("http://AcMe.LocalHost:8080/"), "bravo's cookie on AcMe.LocalHost")
			thief.copyCookies(h.acme, "acme.localhost:8080", "admin.localhost:8080")
			wantLogin(t, thief.get("http://ADMIN.LOCALHOST:8080/"), "acme's cookie on ADMIN.LOCALHOST")
		}},
		{name: "host-trailing-dot", attack: func(t *testing.T, h *hostileEnv) {
			if r := h.acme.get("http://acme.localhost.:8080/"); r.StatusCode != http.StatusOK && r.StatusCode != http.StatusSeeOther {
				t.Errorf("acme.localhost.: %d", r.StatusCode)
			}
			thief := h.wire()
			thief.copyCookies(h.bravo, "bravo.localhost:8080", "acme.localhost.:8080")
			wantLogin(t, thief.get("http://acme.localhost.:8080/"), "bravo's cookie on acme.localhost.")
			thief.copyCookies(h.acme, "acme.localhost:8080", "admin.localhost.:8080")
			wantLogin(t, thief.get("http://admin.localhost.:8080/"), "acme's cookie on admin.localhost.")
		}},
		{name: "host-foreign-and-nested", attack: func(t *testing.T, h *hostileEnv) {
			for _, host := range []string{"admin.acme.localhost:8080", "acme.localhost.evil.example", "evil.example",
				"127.0.0.1:8080", "[::1]:8080", "acme..localhost", ".localhost", "acme.localhost:8080:9090",
				strings.Repeat("a", 4000) + ".localhost"} {
				ans, err := h.raw("GET / HTTP/1.1\r\nHost: "+host+"\r\n\r\n", wireTimeout)
				if err != nil {
					t.Errorf("Host %.40q: no answer: %v", host, err)
					continue
				}
				if ans.Status != http.StatusNotFound && ans.Status != http.StatusBadRequest &&
					ans.Status != http.StatusRequestHeaderFieldsTooLarge {
					t.Errorf("Host %.40q: %d\n%s", host, ans.Status, clipBody(ans.Body))
				}
				mustNotContain(t, ans.Body, "acme secret", "admin-login")
			}
		}},
		{name: "host-missing", attack: func(t *testing.T, h *hostileEnv) {
			for _, req := range []string{"GET / HTTP/1.0\r\n\r\n", "GET / HTTP/1.1\r\nHost:\r\n\r\n"} {
				ans, err := h.raw(req, wireTimeout)
				if err != nil {
					t.Errorf("%q: no answer: %v", req, err)
				} else if ans.Status != http.StatusNotFound && ans.Status != http.StatusBadRequest {
					t.Errorf("%q: %d", req, ans.Status)
				}
			}
		}},
		{name: "host-duplicate-header", attack: func(t *testing.T, h *hostileEnv) {
			// bravo's owner asks with two Host headers, one of them acme's.
			for _, hosts := range [][2]string{{"bravo.localhost:8080", "acme.localhost:8080"}, {"acme.localhost:8080", "bravo.localhost:8080"}} {
				head := h.bravo.head("GET", "bravo.localhost:8080", "/")
				head = strings.Replace(head, "Host: bravo.localhost:8080\r\n", "Host: "+hosts[0]+"\r\nHost: "+hosts[1]+"\r\n", 1)
				ans, err := h.raw(head, wireTimeout)
				if err != nil {
					t.Errorf("two Host headers %v: no answer: %v", hosts, err)
					continue
				}
				if ans.Status >= 500 {
					t.Errorf("two Host headers %v: %d", hosts, ans.Status)
				}
				mustNotContain(t, ans.Body, "acme secret")
			}
		}},
		{name: "host-absolute-uri", attack: func(t *testing.T, h *hostileEnv) {
			// An absolute request target names another host than Host.
			for _, target := range [][2]string{{"http://admin.localhost:8080/", "acme.localhost:8080"}, {"http://acme.localhost:8080/", "bravo.localhost:8080"}} {
				head := h.bravo.head("GET", "bravo.localhost:8080", target[0])
				head = strings.Replace(head, "Host: bravo.localhost:8080\r\n", "Host: "+target[1]+"\r\n", 1)
				ans, err := h.raw(head, wireTimeout)
				if err != nil {
					t.Errorf("GET %s with Host %s: no answer: %v", target[0], target[1], err)
					continue
				}
				if ans.Status >= 500 {
					t.Errorf("GET %s with Host %s: %d", target[0], target[1], ans.Status)
				}
				mustNotContain(t, ans.Body, "acme secret", "Audit log")
			}
		}},
	})
}

// trustProxies returns a configure function that trusts the proxies list.
func trustProxies(list ...string) func(*testing.T, *Config) {
	return func(_ *testing.T, cfg *Config) { cfg.TrustedProxies = list }
}

// wantSafeRedirects asks /find for acme with each host, as the Host header
// and as a trusted proxy's X-Forwarded-Host, and fails unless each answer
// is refused or a redirect to acme built from validated parts.
func wantSafeRedirects(t *testing.T, h *hostileEnv, hosts ...string) {
	t.Helper()
	for _, host := range hosts {
		wantSafeRedirect(t, h, "GET /find?name=acme HTTP/1.1\r\nHost: "+host+"\r\n\r\n", "acme.localhost")
		wantSafeRedirect(t, h, "GET /find?name=acme HTTP/1.1\r\nHost: localhost:8080\r\nX-Forwarded-Host: "+host+"\r\n\r\n", "acme.localhost")
	}
}

// wantSafeRedirect sends a raw request and fails unless it is refused or
// answered with a redirect to wantHost on a numeric port and nothing else.
func wantSafeRedirect(t *testing.T, h *hostileEnv, request, wantHost string) {
	t.Helper()
	ans, err := h.raw(request, wireTimeout)
	if err != nil {
		t.Errorf("%.60q: no answer: %v", request, err)
		return
	}
	if ans.Status >= 400 && ans.Status < 500 {
		return // refused
	}
	loc := ans.Header.Get("Location")
	u, err := url.Parse(loc)
	if err != nil {
		t.Errorf("%.60q: %d, redirect to %q: not a URL", request, ans.Status, loc)
		return
	}
	port, perr := strconv.Atoi(u.Port())
	if ans.Status != http.StatusSeeOther || u.User != nil || u.Hostname() != wantHost ||
		strings.ContainsAny(loc, "\\") || (u.Port() != "" && (perr != nil || port < 1 || port > 65535)) ||
		(u.Path != "/" && u.Path != "/auth/handoff") || (u.RawQuery != "" && !strings.HasPrefix(u.RawQuery, "token=")) {
		t.Errorf("%.60q: %d, redirect to %q: not built from validated parts", request, ans.Status, loc)
	}
}

// wantLogin fails unless r sends the client to the login page.
func wantLogin(t *testing.T, r *response, what string) {
	t.Helper()
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("%s: %d %q; want a redirect to /login", what, r.StatusCode, r.Header.Get("Location"))
	}
	mustNotContain(t, r.Body, "acme secret", "bravo secret")
}
