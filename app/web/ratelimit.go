package web

import (
	"sync"
	"time"
)

// loginLimiter counts failed sign-ins per account and per client in a fixed
// window and refuses further attempts once a limit is reached. Attempts are
// counted when they start and taken back when they succeed. It lives in
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

// Attempt reports whether another attempt may be made and, if so, counts
// it as a failure at once, before the password is checked: parallel
// attempts cannot all pass on a count that has not been raised yet. A
// refused attempt is not counted; wait says how long until one may be made.
func (l *loginLimiter) Attempt(account, client string) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	keys := []struct {
		key   string
		limit int
	}{{"a:" + account, l.perAccount}, {"c:" + client, l.perClient}}
	for _, k := range keys {
		if w := l.failures[k.key]; w != nil && now.Sub(w.start) < l.window && w.count >= k.limit {
			return false, w.start.Add(l.window).Sub(now)
		}
	}
	if len(l.failures) > 100000 {
		l.sweep(now)
	}
	for _, k := range keys {
		w := l.failures[k.key]
		if w == nil || now.Sub(w.start) >= l.window {
			w = &failureWindow{start: now}
			l.failures[k.key] = w
		}
		w.count++
	}
	return true, 0
}

// Succeed takes back a successful attempt: the account's failures are
// forgotten and the client's count loses the attempt.
func (l *loginLimiter) Succeed(account, client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, "a:"+account)
	if w := l.failures["c:"+client]; w != nil && w.count > 0 {
		w.count--
	}
}

// sweep drops windows that have ended. Called with mu held.
func (l *loginLimiter) sweep(now time.Time) {
	for k, w := range l.failures {
		if now.Sub(w.start) >= l.window {
			delete(l.failures, k)
		}
	}
}
