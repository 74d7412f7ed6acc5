package store

import (
	"sync"

	"todos/app"
)

// tenantHeld is the error of an Acquire while the tenant's database is
// being moved (to or from the trash, or removed).
func tenantHeld() error {
	return app.Errorf(app.EUNAVAILABLE, "This list is being moved. Please try again in a moment.")
}

// hold closes tenantID's database (as Evict does) and keeps it closed:
// Acquires of the tenant fail with EUNAVAILABLE until release is called, so
// its files can be moved or removed. closed is closed once the database is
// closed. Holds nest; release may be called more than once.
func (p *TenantPool) hold(tenantID string) (closed <-chan struct{}, release func()) {
	p.mu.Lock()
	p.held[tenantID]++
	p.mu.Unlock()
	release = sync.OnceFunc(func() {
		p.mu.Lock()
		if p.held[tenantID]--; p.held[tenantID] <= 0 {
			delete(p.held, tenantID)
		}
		p.mu.Unlock()
	})
	return p.Evict(tenantID), release
}
