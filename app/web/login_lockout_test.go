package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// A stranger who fails on purpose is stopped, but cannot lock the owner
// out: the right password from a client that has not been failing gets in,
// on a tenant host and on the admin host.
func TestFailuresCannotLockOutTheOwner(t *testing.T) {
	tests := []struct {
		name, loginURL, email, password string
		setup                           func(env *testEnv)
	}{
		{"tenant", "http://acme.localhost:8080/login", "owner@example.com", "correct horse",
			func(env *testEnv) { env.createTenant("acme") }},
		{"admin", adminURL + "/login", testAdminEmail, testAdminPassword,
			func(env *testEnv) { env.createAdmin(testAdminEmail, testAdminPassword) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			tt.setup(env)
			attacker := env.browserFrom("6.6.6.6")
			wrong := url.Values{"email": {tt.email}, "password": {"wrong guess"}}
			limited := 0
			for i := 0; i < 60; i++ {
				switch r := attacker.post(tt.loginURL, wrong); r.StatusCode {
				case http.StatusUnauthorized:
				case http.StatusTooManyRequests:
					limited++
				default:
					t.Fatalf("attempt %d: %d", i, r.StatusCode)
				}
			}
			if limited == 0 {
				t.Fatalf("60 wrong passwords from one client were never refused")
			}
			right := url.Values{"email": {tt.email}, "password": {tt.password}}
			// The client that has been failing stays refused, even with the
			// right password: brute force from one client is still stopped.
			if r := attacker.post(tt.loginURL, right); r.StatusCode != http.StatusTooManyRequests {
				t.Errorf("the failing client with the right password: %d, want 429", r.StatusCode)
			}
			// The owner, from another address, gets in.
			if r := env.browserFrom("9.9.9.9").post(tt.loginURL, right); r.StatusCode != http.StatusSeeOther {
				t.Errorf("the owner after a stranger's failures: %d, want 303\n%s", r.StatusCode, clipBody(r.Body))
			}
		})
	}
}

// Many clients failing on one account slow every attempt on it down, with
// a bounded delay (recorded here instead of slept), and never lock it: the
// owner from a clean client gets in.
func TestManyClientsSlowAnAccountButNeverLockIt(t *testing.T) {
	env := newTestEnv(t)
	env.createTenant("acme")
	var mu sync.Mutex
	var slept []time.Duration
	env.srv.limiter.sleep = func(_ context.Context, d time.Duration) {
		mu.Lock()
		slept = append(slept, d)
		mu.Unlock()
	}
	for i := 0; i < 25; i++ {
		r := env.browserFrom(fmt.Sprintf("6.6.%d.1", i)).post("http://acme.localhost:8080/login",
			url.Values{"email": {"owner@example.com"}, "password": {"wrong guess"}})
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("client %d: %d", i, r.StatusCode)
		}
	}
	r := env.browserFrom("9.9.9.9").post("http://acme.localhost:8080/login",
		url.Values{"email": {"owner@example.com"}, "password": {"correct horse"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner: %d, want 303", r.StatusCode)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(slept) != 16 || slept[0] != time.Second || slept[9] != 10*time.Second || slept[15] != 10*time.Second {
		t.Errorf("delays %v: want 1s, 2s, ... 10s for the 11th to 25th failure and the owner", slept)
	}
	if env.srv.limiter.waiting != 0 {
		t.Errorf("%d attempts still counted as waiting", env.srv.limiter.waiting)
	}
}
