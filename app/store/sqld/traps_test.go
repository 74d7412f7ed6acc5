package sqld

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/sqldtest"
)

// Each test here keeps one of sqld's measured hazards (engine.md) from
// reaching the app.

// sqldIdle is longer than sqld's expiry of idle streams (~10 s).
const sqldIdle = 15 * time.Second

// TestIdleStreamExpiryIsSurvived: a handle used again after sqld expired
// its stream keeps working, both because idle connections are closed
// before the expiry and, when one is kept anyway, because a statement that
// meets STREAM_EXPIRED is retried once on a new stream.
func TestIdleStreamExpiryIsSurvived(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for sqld's idle stream expiry")
	}
	srv := sqldtest.Start(t)
	for _, c := range []struct {
		name string
		idle time.Duration
	}{{"idle connections closed", 0}, {"expired stream retried", time.Hour}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := newTestProvider(t, srv, Config{IdleConnTimeout: c.idle})
			db := mustOpen(t, p, mustCreate(t, p, "t_idle_"+fmt.Sprint(c.idle > 0)))
			exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('before')")
			titles(t, db) // a stream that has answered a query
			time.Sleep(sqldIdle)
			exec(t, db, "INSERT INTO t (title) VALUES ('after a pause')")
			if got := titles(t, db); len(got) != 2 {
				t.Errorf("titles = %q", got)
			}
		})
	}
}

// TestHungServerGivesUnavailable: against a server that accepts
// connections and never answers (SIGSTOP), a call fails with EUNAVAILABLE
// at its deadline instead of hanging, and the handle works again once the
// server answers.
func TestHungServerGivesUnavailable(t *testing.T) {
	srv := sqldtest.Start(t)
	p := newTestProvider(t, srv, Config{CallTimeout: time.Second})
	db := mustOpen(t, p, mustCreate(t, p, "t_hung"))
	exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
	resume := srv.Pause()
	_, err := db.ExecContext(ctx, "INSERT INTO t (title) VALUES ('lost?')")
	wantCode(t, err, app.EUNAVAILABLE)
	_, err = p.Create(ctx, "t_hung2", Region.Code)
	wantCode(t, err, app.EUNAVAILABLE)
	resume()
	exec(t, db, "INSERT INTO t (title) VALUES ('after')")
	// The abandoned insert may still arrive once the server answers again,
	// before or after this one: its outcome is unknown, as EUNAVAILABLE says.
	if got := titles(t, db); !slices.Contains(got, "after") {
		t.Errorf("titles = %q", got)
	}
}

// TestStoppedServerGivesUnavailable: a server that is down gives
// EUNAVAILABLE, and the handle recovers when it is back.
func TestStoppedServerGivesUnavailable(t *testing.T) {
	srv := sqldtest.Start(t)
	p := newTestProvider(t, srv, Config{CallTimeout: 5 * time.Second})
	loc := mustCreate(t, p, "t_down")
	db := mustOpen(t, p, loc)
	exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
	srv.Stop()
	_, err := db.ExecContext(ctx, "INSERT INTO t (title) VALUES ('x')")
	wantCode(t, err, app.EUNAVAILABLE)
	_, err = p.Open(ctx, loc)
	wantCode(t, err, app.EUNAVAILABLE)
	srv.Restart()
	exec(t, db, "INSERT INTO t (title) VALUES ('back')")
}

// TestOneWriterPerNamespace: many goroutines writing through one handle
// (as concurrent requests of one tenant do) all succeed; the handle has
// one connection, so sqld never sees the three concurrent writers that can
// hang a namespace for good.
func TestOneWriterPerNamespace(t *testing.T) {
	srv := sqldtest.Start(t)
	p := newTestProvider(t, srv, Config{})
	db := mustOpen(t, p, mustCreate(t, p, "t_writers"))
	exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
	if n := db.Stats().MaxOpenConnections; n != 1 {
		t.Fatalf("MaxOpenConnections = %d, want 1", n)
	}
	const writers, each = 8, 100
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := db.Exec("INSERT INTO t (title) VALUES (?)", fmt.Sprintf("%d-%d", w, i)); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != writers*each {
		t.Errorf("rows = %d, %v; want %d", n, err, writers*each)
	}
}

// TestIdleConnectionsAreReleased: a handle left idle gives its connection
// back to the server (sqld refuses connections past
// --max-concurrent-connections, and the pool keeps many handles open).
func TestIdleConnectionsAreReleased(t *testing.T) {
	srv := sqldtest.Start(t)
	p := newTestProvider(t, srv, Config{IdleConnTimeout: 200 * time.Millisecond})
	db := mustOpen(t, p, mustCreate(t, p, "t_release"))
	exec(t, db, "CREATE TABLE t (x)")
	// A bound only a kept connection reaches.
	for deadline := time.Now().Add(30 * time.Second); db.Stats().OpenConnections > 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the idle connection was never closed")
		}
	}
	exec(t, db, "INSERT INTO t VALUES (1)")
}

// TestDeletedNamespaceIsNotFound: a namespace deleted under an open handle
// gives ENOTFOUND (after the one retry that covers sqld's brief 404s while
// it loads an evicted namespace), never a hang or an empty database.
func TestDeletedNamespaceIsNotFound(t *testing.T) {
	srv := sqldtest.Start(t)
	p := newTestProvider(t, srv, Config{})
	loc := mustCreate(t, p, "t_deleted")
	db := mustOpen(t, p, loc)
	exec(t, db, "CREATE TABLE t (x)")
	if err := p.Remove(ctx, loc); err != nil {
		t.Fatal(err)
	}
	_, err := db.Exec("INSERT INTO t VALUES (1)")
	wantCode(t, err, app.ENOTFOUND)
}

// TestTrustedSchemaIsOff: sqld answers "PRAGMA trusted_schema=OFF" with
// "unsupported statement" yet applies it; a tenant's connection sets it,
// reads it back, and keeps it on a stream made again after expiry.
func TestTrustedSchemaIsOff(t *testing.T) {
	srv := sqldtest.Start(t)
	p := newTestProvider(t, srv, Config{})
	db := mustOpen(t, p, mustCreate(t, p, "t_trusted"))
	var on int
	if err := db.QueryRowContext(ctx, "PRAGMA trusted_schema").Scan(&on); err != nil || on != 0 {
		t.Fatalf("trusted_schema = %d, %v", on, err)
	}
}
