package store

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// TestTenantsWriteInParallel holds one tenant's write open, in the middle of
// its transaction, and checks that another tenant can write and read, and
// the control plane can be flushed, meanwhile: nothing shared serialises
// two tenants. Were anything to, the held write would never be released
// and the test would fail at its deadline rather than pass by timing.
func TestTenantsWriteInParallel(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 8)
	slow, fast := e.acquire(t, e.createTenant(t, "slow")), e.acquire(t, e.createTenant(t, "fast"))

	inside, release := make(chan struct{}), make(chan struct{})
	slowDone := make(chan error, 1)
	go func() {
		_, err := slow.write(ctx, func(tx *sql.Tx, now time.Time) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO todos (title, created_at, updated_at) VALUES ('held', 0, 0)"); err != nil {
				return err
			}
			close(inside)
			<-release // the tenant's write lock and an open write transaction are held here
			return nil
		})
		slowDone <- err
	}()
	<-inside

	fastDone := make(chan error, 1)
	go func() {
		for range 3 {
			if _, _, err := fast.AddTodo(ctx, "not held up"); err != nil {
				fastDone <- err
				return
			}
		}
		if _, _, err := fast.Todos(ctx, "all"); err != nil {
			fastDone <- err
			return
		}
		_, err := e.pool.Activity().Flush(ctx)
		fastDone <- err
	}()
	select {
	case err := <-fastDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("another tenant's writes waited for the held one")
	}
	close(release)
	if err := <-slowDone; err != nil {
		t.Fatal(err)
	}
	if got := controlCounters(t, e.control, fast.TenantID()); got.Total != 3 {
		t.Errorf("fast's counters %+v, want 3 todos", got)
	}
}
