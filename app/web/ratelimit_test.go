package web

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testLimiter returns a login limiter with the default limits on a clock
// the test moves, and a pointer to that clock.
func testLimiter() (*loginLimiter, *time.Time) {
	l := newLoginLimiter(Limits{})
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	l.sleep = func(context.Context, time.Duration) {}
	return l, &now
}

// One client failing on one account is refused there after 5 failures,
// until the window ends; other clients and other accounts are not.
func TestLoginLimiterPerClientAccount(t *testing.T) {
	l, now := testLimiter()
	for i := 0; i < 5; i++ {
		if d := l.Attempt("acct", "ip1"); !d.Allowed {
			t.Fatalf("attempt %d refused", i)
		}
	}
	if d := l.Attempt("acct", "ip1"); d.Allowed || d.Wait != 15*time.Minute {
		t.Errorf("6th attempt: %+v, want refused for 15m", d)
	}
	if d := l.Attempt("acct", "ip2"); !d.Allowed || d.Delay != 0 {
		t.Errorf("another client on the account: %+v", d)
	}
	if d := l.Attempt("other", "ip1"); !d.Allowed {
		t.Errorf("the client on another account: %+v", d)
	}
	*now = now.Add(15 * time.Minute)
	if d := l.Attempt("acct", "ip1"); !d.Allowed {
		t.Errorf("after the window: %+v", d)
	}
	// A success forgives the client's failures on the account.
	l.Attempt("acct", "ip3")
	l.Succeed("acct", "ip3", l.Attempt("acct", "ip3"))
	for i := 0; i < 5; i++ {
		if d := l.Attempt("acct", "ip3"); !d.Allowed {
			t.Fatalf("after a success, attempt %d refused", i)
		}
	}
}

// One client failing on many accounts is refused everywhere after 50.
func TestLoginLimiterPerClient(t *testing.T) {
	l, _ := testLimiter()
	for i := 0; i < 50; i++ {
		if d := l.Attempt(fmt.Sprint("acct", i), "ip1"); !d.Allowed {
			t.Fatalf("attempt %d refused", i)
		}
	}
	if d := l.Attempt("acct-fresh", "ip1"); d.Allowed {
		t.Errorf("51st failure of one client allowed")
	}
	if d := l.Attempt("acct-fresh", "ip2"); !d.Allowed {
		t.Errorf("another client refused")
	}
}

// Many clients against one account slow it down, one more second per
// failure past the tenth, never more than the bound, and never refuse a
// client that has not been failing. Failures are forgiven as time passes.
func TestLoginLimiterSlowsAnAccountDown(t *testing.T) {
	l, now := testLimiter()
	var delays []time.Duration
	for i := 0; i < 30; i++ {
		d := l.Attempt("acct", fmt.Sprint("10.0.0.", i))
		if !d.Allowed {
			t.Fatalf("client %d (first attempt) refused: %+v", i, d)
		}
		delays = append(delays, d.Delay)
		l.Wait(context.Background(), d)
	}
	for i, d := range delays {
		want := time.Duration(0)
		if i >= 10 {
			want = min(time.Duration(i-9)*time.Second, 10*time.Second)
		}
		if d != want {
			t.Errorf("attempt %d: delay %v, want %v", i, d, want)
		}
	}
	// The owner, from a clean client, gets in after the bounded wait.
	owner := l.Attempt("acct", "9.9.9.9")
	if !owner.Allowed || owner.Delay != 10*time.Second {
		t.Errorf("owner: %+v, want allowed after 10s", owner)
	}
	l.Succeed("acct", "9.9.9.9", owner)
	// Each 90 seconds (15 minutes / 10) forgives one failure...
	*now = now.Add(90 * time.Second)
	if d := l.Attempt("acct", "9.9.9.8"); d.Delay != 10*time.Second {
		t.Errorf("90s later: delay %v", d.Delay)
	}
	// ...and once the attack stops, the account recovers in bounded time:
	// the window plus one interval per step of the longest delay.
	*now = now.Add(15*time.Minute + 10*90*time.Second)
	if d := l.Attempt("acct", "9.9.9.7"); !d.Allowed || d.Delay != 0 {
		t.Errorf("after the attack: %+v", d)
	}
	// Another account was never slowed.
	if d := l.Attempt("other", "10.0.0.1"); d.Delay != 0 {
		t.Errorf("another account: %+v", d)
	}
}

