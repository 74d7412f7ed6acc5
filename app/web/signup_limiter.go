package web

import (
	"sync"
	"time"

	"todos/app"
)

// signupTableMax is the most clients the sign-up limiter remembers (about
// 3 MB at most).
const signupTableMax = 100_000

// signupLimiter limits how many lists are created per client and in all
// per hour, each as a token bucket: the whole hour's allowance may be used
// at once, then it comes back steadily over the hour. It lives in memory.
type signupLimiter struct {
	mu      sync.Mutex
	off     bool
	client  rate
	global  *rate              // nil: no global limit
	clients *limitTable[int64] // the client rate's "full" time, in Unix nanoseconds
	full    time.Time          // the global rate's "full" time
	now     func() time.Time
}

// newSignupLimiter allows perClient sign-ups per client and global in all
// per hour. perClient 0 turns both off; global 0 means no global limit.
func newSignupLimiter(perClient, global int) *signupLimiter {
	l := &signupLimiter{off: perClient <= 0, now: time.Now}
	if l.off {
		return l
	}
	l.client = perPeriod(perClient, time.Hour)
	if global > 0 {
		g := perPeriod(global, time.Hour)
		l.global = &g
	}
	l.clients = newLimitTable(signupTableMax, time.Hour, func(full int64, now time.Time) bool { return full <= now.UnixNano() })
	return l
}

// Take counts a sign-up from client before any work is done, so that
// parallel sign-ups cannot all pass. It returns ERATELIMITED, counting
// nothing, when the client or everyone has used the allowance.
func (l *signupLimiter) Take(client string) error {
	if l.off {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	k := l.clients.key(client)
	next, over := l.client.charge(time.Unix(0, l.clients.get(k)), now)
	if over > 0 {
		return app.Errorf(app.ERATELIMITED, "Too many sign-ups from your address, try again in %s.", humanDuration(over))
	}
	if l.global != nil {
		g, over := l.global.charge(l.full, now)
		if over > 0 {
			return app.Errorf(app.ERATELIMITED, "Too many sign-ups right now, try again in %s.", humanDuration(over))
		}
		l.full = g
	}
	l.clients.put(k, next.UnixNano(), now)
	return nil
}

// Give takes back a sign-up that created nothing (refused input, a name
// already taken).
func (l *signupLimiter) Give(client string) {
	if l.off {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	k := l.clients.key(client)
	if full := l.clients.get(k); full > now.UnixNano() {
		l.clients.put(k, l.client.refund(time.Unix(0, full)).UnixNano(), now)
	}
	if l.global != nil && l.full.After(now) {
		l.full = l.global.refund(l.full)
	}
}
