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

// RecountTenant recounts a tenant's todos into the control plane after its
// database was changed outside the app (the console's write mode).
func (s *Tenants) RecountTenant(ctx context.Context, t *app.Tenant) error {
	tdb, err := s.pool.Acquire(ctx, t)
	if err != nil {
		return err
	}
	defer tdb.Release()
	_, err = tdb.Recount(ctx)
	return err
}
