package web

import (
	"context"
	"sync"
	"time"
)

// Bounds of the login limiter's memory and goroutines.
const (
	// loginTableMax is the most entries each of its tables keeps (about 3
	// MB each at most).
	loginTableMax = 100_000
	// loginMaxWaiting is the most sign-in attempts sleeping through an
	// account's slow-down at once.
	loginMaxWaiting = 256
	// loginDelayStep is how much each failure past LoginAccountSlowAfter
	// adds to the wait on an account.
	loginDelayStep = time.Second
)

// loginLimiter decides, before a password is checked, whether a sign-in
// attempt may go ahead. It counts, each in a bounded table:
//
//   - failures of one client on one account: past
//     LoginFailuresPerClientAccount in a window, that client is refused on
//     that account, even with the right password;
//   - failures of one client on all accounts: past LoginFailuresPerClient,
//     the client is refused everywhere;
//   - failures on one account from all clients: past LoginAccountSlowAfter,
//     each attempt on it waits one more second, up to LoginAccountMaxDelay.
//     An account is never locked: the right password from a client that
//     has not been failing on it gets in, at worst after that wait.
//
// Attempts count as failures when they start, so that parallel attempts
// cannot all pass on a count not yet raised, and are taken back when they
// succeed. It lives in memory: a restart forgives everyone.
type loginLimiter struct {
	mu       sync.Mutex
	limits   Limits
	account  rate
	maxSteps int
	pairs    *limitTable[failureWindow] // per (account, client)
	clients  *limitTable[failureWindow]
	accounts *limitTable[int64] // per account: the rate's "full" time, in Unix nanoseconds
	waiting  int                // attempts sleeping through a slow-down
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration)
}

// failureWindow counts failures since start (Unix nanoseconds).
type failureWindow struct {
	start int64
	count int32
}

// loginDecision is the limiter's answer to an attempt.
type loginDecision struct {
	// Allowed says whether the password may be checked.
	Allowed bool
	// Wait is, for a refused attempt, how long until the client may try
	// again.
	Wait time.Duration
	// Delay is, for an allowed attempt, how long it must wait before its
	// password is checked (the account's slow-down). Call Wait with it.
	Delay time.Duration
	// charged says whether the attempt moved the account's slow-down, so
	// that Succeed takes back only what was counted.
	charged bool
}

// newLoginLimiter returns a limiter with the sign-in limits of l (unset
// ones at their defaults).
func newLoginLimiter(l Limits) *loginLimiter {
	l = l.withLoginDefaults()
	window := l.LoginWindow
	ended := func(w failureWindow, now time.Time) bool { return now.UnixNano()-w.start >= int64(window) }
	return &loginLimiter{
		limits:   l,
		account:  perPeriod(l.LoginAccountSlowAfter, window),
		maxSteps: int((l.LoginAccountMaxDelay + loginDelayStep - 1) / loginDelayStep),
		pairs:    newLimitTable(loginTableMax, window, ended),
		clients:  newLimitTable(loginTableMax, window, ended),
		accounts: newLimitTable(loginTableMax, window, func(full int64, now time.Time) bool { return full <= now.UnixNano() }),
		now:      time.Now,
		sleep:    sleepContext,
	}
}

// Attempt decides whether an attempt on account from client may go ahead,
// and if so counts it as a failure at once. A refused attempt is not
// counted. While more than loginMaxWaiting attempts are already sleeping,
// an attempt that should sleep is refused if its client has failed on the
// account before, and goes ahead without the delay otherwise: a flood
// cannot hold memory, and never keeps out the owner.
func (l *loginLimiter) Attempt(account, client string) loginDecision {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	window := l.limits.LoginWindow
	pk, ck, ak := l.pairs.key(account, client), l.clients.key(client), l.accounts.key(account)
	pair, cl := l.current(l.pairs, pk, now), l.current(l.clients, ck, now)
	if int(pair.count) >= l.limits.LoginFailuresPerClientAccount {
		return loginDecision{Wait: time.Duration(pair.start + int64(window) - now.UnixNano())}
	}
	if int(cl.count) >= l.limits.LoginFailuresPerClient {
		return loginDecision{Wait: time.Duration(cl.start + int64(window) - now.UnixNano())}
	}
	full, over := l.account.charge(time.Unix(0, l.accounts.get(ak)), now)
	steps := int((over + l.account.interval - 1) / l.account.interval)
	delay := min(time.Duration(steps)*loginDelayStep, l.limits.LoginAccountMaxDelay)
	if delay > 0 && l.waiting >= loginMaxWaiting {
		if pair.count > 0 {
			return loginDecision{Wait: delay}
		}
		delay = 0
	}
	charged := steps <= l.maxSteps
	if charged {
		// Past the longest delay the account's time stops moving, so that
		// it recovers within a bounded time once an attack stops.
		l.accounts.put(ak, full.UnixNano(), now)
	}
	pair.count++
	cl.count++
	l.pairs.put(pk, pair, now)
	l.clients.put(ck, cl, now)
	if delay > 0 {
		l.waiting++
	}
	return loginDecision{Allowed: true, Delay: delay, charged: charged}
}

// current returns k's failures in the window running at now, which starts
// now if none is running.
func (l *loginLimiter) current(t *limitTable[failureWindow], k uint64, now time.Time) failureWindow {
	w := t.get(k)
	if w.count == 0 || now.UnixNano()-w.start >= int64(l.limits.LoginWindow) {
		w = failureWindow{start: now.UnixNano()}
	}
	return w
}

// Wait sleeps through an allowed attempt's delay, or until ctx ends.
func (l *loginLimiter) Wait(ctx context.Context, d loginDecision) {
	if d.Delay <= 0 {
		return
	}
	defer func() {
		l.mu.Lock()
		l.waiting--
		l.mu.Unlock()
	}()
	l.sleep(ctx, d.Delay)
}

// Succeed takes back a successful attempt, which d allowed: the client's
// failures on the account are forgiven, and the client's and the account's
// counts lose this attempt (not the others).
func (l *loginLimiter) Succeed(account, client string, d loginDecision) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.pairs.remove(l.pairs.key(account, client))
	ck := l.clients.key(client)
	if cl := l.clients.get(ck); cl.count > 0 {
		cl.count--
		l.clients.put(ck, cl, now)
	}
	ak := l.accounts.key(account)
	if full := l.accounts.get(ak); d.charged && full > now.UnixNano() {
		l.accounts.put(ak, l.account.refund(time.Unix(0, full)).UnixNano(), now)
	}
}

// sleepContext sleeps for d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
