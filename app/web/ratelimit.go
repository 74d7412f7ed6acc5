package web

import (
	"sync"
	"time"
)

// loginLimiter counts failed sign-ins per account and per client in a fixed
// window and refuses further attempts once a limit is reached. It lives in
// memory: a restart forgives everyone, which is acceptable for a single
// binary and documented.
type loginLimiter struct {
	mu         sync.Mutex
	perAccount int
	perClient  int
	window     time.Duration
	failures   map[string]*failureWindow
	now        func() time.Time
}

// failureWindow is the count of failures since start.
type failureWindow struct {
	start time.Time
	count int
}

// newLoginLimiter allows perAccount failures per account and perClient per
// client address in each window.
func newLoginLimiter(perAccount, perClient int, window time.Duration) *loginLimiter {
	return &loginLimiter{perAccount: perAccount, perClient: perClient, window: window,
		failures: map[string]*failureWindow{}, now: time.Now}
}

// Allowed reports whether another attempt may be made, and if not, how long
// until it may.
func (l *loginLimiter) Allowed(account, client string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range []struct {
		key   string
		limit int
	}{{"a:" + account, l.perAccount}, {"c:" + client, l.perClient}} {
		if w := l.failures[k.key]; w != nil && now.Sub(w.start) < l.window && w.count >= k.limit {
			return false, w.start.Add(l.window).Sub(now)
		}
	}
	return true, 0
}

// Fail records a failed attempt.
func (l *loginLimiter) Fail(account, client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.failures) > 100000 {
		l.sweep(now)
	}
	for _, key := range []string{"a:" + account, "c:" + client} {
		w := l.failures[key]
		if w == nil || now.Sub(w.start) >= l.window {
			w = &failureWindow{start: now}
			l.failures[key] = w
		}
		w.count++
	}
}

// Succeed forgets an account's failures after a successful sign-in.
func (l *loginLimiter) Succeed(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, "a:"+account)
}

// sweep drops windows that have ended. Called with mu held.
func (l *loginLimiter) sweep(now time.Time) {
	for k, w := range l.failures {
		if now.Sub(w.start) >= l.window {
			delete(l.failures, k)
		}
	}
}
