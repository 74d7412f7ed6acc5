package store

import (
	"context"

	"todos/app"
)

// OpenTenantIDs returns the ids of the tenants whose databases are open.
func (p *TenantPool) OpenTenantIDs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	ids := make([]string, 0, len(p.entries))
	for id, e := range p.entries {
		if !e.doomed {
			ids = append(ids, id)
		}
	}
	return ids
}

// EvictGone closes the pooled databases of tenants that another process
// (the CLI) has moved to the trash or purged since they were opened: their
// requests are already refused, and their files have moved or gone. Tenants
// being created are left alone. It returns how many it evicted.
func (s *Tenants) EvictGone(ctx context.Context) (int, error) {
	n := 0
	for _, id := range s.pool.OpenTenantIDs() {
		t, err := s.control.oneTenant(ctx, "id = ?", id) // any status
		switch {
		case app.ErrorCode(err) == app.ENOTFOUND, err == nil && t.Status == app.TenantDeleted:
			s.pool.Evict(id)
			n++
		case err != nil:
			return n, err
		}
	}
	return n, nil
}

// RecountTenant counts a tenant's todos in its database and, if the counts
// differ from t's (the control plane's copy), writes them to the control
// plane now, with whatever other activity is pending. It is for counters
// that lag: after a crash lost the last batch of activity, or after writes
// made outside the app (the console's write mode). It returns t with the
// counts found.
func (s *Tenants) RecountTenant(ctx context.Context, t *app.Tenant) (*app.Tenant, error) {
	tdb, err := s.pool.Acquire(ctx, t)
	if err != nil {
		return nil, err
	}
	stats, err := tdb.Recount(ctx)
	tdb.Release()
	if err != nil {
		return nil, err
	}
	if stats.Total != t.TodoCount || stats.Completed != t.CompletedCount {
		if _, err := s.pool.activity.Flush(ctx); err != nil {
			return nil, err
		}
	}
	counted := *t
	counted.TodoCount, counted.CompletedCount = stats.Total, stats.Completed
	return &counted, nil
}
