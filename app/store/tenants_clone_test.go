package store

import (
	"context"
	"testing"

	"todos/app"
)

func TestCloneTenantUnderConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 8)
	src := e.createTenant(t, "source")
	const prefilled = 5000
	e.prefill(t, src, prefilled)
	w := startWriters(t, e, src, 4)

	before := w.ids()
	clone, err := e.tenants.CloneTenant(ctx, "source", " Copy ")
	if err != nil {
		t.Fatal(err)
	}
	during := w.count() - len(before)
	w.finish(t)
	if during == 0 {
		t.Errorf("no write committed while the clone ran: the test proves nothing")
	}
	t.Logf("%d todos committed before the clone, %d while it ran", len(before), during)

	if clone.Name != "copy" || clone.ID == src.ID || clone.Region != src.Region || clone.Status != app.TenantActive ||
		clone.Location == src.Location || clone.SchemaVersion != LatestVersion(tenantMigrations(t)) {
		t.Errorf("clone %+v", clone)
	}
	tdb := e.acquire(t, clone)
	ids := wantSnapshot(t, tdb.db, prefilled, before)
	stats, err := tdb.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if clone.TodoCount != len(ids) || clone.TodoCount != stats.Total || clone.CompletedCount != stats.Completed ||
		stats.Completed != prefilled/2 {
		t.Errorf("clone counters %d/%d, database %+v", clone.TodoCount, clone.CompletedCount, stats)
	}
	owner, err := tdb.UserByEmail(ctx, "owner@example.com")
	if err != nil || !app.CheckPassword(owner.PasswordHash, "correct horse") {
		t.Errorf("owner in the clone = %+v, %v", owner, err)
	}
	if _, _, err := tdb.AddTodo(ctx, "only in the clone"); err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	srcDB := e.acquire(t, src)
	if n, _ := srcDB.Stats(ctx); n.Total != prefilled+len(w.ids()) {
		t.Errorf("source has %d todos, want %d", n.Total, prefilled+len(w.ids()))
	}
	srcDB.Release()
	if staged := stagedFiles(t, e.tenantsDir()); len(staged) != 0 {
		t.Errorf("staged files left: %q", staged)
	}
}

func TestCloneTenantRefusals(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	e.createTenant(t, "source")
	e.createTenant(t, "taken")
	e.createTenant(t, "gone")
	if err := e.tenants.DeleteTenant(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	before := e.state(t)
	tests := []struct {
		source, target, code string
	}{
		{"source", "taken", app.ECONFLICT},
		{"source", "gone", app.ECONFLICT}, // in the trash: still taken
		{"source", "source", app.ECONFLICT},
		{"source", "bad name!", app.EINVALID},
		{"source", "admin", app.EINVALID},
		{"nope", "fresh", app.ENOTFOUND},
		{"gone", "fresh", app.ENOTFOUND},
	}
	for _, tt := range tests {
		_, err := e.tenants.CloneTenant(ctx, tt.source, tt.target)
		wantCode(t, err, tt.code)
	}
	e.wantState(t, before)

	// Failures while copying, and after the copy is adopted, leave nothing.
	source := mustFindAny(t, e, "source")
	<-e.pool.Evict(source.ID)
	e.provider.failOpen.Store(true) // the source cannot be opened
	if _, err := e.tenants.CloneTenant(ctx, "source", "fresh"); err == nil {
		t.Fatal("clone succeeded with failing opens")
	}
	e.provider.failOpen.Store(false)
	e.wantState(t, before)
	held := e.acquire(t, source) // the source stays open, the clone cannot be opened
	e.provider.failOpen.Store(true)
	if _, err := e.tenants.CloneTenant(ctx, "source", "fresh"); err == nil {
		t.Fatal("clone succeeded with failing opens")
	}
	e.provider.failOpen.Store(false)
	held.Release()
	e.wantState(t, before)
	if _, err := e.tenants.CloneTenant(ctx, "source", "fresh"); err != nil {
		t.Errorf("name not reusable: %v", err)
	}
}
