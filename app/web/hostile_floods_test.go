package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Addresses of the flood cases: the owner's, and the attacker's.
const (
	ownerAddr    = "198.51.100.20"
	attackerAddr = "203.0.113.5"
)

// behindProxy configures a reverse proxy on this host (127.0.0.1, the
// peer of every request here) that appends the client's address to
// X-Forwarded-For, with a short slow-down (where the server has one) so
// that a slowed account answers well within the suite's wait.
func behindProxy(_ *testing.T, cfg *Config) {
	cfg.TrustedProxies = []string{"127.0.0.1"}
	_ = trySetConfig(cfg, "Limits.LoginAccountMaxDelay", time.Second)
}

// flood runs n attempts at once; attempt(i) makes the i-th.
func flood(n int, attempt func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); attempt(i) }()
	}
	wg.Wait()
}

// loginFlood runs n sign-in attempts at once and fails unless each was a
// real one: answered, and refused for its password (401) or by a limit
// (429), not by the CSRF check or an error.
func loginFlood(t *testing.T, n int, attempt func(i int) (*response, error)) {
	t.Helper()
	var mu sync.Mutex
	other := map[string]int{}
	flood(n, func(i int) {
		r, err := attempt(i)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			other[err.Error()]++
		case r.StatusCode != http.StatusUnauthorized && r.StatusCode != http.StatusTooManyRequests:
			other[http.StatusText(r.StatusCode)]++
		}
	})
	if len(other) > 0 {
		t.Errorf("%d failed sign-ins at once: answers other than 401 and 429: %v", n, other)
	}
}

// badLogin is one failed sign-in on acme's owner, as w.
func badLogin(w *wire, headers ...string) (*response, error) {
	return w.tryPost(acmeURL+"/login", url.Values{"email": {ownerEmail}, "password": {"wrong password"}}, headers...)
}

// wantOwnerGetsIn fails unless acme's owner, from ownerAddr, signs in with
// the right password.
func wantOwnerGetsIn(t *testing.T, h *hostileEnv, base string, headers ...string) {
	t.Helper()
	w := h.wire(headers...)
	var r *response
	if base == adminURL {
		r = w.post(adminURL+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}})
	} else {
		r = w.login(base, ownerEmail, ownerPassword)
	}
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Errorf("the owner, after the flood, with the right password on %s: %d\n%s", base, r.StatusCode, clipBody(r.Body))
	}
}

// wantLimited fails unless the attacker w, making attempts one at a time,
// is refused (429) within tries.
func wantLimited(t *testing.T, what string, tries int, attempt func(i int) (*response, error)) {
	t.Helper()
	for i := range tries {
		r, err := attempt(i)
		if err != nil {
			t.Fatalf("%s, attempt %d: %v", what, i, err)
		}
		if r.StatusCode == http.StatusTooManyRequests {
			return
		}
	}
	t.Errorf("%s: %d failed attempts and never refused", what, tries)
}

// forgedClientHeaders are the headers a client may write to pass for
// another address.
func forgedClientHeaders(i int) []string {
	a := fmt.Sprintf("192.0.2.%d", i+1)
	return []string{"X-Forwarded-For", a, "Fly-Client-IP", a, "X-Real-IP", a, "True-Client-IP", a,
		"CF-Connecting-IP", a, "Forwarded", "for=" + a}
}

