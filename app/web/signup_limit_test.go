package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// signupForm is a valid sign-up for the list name.
func signupForm(b *browser, name string) url.Values {
	return url.Values{"name": {name}, "email": {"o@example.com"}, "password": {"secret password"},
		"region": {"local"}, "_csrf": {b.token("http://localhost:8080/")}}
}

// Sign-ups sent all at once from one client are counted before any work,
// so no more than the limit create a list; the rest are told why and keep
// what was typed except the password. Another client can still sign up.
func TestSignupIsLimitedPerClient(t *testing.T) {
	env := newTestEnvWith(t, func(c *Config) { c.Limits.SignupPerHour = 3; c.Limits.SignupGlobalPerHour = 100 })
	const n = 12
	codes := make([]int, n)
	bodies := make([]string, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		b := env.browserFrom("6.6.6.6")
		form := signupForm(b, fmt.Sprintf("flood%d", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := b.do(http.MethodPost, "http://localhost:8080/signup", form)
			codes[i], bodies[i] = r.StatusCode, r.Body
		}()
	}
	wg.Wait()
	created, limited := 0, 0
	for i, c := range codes {
		switch c {
		case http.StatusSeeOther:
			created++
		case http.StatusTooManyRequests:
			limited++
			mustContain(t, bodies[i], "Too many sign-ups from your address, try again in", fmt.Sprintf(`value="flood%d"`, i), `value="o@example.com"`)
			mustNotContain(t, bodies[i], "secret password")
		default:
			t.Errorf("sign-up %d: status %d", i, c)
		}
	}
	if created != 3 || limited != n-3 || env.tenantCount() != 3 {
		t.Errorf("%d created, %d refused, %d tenants; want 3, %d, 3", created, limited, env.tenantCount(), n-3)
	}
	if r := env.browserFrom("9.9.9.9").post("http://localhost:8080/signup", signupForm(env.browser(), "other")); r.StatusCode != http.StatusSeeOther {
		t.Errorf("another client: %d", r.StatusCode)
	}
}

// Refused sign-ups (a typo, a taken name) do not use up the allowance.
func TestSignupLimitCountsOnlyCreations(t *testing.T) {
	env := newTestEnvWith(t, func(c *Config) { c.Limits.SignupPerHour = 1; c.Limits.SignupGlobalPerHour = 100 })
	b := env.browserFrom("6.6.6.6")
	bad := signupForm(b, "x")
	if r := b.post("http://localhost:8080/signup", bad); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad name: %d", r.StatusCode)
	}
	if r := b.post("http://localhost:8080/signup", signupForm(b, "good")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("first valid sign-up: %d", r.StatusCode)
	}
	if r := b.post("http://localhost:8080/signup", signupForm(b, "second")); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("second valid sign-up: %d", r.StatusCode)
	}
}

// The global limit holds against many clients.
func TestSignupIsLimitedGlobally(t *testing.T) {
	env := newTestEnvWith(t, func(c *Config) { c.Limits.SignupPerHour = 5; c.Limits.SignupGlobalPerHour = 4 })
	for i := 0; i < 6; i++ {
		b := env.browserFrom(fmt.Sprintf("6.6.6.%d", i))
		r := b.post("http://localhost:8080/signup", signupForm(b, fmt.Sprintf("list%d", i)))
		want := http.StatusSeeOther
		if i >= 4 {
			want = http.StatusTooManyRequests
		}
		if r.StatusCode != want {
			t.Errorf("sign-up %d: %d, want %d", i, r.StatusCode, want)
		}
		if want == http.StatusTooManyRequests {
			mustContain(t, r.Body, "Too many sign-ups right now")
		}
	}
}

// With the limits off (SignupPerHour 0, for load tests and demos) one
// client may create as many lists as it likes.
func TestSignupLimitsOff(t *testing.T) {
	env := newTestEnvWith(t, func(c *Config) { c.Limits.SignupPerHour = 0; c.Limits.SignupGlobalPerHour = 1 })
	b := env.browserFrom("6.6.6.6")
	for i := 0; i < 5; i++ {
		if r := b.post("http://localhost:8080/signup", signupForm(b, fmt.Sprintf("demo%d", i))); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-up %d with limits off: %d", i, r.StatusCode)
		}
	}
}

// A sign-up hashes its password within the slots that bound password work:
// while every slot is taken, no list is created.
func TestSignupWaitsForAPasswordSlot(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	form := signupForm(b, "slotted")
	for i := 0; i < cap(env.srv.passwordSlots); i++ {
		env.srv.passwordSlots <- struct{}{}
	}
	done := make(chan int)
	go func() { done <- b.do(http.MethodPost, "http://localhost:8080/signup", form).StatusCode }()
	select {
	case code := <-done:
		t.Fatalf("sign-up finished (%d) while every password slot was taken", code)
	case <-time.After(300 * time.Millisecond):
	}
	if n := env.tenantCount(); n != 0 {
		t.Errorf("%d lists created while every password slot was taken", n)
	}
	for i := 0; i < cap(env.srv.passwordSlots); i++ {
		<-env.srv.passwordSlots
	}
	if code := <-done; code != http.StatusSeeOther {
		t.Errorf("sign-up after the slots were freed: %d", code)
	}
}