// While the waiting room is full, a client that has failed on the account
// is refused and a clean client goes ahead without the delay, so that a
// flood of parallel attempts cannot hold goroutines without bound.
func TestLoginLimiterWaitingRoomIsBounded(t *testing.T) {
	l, _ := testLimiter()
	for i := 0; i < 10; i++ {
		l.Attempt("acct", fmt.Sprint("10.0.1.", i))
	}
	var sleeping []loginDecision
	for i := 0; i < loginMaxWaiting; i++ {
		d := l.Attempt("acct", fmt.Sprint("10.1.", i/250, ".", i%250))
		if !d.Allowed || d.Delay == 0 {
			t.Fatalf("attempt %d: %+v", i, d)
		}
		sleeping = append(sleeping, d)
	}
	if d := l.Attempt("acct", "10.0.1.1"); d.Allowed || d.Wait <= 0 {
		t.Errorf("a failing client while the room is full: %+v, want refused", d)
	}
	if d := l.Attempt("acct", "9.9.9.9"); !d.Allowed || d.Delay != 0 {
		t.Errorf("a clean client while the room is full: %+v, want allowed at once", d)
	}
	for _, d := range sleeping {
		l.Wait(context.Background(), d)
	}
	if l.waiting != 0 {
		t.Errorf("%d still counted as waiting", l.waiting)
	}
	if d := l.Attempt("acct", "9.9.9.8"); !d.Allowed || d.Delay == 0 {
		t.Errorf("a clean client once the room is free: %+v, want the delay", d)
	}
}

// Attempts made at the same moment are counted before any password check,
// so no more than the limit get through from one client.
func TestLoginLimiterParallelAttempts(t *testing.T) {
	l := newLoginLimiter(Limits{})
	var wg sync.WaitGroup
	var passed atomic.Int32
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if d := l.Attempt("acct", "ip1"); d.Allowed {
				passed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := passed.Load(); n != 5 {
		t.Errorf("%d of 40 parallel attempts passed, want 5", n)
	}
}

// A stranger rotating account names and client addresses cannot grow the
// limiter's tables beyond their bound.
func TestLoginLimiterMemoryIsBounded(t *testing.T) {
	l, _ := testLimiter()
	const max = 64
	l.pairs.max, l.clients.max, l.accounts.max = max, max, max
	for i := 0; i < 5000; i++ {
		l.Attempt(fmt.Sprint("acct", i), fmt.Sprint("client", i))
	}
	if l.pairs.len() > max || l.clients.len() > max || l.accounts.len() > max {
		t.Errorf("tables grew to %d, %d, %d entries; bound %d", l.pairs.len(), l.clients.len(), l.accounts.len(), max)
	}
	if loginTableMax > 100_000 {
		t.Errorf("loginTableMax = %d", loginTableMax)
	}
}

// A full table drops ended entries before it drops live ones.
func TestLimitTableSweepsBeforeEvicting(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tbl := newLimitTable(10, time.Hour, func(end int64, now time.Time) bool { return end <= now.UnixNano() })
	for i := 0; i < 5; i++ {
		tbl.put(tbl.key("live", fmt.Sprint(i)), now.Add(time.Hour).UnixNano(), now)
	}
	for i := 0; i < 5; i++ {
		tbl.put(tbl.key("ending", fmt.Sprint(i)), now.Add(time.Minute).UnixNano(), now)
	}
	later := now.Add(2 * time.Minute)
	for i := 0; i < 5; i++ {
		tbl.put(tbl.key("new", fmt.Sprint(i)), later.Add(time.Hour).UnixNano(), later)
	}
	if tbl.evictions != 0 || tbl.len() != 10 {
		t.Errorf("evictions %d, len %d; want 0 and 10", tbl.evictions, tbl.len())
	}
	for i := 0; i < 5; i++ {
		if tbl.get(tbl.key("live", fmt.Sprint(i))) == 0 {
			t.Errorf("live entry %d dropped", i)
		}
	}
	// The key joins its parts unambiguously.
	if tbl.key("ab", "c") == tbl.key("a", "bc") {
		t.Errorf("keys collide")
	}
}

// Waiting ends when the request's context does.
func TestSleepContextEndsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sleepContext(ctx, time.Hour) // returns at once, or the test times out
}

// The sign-up limiter gives each client its hour's allowance at once, then
// one more every hour/limit; refused sign-ups say how long to wait; a
// sign-up given back is not counted; the global limit holds across clients.
func TestSignupLimiter(t *testing.T) {
	l := newSignupLimiter(3, 5)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	for i := 0; i < 3; i++ {
		if err := l.Take("ip1"); err != nil {
			t.Fatalf("sign-up %d: %v", i, err)
		}
	}
	err := l.Take("ip1")
	if err == nil || err.Error() != "rate_limited: Too many sign-ups from your address, try again in 20 minutes." {
		t.Errorf("4th sign-up: %v", err)
	}
	now = now.Add(20 * time.Minute)
	if err := l.Take("ip1"); err != nil {
		t.Errorf("20 minutes later: %v", err)
	}
	if err := l.Take("ip2"); err != nil {
		t.Errorf("another client: %v", err)
	}
	l.Give("ip2")
	if err := l.Take("ip2"); err != nil {
		t.Errorf("after a give-back: %v", err)
	}
	g := newSignupLimiter(10, 4)
	g.now = l.now
	for i := 0; i < 4; i++ {
		if err := g.Take(fmt.Sprint("10.0.0.", i)); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
	}
	if err := g.Take("10.0.0.9"); err == nil || err.Error() != "rate_limited: Too many sign-ups right now, try again in 15 minutes." {
		t.Errorf("past the global limit: %v", err)
	}
	if off := newSignupLimiter(0, 1); off.Take("ip1") != nil || off.Take("ip1") != nil {
		t.Errorf("limits off still refuse")
	}
}
