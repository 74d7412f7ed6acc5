package web

import (
	"sync"
	"time"
)

// Forgot-password limits: how many reset mails a client may ask for, and
// how many one address may receive, per hour.
const (
	resetPerClientPerHour  = 5
	resetPerAccountPerHour = 3
	resetTableMax          = 100_000
)

// resetLimiter limits forgot-password requests per client and per account
// (list and email, whether or not the account exists), each as a token
// bucket over an hour. It lives in memory.
type resetLimiter struct {
	mu       sync.Mutex
	client   rate
	account  rate
	clients  *limitTable[int64] // the rate's "full" time, in Unix nanoseconds
	accounts *limitTable[int64]
	now      func() time.Time
}

// newResetLimiter returns a limiter with the forgot-password limits.
func newResetLimiter() *resetLimiter {
	idle := func(full int64, now time.Time) bool { return full <= now.UnixNano() }
	return &resetLimiter{
		client:   perPeriod(resetPerClientPerHour, time.Hour),
		account:  perPeriod(resetPerAccountPerHour, time.Hour),
		clients:  newLimitTable(resetTableMax, time.Hour, idle),
		accounts: newLimitTable(resetTableMax, time.Hour, idle),
		now:      time.Now,
	}
}

// Take counts a request from client for account. clientWait is how long
// the client must wait when it is over its limit (nothing is counted then);
// accountOK says whether the account may get another mail.
func (l *resetLimiter) Take(client, account string) (clientWait time.Duration, accountOK bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	ck := l.clients.key(client)
	next, over := l.client.charge(time.Unix(0, l.clients.get(ck)), now)
	if over > 0 {
		return over, false
	}
	l.clients.put(ck, next.UnixNano(), now)
	ak := l.accounts.key(account)
	next, over = l.account.charge(time.Unix(0, l.accounts.get(ak)), now)
	if over > 0 {
		return 0, false
	}
	l.accounts.put(ak, next.UnixNano(), now)
	return 0, true
}
