package turso

import (
	"strings"
	"sync"
	"testing"
	"time"

	"todos/app/store/sqld"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock by d.
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestTokenRenewedBeforeExpiry: a database token is reused while it has
// more than a quarter of its lifetime left, then renewed, and an open
// handle's next connection uses the new one: after the old token has
// expired (by the fake's clock), the handle still works.
func TestTokenRenewedBeforeExpiry(t *testing.T) {
	f := startFake(t)
	clock := &testClock{now: time.Now()}
	// The fake issues and checks tokens by the same clock.
	f.SetClock(clock.Now)
	p := newTestProvider(t, f, Config{TokenLifetime: time.Hour, Now: clock.Now})
	loc := mustCreate(t, p, "t_renew")
	db := mustOpen(t, p, loc)
	db.SetMaxIdleConns(0) // every statement on a new connection, as after an idle close
	exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('one')")
	first, _ := p.tokens.get(ctx, "t-renew")
	if n := f.TokensIssued(); n != 1 {
		t.Fatalf("%d tokens issued for one database, want 1 (cached)", n)
	}
	clock.Add(40 * time.Minute) // 20 min left: kept
	exec(t, db, "INSERT INTO t (title) VALUES ('two')")
	if n := f.TokensIssued(); n != 1 {
		t.Fatalf("%d tokens issued with 20 min left, want 1", n)
	}
	clock.Add(10 * time.Minute) // 10 min left: renewed
	exec(t, db, "INSERT INTO t (title) VALUES ('three')")
	if n := f.TokensIssued(); n != 2 {
		t.Fatalf("%d tokens issued with 10 min left, want 2 (renewed)", n)
	}
	clock.Add(15 * time.Minute) // the first token has expired
	second, _ := p.tokens.get(ctx, "t-renew")
	if f.Valid(first.reveal(), "t-renew") || !f.Valid(second.reveal(), "t-renew") || first == second {
		t.Error("the renewed token is not the valid one")
	}
	if got := titles(t, db); len(got) != 3 {
		t.Errorf("after renewal: %q", got)
	}
}

// TestDataPlaneChecksTokens: the fake's data plane (sqld with JWT auth)
// refuses a connection without a token, or with another database's.
func TestDataPlaneChecksTokens(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{})
	exec(t, mustOpen(t, p, mustCreate(t, p, "t_mine")), "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
	exec(t, mustOpen(t, p, mustCreate(t, p, "t_theirs")), "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
	mine, err := p.tokens.get(ctx, "t-mine")
	if err != nil {
		t.Fatal(err)
	}
	for name, dsn := range map[string]string{
		"no token":              "http://t-theirs.localhost:" + portOf(f.SQLD.URL),
		"another one's token":   "http://t-theirs.localhost:" + portOf(f.SQLD.URL) + "?authToken=" + mine.reveal(),
		"its own token (works)": "http://t-mine.localhost:" + portOf(f.SQLD.URL) + "?authToken=" + mine.reveal(),
	} {
		db, err := sqld.OpenRemote(dsn, 5*time.Second, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec("INSERT INTO t (title) VALUES ('x')")
		db.Close()
		if ok := strings.HasSuffix(name, "(works)"); (err == nil) != ok {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// portOf returns the port of a base URL.
func portOf(u string) string { return u[strings.LastIndexByte(u, ':')+1:] }
