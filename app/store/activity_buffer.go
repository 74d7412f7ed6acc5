package store

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"todos/app"
)

// ActivityBuffer gathers each tenant's counters, last write time, write
// count and schema version in memory as its writes commit and its database
// opens, and writes them to the control plane
// in batches: every few seconds (Run), when asked (Flush), and when the pool
// closes. A tenant's write never waits on the shared control plane, and many
// writes cost the control plane one transaction.
//
// After a crash the control plane lags by at most one flush interval of
// writes, until the next server's ReconcileCounters (run when it finds that
// a server stopped uncleanly) or RecountTenant brings the counters back in
// line with the tenants' databases.
type ActivityBuffer struct {
	control *Control
	pending sync.Map // tenant id -> *tenantActivity, not yet flushed
	flushMu sync.Mutex
}

// tenantActivity is one tenant's activity since the last flush.
type tenantActivity struct {
	mu       sync.Mutex
	retired  bool          // taken by a flush: record into a new one
	stats    app.TodoStats // counters after the tenant's latest write
	hasStats bool
	last     time.Time       // latest write
	writes   map[int64]int64 // writes by hour (unix ms of its start)
	schema   int             // schema version found on opening; 0: none
}

// ActivityRecord is what a flush writes for one tenant.
type ActivityRecord struct {
	TenantID string
	Stats    app.TodoStats
	HasStats bool
	Last     time.Time
	Writes   map[int64]int64 // by hour, unix milliseconds of its start
	// SchemaVersion is the version the tenant's database was found at
	// when opened (0: not opened since the last flush).
	SchemaVersion int
}

// NewActivityBuffer returns an empty buffer that flushes to control.
func NewActivityBuffer(control *Control) *ActivityBuffer { return &ActivityBuffer{control: control} }

// record notes a committed write of tenantID at at, after which its list
// counts stats. counted says whether it counts as a write for the hourly
// activity (a recount does not). The caller orders the records of one
// tenant (TenantDB.write holds the tenant's write lock), so the last record
// has the latest counters.
func (b *ActivityBuffer) record(tenantID string, stats app.TodoStats, at time.Time, counted bool) {
	b.update(tenantID, func(a *tenantActivity) {
		a.stats, a.hasStats = stats, true
		if counted {
			if at.After(a.last) {
				a.last = at
			}
			if a.writes == nil {
				a.writes = make(map[int64]int64, 1)
			}
			a.writes[millis(at.Truncate(time.Hour))]++
		}
	})
}

// recordSchema notes the schema version tenantID's database was found at.
func (b *ActivityBuffer) recordSchema(tenantID string, version int) {
	b.update(tenantID, func(a *tenantActivity) { a.schema = version })
}

// update applies fn to tenantID's pending activity, under its lock.
func (b *ActivityBuffer) update(tenantID string, fn func(a *tenantActivity)) {
	for {
		v, _ := b.pending.LoadOrStore(tenantID, &tenantActivity{})
		a := v.(*tenantActivity)
		a.mu.Lock()
		if a.retired { // taken by a flush: start afresh
			a.mu.Unlock()
			continue
		}
		fn(a)
		a.mu.Unlock()
		return
	}
}

// take removes and returns everything pending.
func (b *ActivityBuffer) take() []ActivityRecord {
	var recs []ActivityRecord
	b.pending.Range(func(k, v any) bool {
		a := v.(*tenantActivity)
		if !b.pending.CompareAndDelete(k, v) {
			return true
		}
		a.mu.Lock()
		a.retired = true
		recs = append(recs, ActivityRecord{TenantID: k.(string), Stats: a.stats, HasStats: a.hasStats,
			Last: a.last, Writes: a.writes, SchemaVersion: a.schema})
		a.mu.Unlock()
		return true
	})
	return recs
}

// putBack returns records a failed flush could not write, under anything
// recorded since (which is newer, so its counters win).
func (b *ActivityBuffer) putBack(recs []ActivityRecord) {
	for _, r := range recs {
		b.update(r.TenantID, func(a *tenantActivity) {
			if !a.hasStats {
				a.stats, a.hasStats = r.Stats, r.HasStats
			}
			if r.Last.After(a.last) {
				a.last = r.Last
			}
			for h, n := range r.Writes {
				if a.writes == nil {
					a.writes = make(map[int64]int64, len(r.Writes))
				}
				a.writes[h] += n
			}
			if a.schema == 0 {
				a.schema = r.SchemaVersion
			}
		})
	}
}

// Flush writes everything pending to the control plane in one transaction
// and returns how many tenants it wrote. On failure nothing is lost: the
// records stay pending for the next flush.
func (b *ActivityBuffer) Flush(ctx context.Context) (int, error) {
	b.flushMu.Lock()
	defer b.flushMu.Unlock()
	recs := b.take()
	if len(recs) == 0 {
		return 0, nil
	}
	if err := b.control.RecordActivity(context.WithoutCancel(ctx), recs); err != nil {
		b.putBack(recs)
		return 0, err
	}
	return len(recs), nil
}

// Run flushes every interval until ctx ends, then once more.
func (b *ActivityBuffer) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if _, err := b.Flush(context.WithoutCancel(ctx)); err != nil {
				slog.Warn("store: final activity flush", "err", err)
			}
			return
		case <-t.C:
			if _, err := b.Flush(ctx); err != nil {
				slog.Warn("store: activity flush (will retry)", "err", err)
			}
		}
	}
}
