package store

import (
	"context"
	"testing"
	"time"

	"todos/app"
)

func TestHourlyActivity(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	now := time.Now()
	hour := now.Truncate(time.Hour)
	writes := map[time.Duration]int{0: 3, -2 * time.Hour: 2, -30 * time.Hour: 1}
	for back, n := range writes {
		for range n {
			if err := recordWrite(ctx, c, "t_any", app.TodoStats{}, hour.Add(back).Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
	}
	points, err := c.HourlyActivity(ctx, 24)
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != 24 {
		t.Fatalf("%d points, want 24", len(points))
	}
	for i, p := range points {
		want := hour.Add(time.Duration(i-23) * time.Hour)
		if !p.Hour.Equal(want) || p.Hour.Location() != time.UTC {
			t.Fatalf("point %d is hour %v, want %v", i, p.Hour, want.UTC())
		}
		wantWrites := map[int]int{23: 3, 21: 2}[i]
		if p.Writes != wantWrites {
			t.Errorf("point %d (%v): %d writes, want %d", i, p.Hour, p.Writes, wantWrites)
		}
	}
	if points, _ := c.HourlyActivity(ctx, 48); len(points) != 48 || points[47-30].Writes != 1 {
		t.Errorf("48 hours: %d points", len(points))
	}
	for hours, want := range map[int]int{0: 1, -5: 1, 1: 1, 100_000: maxActivityHours} {
		if points, err := c.HourlyActivity(ctx, hours); err != nil || len(points) != want {
			t.Errorf("HourlyActivity(%d) = %d points, %v; want %d", hours, len(points), err, want)
		}
	}
}

func TestPruneActivity(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	hour := time.Now().Truncate(time.Hour)
	for _, back := range []time.Duration{0, -2 * time.Hour, -30 * time.Hour} {
		if err := recordWrite(ctx, c, "t_any", app.TodoStats{}, hour.Add(back)); err != nil {
			t.Fatal(err)
		}
	}
	n, err := c.PruneActivity(ctx, hour.Add(-24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("PruneActivity = %d, %v; want 1 hour deleted", n, err)
	}
	points, _ := c.HourlyActivity(ctx, 48)
	total := 0
	for _, p := range points {
		total += p.Writes
	}
	if total != 2 {
		t.Errorf("%d writes left in 48 hours, want 2", total)
	}
}

func TestRecordActivityBumpsChangedAt(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	now := time.Now()
	if err := c.insertTenant(ctx, &app.Tenant{ID: "t_a", Name: "acme", Region: "local", Location: "/x/t_a.db",
		Status: app.TenantActive, CreatedAt: now, LastActiveAt: now}); err != nil {
		t.Fatal(err)
	}
	changedAt := func() int64 {
		var ms int64
		if err := c.db.QueryRow("SELECT changed_at FROM tenants WHERE id = 't_a'").Scan(&ms); err != nil {
			t.Fatal(err)
		}
		return ms
	}
	first := changedAt()
	if first < now.UnixMilli()-1000 {
		t.Fatalf("changed_at %d on insert, want about %d", first, now.UnixMilli())
	}
	last := first
	for i := range 5 { // quicker than a millisecond apart: each still raises it
		if err := recordWrite(ctx, c, "t_a", app.TodoStats{Total: i + 1}, now); err != nil {
			t.Fatal(err)
		}
		if got := changedAt(); got <= last {
			t.Fatalf("changed_at %d after write %d, was %d", got, i, last)
		}
		last = changedAt()
	}
}

// versionTracker fails the test unless TenantsVersion changed since its last
// check.
type versionTracker struct {
	t    *testing.T
	c    *Control
	last string
}

// changed checks that the version changed because of what.
func (v *versionTracker) changed(what string) {
	v.t.Helper()
	got, err := v.c.TenantsVersion(context.Background())
	if err != nil {
		v.t.Fatal(err)
	}
	if got == v.last {
		v.t.Errorf("TenantsVersion still %q after %s", got, what)
	}
	v.last = got
}

// same checks that the version did not change.
func (v *versionTracker) same(what string) {
	v.t.Helper()
	got, err := v.c.TenantsVersion(context.Background())
	if err != nil {
		v.t.Fatal(err)
	}
	if got != v.last {
		v.t.Errorf("TenantsVersion changed from %q to %q after %s", v.last, got, what)
	}
}

func TestTenantsVersionChanges(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	v := &versionTracker{t: t, c: e.control}
	v.changed("nothing") // sets the first value
	v.same("nothing")
	tn := e.createTenant(t, "acme")
	v.changed("create")
	tdb := e.acquire(t, tn)
	v.same("acquire")
	if _, _, err := tdb.AddTodo(ctx, "one"); err != nil {
		t.Fatal(err)
	}
	e.flushActivity(t) // writes reach the control plane in batches
	v.changed("write")
	tdb.Release()
	if err := e.tenants.SuspendTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	v.changed("suspend")
	if err := e.tenants.ResumeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	v.changed("resume")
	if err := e.tenants.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	v.changed("delete")
	if _, err := e.tenants.RestoreTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	v.changed("restore")
	if err := e.tenants.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	v.changed("delete again")
	if err := e.tenants.PurgeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	v.changed("purge")
	_, err := e.tenants.QueryTenants(ctx, app.TenantQuery{})
	if err != nil {
		t.Fatal(err)
	}
	v.same("query")
}

// recordWrite records one write of tenantID at at, after which it counts
// stats, as a batch of one.
func recordWrite(ctx context.Context, c *Control, tenantID string, stats app.TodoStats, at time.Time) error {
	return c.RecordActivity(ctx, []ActivityRecord{{TenantID: tenantID, Stats: stats, HasStats: true, Last: at,
		Writes: map[int64]int64{millis(at.Truncate(time.Hour)): 1}}})
}
