package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"todos/app"
)

// ReconcileResult is what ReconcileCounters did.
type ReconcileResult struct {
	Checked   int   // tenants whose counts were read
	Corrected int   // tenants whose control-plane counters lagged
	Failed    int   // tenants that could not be read (logged)
	Err       error // the first failure, if any
}

// ReconcileCounters brings the control plane's counters of every live
// tenant in line with the counts row of the tenant's own database (kept by
// triggers in the same transactions as its todos), after a crash lost the
// last batch of activity. Counters that differ are noted in the activity
// buffer, without counting a write, and flushed at the end; counters in
// line cost the control plane nothing. One tenant at a time is opened
// through the pool, at its cold end (AcquireForScan), so the pass does not
// evict the tenants requests are using. A tenant that cannot be read is logged and skipped.
// It stops early, with ctx's error, when ctx ends.
func (s *Tenants) ReconcileCounters(ctx context.Context) (ReconcileResult, error) {
	var res ReconcileResult
	ts, err := s.control.ListTenants(ctx)
	if err != nil {
		return res, err
	}
	for _, t := range ts {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		lagged, err := s.reconcileTenant(ctx, t)
		if err != nil {
			res.Failed++
			if res.Err == nil {
				res.Err = fmt.Errorf("tenant %s: %w", t.Name, err)
			}
			slog.Warn("store: could not reconcile a tenant's counters", "tenant", t.ID, "name", t.Name, "err", err)
			continue
		}
		res.Checked++
		if lagged {
			res.Corrected++
		}
	}
	if res.Corrected > 0 {
		if _, err := s.pool.activity.Flush(ctx); err != nil {
			return res, err
		}
	}
	return res, nil
}

// reconcileTenant reads t's counts from its database and, if they differ
// from t's (the control plane's), notes them for the next activity flush.
// It reports whether they differed.
func (s *Tenants) reconcileTenant(ctx context.Context, t *app.Tenant) (bool, error) {
	tdb, err := s.pool.AcquireForScan(ctx, t)
	if err != nil {
		return false, err
	}
	defer tdb.Release()
	return tdb.reconcile(ctx, app.TodoStats{Total: t.TodoCount, Completed: t.CompletedCount})
}

// reconcile reads the list's counts row and, if it differs from shown (what
// the control plane shows), notes it in the activity buffer without counting
// a write. It holds the tenant's write lock, so that a write committing
// meanwhile notes its counts after these.
func (t *TenantDB) reconcile(ctx context.Context, shown app.TodoStats) (bool, error) {
	t.entry.writeMu.Lock()
	defer t.entry.writeMu.Unlock()
	stats, err := readStats(ctx, t.db)
	if err != nil {
		return false, err
	}
	if stats == shown {
		return false, nil
	}
	if a := t.pool.activity; a != nil {
		a.record(t.tenantID, stats, time.Time{}, false)
	}
	return true, nil
}
