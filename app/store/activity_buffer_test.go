package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"todos/app"
)

// controlCounters returns the control plane's copy of a tenant's counters.
func controlCounters(t testing.TB, c *Control, id string) app.TodoStats {
	t.Helper()
	var s app.TodoStats
	if err := c.db.QueryRow("SELECT todo_count, completed_count FROM tenants WHERE id = ?", id).
		Scan(&s.Total, &s.Completed); err != nil {
		t.Fatal(err)
	}
	return s
}

// controlChanges returns the rows c's one connection has changed since it
// opened.
func controlChanges(t testing.TB, c *Control) int64 {
	t.Helper()
	var n int64
	if err := c.db.QueryRow("SELECT total_changes()").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// recentWrites sums the writes counted in the last two hours (a test may
// straddle the turn of an hour).
func recentWrites(t testing.TB, c *Control) int {
	t.Helper()
	points, err := c.HourlyActivity(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range points {
		n += p.Writes
	}
	return n
}

func TestActivityIsBatched(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 8)
	acme, bravo := e.createTenant(t, "acme"), e.createTenant(t, "bravo")
	before := controlChanges(t, e.control)
	a, b := e.acquire(t, acme), e.acquire(t, bravo)
	for i := range 5 {
		if _, _, err := a.AddTodo(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			if _, _, err := b.AddTodo(ctx, "b"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, _, err := a.ToggleTodo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if got := controlChanges(t, e.control); got != before {
		t.Fatalf("todo writes changed %d control-plane rows before any flush, want 0", got-before)
	}
	n, err := e.pool.Activity().Flush(ctx)
	if err != nil || n != 2 {
		t.Fatalf("Flush = %d, %v; want 2 tenants", n, err)
	}
	if got := controlCounters(t, e.control, acme.ID); got != (app.TodoStats{Total: 5, Completed: 1}) {
		t.Errorf("acme counters %+v after flush, want 5/1", got)
	}
	if got := controlCounters(t, e.control, bravo.ID); got != (app.TodoStats{Total: 2}) {
		t.Errorf("bravo counters %+v after flush, want 2/0", got)
	}
	if got := recentWrites(t, e.control); got != 8 {
		t.Errorf("%d writes counted, want 8", got)
	}
	if after, err := e.control.TenantByID(ctx, acme.ID); err != nil || !after.LastActiveAt.After(acme.LastActiveAt.Add(-time.Millisecond)) {
		t.Errorf("last active %v, want at least %v", after.LastActiveAt, acme.LastActiveAt)
	}
	// Nothing pending: a flush writes nothing.
	before = controlChanges(t, e.control)
	if n, err := e.pool.Activity().Flush(ctx); err != nil || n != 0 {
		t.Errorf("empty Flush = %d, %v", n, err)
	}
	if got := controlChanges(t, e.control); got != before {
		t.Errorf("an empty flush changed %d rows", got-before)
	}
}

func TestActivityFlushedWhenPoolCloses(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 8)
	acme := e.createTenant(t, "acme")
	tdb, err := e.pool.Acquire(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, _, err := tdb.AddTodo(ctx, "x"); err != nil {
			t.Fatal(err)
		}
	}
	tdb.Release()
	if got := controlCounters(t, e.control, acme.ID); got.Total != 0 {
		t.Fatalf("counters %+v before shutdown, want them pending", got)
	}
	if err := e.pool.Close(); err != nil {
		t.Fatal(err)
	}
	if got := controlCounters(t, e.control, acme.ID); got.Total != 3 {
		t.Errorf("counters %+v after the pool closed, want 3 todos", got)
	}
}

func TestFailedFlushLosesNothing(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 8)
	acme := e.createTenant(t, "acme")
	tdb := e.acquire(t, acme)
	for range 2 {
		if _, _, err := tdb.AddTodo(ctx, "x"); err != nil {
			t.Fatal(err)
		}
	}
	// Make the control plane refuse the batch, then write once more.
	if _, err := e.control.db.Exec(`CREATE TRIGGER refuse BEFORE UPDATE OF todo_count ON tenants
		BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Activity().Flush(ctx); err == nil {
		t.Fatal("Flush succeeded against a refusing control plane")
	}
	if _, _, err := tdb.AddTodo(ctx, "y"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.control.db.Exec("DROP TRIGGER refuse"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Activity().Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := controlCounters(t, e.control, acme.ID); got.Total != 3 {
		t.Errorf("counters %+v, want the latest (3 todos)", got)
	}
	if got := recentWrites(t, e.control); got != 3 {
		t.Errorf("%d writes counted, want 3 (none lost, none twice)", got)
	}
}

func TestRecountAfterCrash(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 8)
	acme := e.createTenant(t, "acme")
	tdb := e.acquire(t, acme)
	for range 4 {
		if _, _, err := tdb.AddTodo(ctx, "x"); err != nil {
			t.Fatal(err)
		}
	}
	// A crash: the pending batch is gone with the process.
	e.pool.activity.take()
	stale, err := e.control.TenantByID(ctx, acme.ID)
	if err != nil || stale.TodoCount != 0 {
		t.Fatalf("after the crash: %+v, %v; want the counters behind", stale, err)
	}
	counted, err := e.tenants.RecountTenant(ctx, stale)
	if err != nil {
		t.Fatal(err)
	}
	if counted.TodoCount != 4 {
		t.Errorf("RecountTenant returned %d todos, want 4", counted.TodoCount)
	}
	if got := controlCounters(t, e.control, acme.ID); got.Total != 4 {
		t.Errorf("control plane has %d todos after the recount, want 4", got.Total)
	}
	// A recount that finds nothing to correct writes nothing.
	before := controlChanges(t, e.control)
	if _, err := e.tenants.RecountTenant(ctx, counted); err != nil {
		t.Fatal(err)
	}
	if got := controlChanges(t, e.control); got != before {
		t.Errorf("a recount with nothing to correct changed %d rows", got-before)
	}
}

func TestActivityUnderConcurrentWritesAndFlushes(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 16)
	const tenants, writes = 4, 50
	var ts []*app.Tenant
	for i := range tenants {
		ts = append(ts, e.createTenant(t, "t"+string(rune('a'+i))+"-list"))
	}
	stop := make(chan struct{})
	flushed := make(chan error, 1)
	go func() {
		var err error
		for {
			select {
			case <-stop:
				flushed <- err
				return
			default:
				if _, ferr := e.pool.Activity().Flush(ctx); ferr != nil {
					err = errors.Join(err, ferr)
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for _, tn := range ts {
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tdb, err := e.pool.Acquire(ctx, tn)
				if err != nil {
					t.Error(err)
					return
				}
				defer tdb.Release()
				for range writes / 2 {
					if _, _, err := tdb.AddTodo(ctx, "x"); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(stop)
	if err := <-flushed; err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Activity().Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tn := range ts {
		if got := controlCounters(t, e.control, tn.ID); got.Total != writes {
			t.Errorf("%s: %d todos in the control plane, want %d", tn.Name, got.Total, writes)
		}
	}
	if got := recentWrites(t, e.control); got != tenants*writes {
		t.Errorf("%d writes counted, want %d", got, tenants*writes)
	}
}

func TestCountsRowTamperedWith(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 8)
	acme := e.createTenant(t, "acme")
	tdb := e.acquire(t, acme)
	if _, _, err := tdb.AddTodo(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	// The console's write mode can change or delete the counts row.
	if _, err := tdb.db.Exec("UPDATE todo_stats SET total = 999, completed = -5"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tenants.RecountTenant(ctx, acme); err != nil {
		t.Fatal(err)
	}
	if got, err := tdb.Stats(ctx); err != nil || got != (app.TodoStats{Total: 1}) {
		t.Errorf("after a recount: %+v, %v; want 1 todo", got, err)
	}
	if _, err := tdb.db.Exec("DELETE FROM todo_stats"); err != nil {
		t.Fatal(err)
	}
	if _, stats, err := tdb.AddTodo(ctx, "b"); err != nil || stats != (app.TodoStats{Total: 2}) {
		t.Errorf("a write without a counts row: %+v, %v; want it counted", stats, err)
	}
	if _, err := e.tenants.RecountTenant(ctx, acme); err != nil {
		t.Fatal(err)
	}
	if _, stats, err := tdb.ToggleTodo(ctx, 1); err != nil || stats != (app.TodoStats{Total: 2, Completed: 1}) {
		t.Errorf("after the row was rebuilt: %+v, %v", stats, err)
	}
	if _, stats, err := tdb.ClearCompleted(ctx); err != nil || stats != (app.TodoStats{Total: 1}) {
		t.Errorf("clear completed: %+v, %v", stats, err)
	}
}
