package turso

import (
	"sync/atomic"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/providertest"
	"todos/app/store"
)

// offsetClock is the real clock moved by an offset that tests change.
type offsetClock struct{ offset atomic.Int64 }

// Now returns the real time plus the offset.
func (c *offsetClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Add moves the clock by d.
func (c *offsetClock) Add(d time.Duration) { c.offset.Add(int64(d)) }

// TestProviderContract runs the provider contract
// (app/internal/providertest) against the fake Platform API, whose data
// plane is a real sqld with JWT auth, with the faults of both: the server
// stopped or hung, the API answering 429, 500 or slowly, and expired
// database tokens.
func TestProviderContract(t *testing.T) {
	f := startFake(t)
	var providerClock, fakeClock offsetClock
	f.SetClock(fakeClock.Now)
	quick := func(t *testing.T) store.Provider {
		return newTestProvider(t, f, Config{APITimeout: time.Second, APIAttempts: 2, CallTimeout: 2 * time.Second})
	}
	providertest.Run(t,
		func(t *testing.T) store.Provider {
			return newTestProvider(t, f, Config{TokenLifetime: time.Hour, Now: providerClock.Now})
		},
		providertest.WithStop(f.SQLD.Stop, f.SQLD.Restart),
		providertest.WithHang(f.SQLD.Pause, quick),
		providertest.WithAPIFaults(f.Fail, f.ClearFaults, f.SetDelay, quick),
		providertest.WithExpiredTokens(func() (restore func()) {
			// The fake issues tokens that expired an hour ago (past
			// sqld's 60 s of leeway), and the provider, its clock
			// ahead, finds the ones it holds due for renewal.
			fakeClock.Add(-2 * time.Hour)
			providerClock.Add(2 * time.Hour)
			return func() {
				fakeClock.Add(2 * time.Hour)
				providerClock.Add(2 * time.Hour)
			}
		}),
	)
}

// TestProviderOnTurso covers what only Turso does: database names and
// locations, regions as groups, per-database tokens, branches.
func TestProviderOnTurso(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{})

	t.Run("a database per tenant, named after it", func(t *testing.T) {
		loc := mustCreate(t, p, "t_named")
		if loc != "turso:t-named" || !f.Has("t-named") {
			t.Fatalf("location %q, fake has t-named: %v", loc, f.Has("t-named"))
		}
	})
	t.Run("a region without its group", func(t *testing.T) {
		q := newTestProvider(t, f, Config{Regions: []app.Region{{Code: "syd", Name: "Sydney"}}})
		_, err := q.Create(ctx, "t_nogroup", "syd")
		wantCode(t, err, app.EUNAVAILABLE)
	})
	t.Run("a token reaches its own database only", func(t *testing.T) {
		a := mustOpen(t, p, mustCreate(t, p, "t_own"))
		exec(t, a, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
		tok, err := p.tokens.get(ctx, "t-own")
		if err != nil {
			t.Fatal(err)
		}
		if !f.Valid(tok.reveal(), "t-own") || f.Valid(tok.reveal(), "t-other") {
			t.Error("the fake does not scope the token to its database")
		}
	})
	t.Run("the trash blocks the database", func(t *testing.T) {
		loc := mustCreate(t, p, "t_trash")
		trashed, err := p.Trash(ctx, loc)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Remove(ctx, trashed) })
		_, err = p.Open(ctx, trashed)
		wantCode(t, err, app.EINVALID)
		_, err = p.Open(ctx, loc) // blocked on Turso
		wantCode(t, err, app.EINVALID)
	})
	t.Run("branch copies the data", func(t *testing.T) {
		src := mustOpen(t, p, mustCreate(t, p, "t_source"))
		exec(t, src, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('a'), ('b')")
		loc, err := p.Branch(ctx, "turso:t-source", "t_branch", "ams")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Remove(ctx, loc) })
		exec(t, src, "INSERT INTO t (title) VALUES ('after')")
		if got := titles(t, mustOpen(t, p, loc)); len(got) != 2 || got[0] != "a" || got[1] != "b" {
			t.Errorf("branch: %q", got)
		}
		_, err = p.Branch(ctx, "turso:t-source", "t_branch", "ams")
		wantCode(t, err, app.ECONFLICT)
	})
}
