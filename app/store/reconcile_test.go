package store

import (
	"context"
	"testing"

	"todos/app"
)

// shownCounts returns what the control plane shows of tenant name.
func shownCounts(t *testing.T, s *Tenants, name string) app.TodoStats {
	t.Helper()
	tn, err := s.FindTenant(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return app.TodoStats{Total: tn.TodoCount, Completed: tn.CompletedCount}
}

func TestReconcileCountersAfterALostBatch(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 1) // one open tenant at a time: the other is reopened
	acme := e.createTenant(t, "acme")
	e.createTenant(t, "beta")
	tdb := e.acquire(t, acme)
	first, _, err := tdb.AddTodo(ctx, "flushed")
	if err != nil {
		t.Fatal(err)
	}
	e.flushActivity(t)
	for _, title := range []string{"lost 1", "lost 2"} {
		if _, _, err := tdb.AddTodo(ctx, title); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := tdb.ToggleTodo(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	e.pool.Activity().take() // the batch a kill -9 loses
	writes := recentWrites(t, e.control)
	if got := shownCounts(t, e.tenants, "acme"); got != (app.TodoStats{Total: 1}) {
		t.Fatalf("before: the control plane shows %+v, want the flushed 1, 0", got)
	}

	res, err := e.tenants.ReconcileCounters(ctx)
	if err != nil || res.Checked != 2 || res.Corrected != 1 || res.Failed != 0 {
		t.Fatalf("ReconcileCounters = %+v, %v; want 2 checked, 1 corrected", res, err)
	}
	if got := shownCounts(t, e.tenants, "acme"); got != (app.TodoStats{Total: 3, Completed: 1}) {
		t.Errorf("after: the control plane shows %+v, want 3, 1", got)
	}
	if got := recentWrites(t, e.control); got != writes {
		t.Errorf("the reconciliation counted as writes: %d, was %d", got, writes)
	}

	// Counters in line: nothing to write, not one control-plane change.
	version, err := e.control.TenantsVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err = e.tenants.ReconcileCounters(ctx)
	if err != nil || res.Checked != 2 || res.Corrected != 0 {
		t.Fatalf("second ReconcileCounters = %+v, %v; want 2 checked, 0 corrected", res, err)
	}
	e.flushActivity(t)
	if again, _ := e.control.TenantsVersion(ctx); again != version {
		t.Errorf("a reconciliation with nothing to correct changed the control plane: %s, was %s", again, version)
	}
}

func TestReconcileCountersGoesOnPastABrokenTenant(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	broken, ok := e.createTenant(t, "broken"), e.createTenant(t, "fine")
	tdb := e.acquire(t, ok)
	if _, _, err := tdb.AddTodo(ctx, "lost"); err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	e.pool.Activity().take()
	<-e.pool.Evict(broken.ID)
	if err := e.provider.Remove(ctx, broken.Location); err != nil {
		t.Fatal(err)
	}
	res, err := e.tenants.ReconcileCounters(ctx)
	if err != nil || res.Checked != 1 || res.Corrected != 1 || res.Failed != 1 || res.Err == nil {
		t.Fatalf("ReconcileCounters = %+v, %v; want 1 checked and corrected, 1 failed", res, err)
	}
	if got := shownCounts(t, e.tenants, "fine"); got.Total != 1 {
		t.Errorf("fine shows %+v, want 1 todo", got)
	}
}