// TestHostileFloods: failed sign-ins from strangers never keep an owner
// out, forged addresses never dodge or aim a limit, and sign-ups from one
// client (or all) are limited.
func TestHostileFloods(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "flood-owner-not-locked-out-by-one-attacker", finding: "2,3", configure: behindProxy, attack: func(t *testing.T, h *hostileEnv) {
			attacker := h.wire("X-Forwarded-For", attackerAddr)
			attacker.token(acmeURL) // one CSRF cookie for all its attempts
			loginFlood(t, 30, func(int) (*response, error) { return badLogin(attacker) })
			wantOwnerGetsIn(t, h, acmeURL, "X-Forwarded-For", ownerAddr)
			// The attacker, though, is refused on that account, even with
			// the right password.
			if r := attacker.login(acmeURL, ownerEmail, ownerPassword); r.StatusCode != http.StatusTooManyRequests {
				t.Errorf("the attacker with the right password after 30 failures: %d", r.StatusCode)
			}
		}},
		{name: "flood-owner-not-locked-out-by-many-addresses", finding: "3", configure: behindProxy, attack: func(t *testing.T, h *hostileEnv) {
			loginFlood(t, 40, func(i int) (*response, error) {
				return badLogin(h.wire("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1)))
			})
			wantOwnerGetsIn(t, h, acmeURL, "X-Forwarded-For", ownerAddr)
		}},
		{name: "flood-admin-not-locked-out", finding: "3", configure: behindProxy, attack: func(t *testing.T, h *hostileEnv) {
			loginFlood(t, 30, func(i int) (*response, error) {
				w := h.wire("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i%3+1))
				return w.tryPost(adminURL+"/login", url.Values{"email": {testAdminEmail}, "password": {"wrong password"}})
			})
			wantOwnerGetsIn(t, h, adminURL, "X-Forwarded-For", ownerAddr)
		}},
		{name: "flood-forged-left-hop", finding: "2,3", configure: behindProxy, attack: func(t *testing.T, h *hostileEnv) {
			// The attacker writes the owner's address; the proxy appends
			// the attacker's real one.
			attacker := h.wire("X-Forwarded-For", ownerAddr+", "+attackerAddr)
			attacker.token(acmeURL)
			loginFlood(t, 30, func(int) (*response, error) { return badLogin(attacker) })
			wantOwnerGetsIn(t, h, acmeURL, "X-Forwarded-For", ownerAddr)
		}},
		{name: "flood-forged-headers-no-proxy", finding: "2", attack: func(t *testing.T, h *hostileEnv) {
			// No proxy is trusted: every forged address is the same peer.
			w := h.wire()
			wantLimited(t, "a peer rotating forged client headers", 20, func(i int) (*response, error) {
				return badLogin(w, forgedClientHeaders(i)...)
			})
		}},
		{name: "flood-forged-headers-peer-not-the-proxy", finding: "2", configure: trustProxies("10.0.0.1"), attack: func(t *testing.T, h *hostileEnv) {
			w := h.wire()
			wantLimited(t, "a peer that is not the proxy, rotating forged client headers", 20, func(i int) (*response, error) {
				return badLogin(w, forgedClientHeaders(i)...)
			})
		}},
		{name: "flood-fly-client-ip-forged", finding: "2", configure: func(t *testing.T, cfg *Config) {
			behindProxy(t, cfg)
			setConfig(t, cfg, "ClientIPHeader", "Fly-Client-IP")
		}, attack: func(t *testing.T, h *hostileEnv) {
			// On Fly: the client writes the owner's address in
			// Fly-Client-IP and X-Forwarded-For; Fly's proxy adds its own
			// Fly-Client-IP, last.
			attack := func(int) (*response, error) {
				w := h.wire()
				tok, err := w.tryToken(acmeURL)
				if err != nil {
					return nil, err
				}
				form := url.Values{"email": {ownerEmail}, "password": {"wrong password"}, csrfField: {tok}}
				req, _ := http.NewRequest(http.MethodPost, acmeURL+"/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", ownerAddr)
				req.Header.Add("Fly-Client-IP", ownerAddr)
				req.Header.Add("Fly-Client-IP", attackerAddr)
				return w.trySend(req)
			}
			loginFlood(t, 30, attack)
			wantOwnerGetsIn(t, h, acmeURL, "Fly-Client-IP", ownerAddr)
			wantLimited(t, "the Fly attacker", 5, attack)
		}},
		{name: "flood-ipv6-addresses-of-one-subscriber", finding: "3", configure: behindProxy, attack: func(t *testing.T, h *hostileEnv) {
			// A new address of the same /64 for every attempt.
			wantLimited(t, "one /64, a new address each attempt", 20, func(i int) (*response, error) {
				return badLogin(h.wire("X-Forwarded-For", fmt.Sprintf("2001:db8:1:1::%x", i+1)))
			})
			wantOwnerGetsIn(t, h, acmeURL, "X-Forwarded-For", "2001:db8:2:2::1")
		}},
		{name: "flood-signups-from-one-client", finding: "4", configure: func(t *testing.T, cfg *Config) {
			setConfig(t, cfg, "Limits.SignupPerHour", 3)
		}, attack: func(t *testing.T, h *hostileEnv) {
			created, limited := signupFlood(h, 20, func(int) []string { return nil })
			if created > 3 || limited == 0 {
				t.Errorf("20 parallel sign-ups from one client with a limit of 3: %d lists, %d refused with 429", created, limited)
			}
		}},
		{name: "flood-signups-with-forged-addresses", finding: "2,4", configure: func(t *testing.T, cfg *Config) {
			setConfig(t, cfg, "Limits.SignupPerHour", 3)
		}, attack: func(t *testing.T, h *hostileEnv) {
			created, _ := signupFlood(h, 20, forgedClientHeaders)
			if created > 3 {
				t.Errorf("20 parallel sign-ups from one peer with forged addresses and a limit of 3: %d lists", created)
			}
		}},
		{name: "flood-signups-global", finding: "4", configure: func(t *testing.T, cfg *Config) {
			behindProxy(t, cfg)
			setConfig(t, cfg, "Limits.SignupPerHour", 2)
			setConfig(t, cfg, "Limits.SignupGlobalPerHour", 5)
		}, attack: func(t *testing.T, h *hostileEnv) {
			created, _ := signupFlood(h, 20, func(i int) []string {
				return []string{"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1)}
			})
			if created > 5 {
				t.Errorf("20 parallel sign-ups from 20 clients with a global limit of 5: %d lists", created)
			}
		}},
	})
}

// signupFlood makes n sign-ups at once, the i-th with headers(i), and
// returns how many lists were made and how many were refused with 429.
func signupFlood(h *hostileEnv, n int, headers func(i int) []string) (created, limited int) {
	h.t.Helper()
	before := h.tenantCount()
	var mu sync.Mutex
	flood(n, func(i int) {
		w := h.wire(headers(i)...)
		r, err := w.tryPost(siteURL+"/signup", url.Values{"name": {fmt.Sprintf("flood-%d", i)},
			"email": {"f@example.com"}, "password": {ownerPassword}, "region": {"local"}})
		if err == nil && r.StatusCode == http.StatusTooManyRequests {
			mu.Lock()
			limited++
			mu.Unlock()
		}
	})
	return h.tenantCount() - before, limited
}
