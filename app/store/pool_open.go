package store

import (
	"context"
	"database/sql"
)

// openEntry opens and migrates e's database, then publishes the result to
// everyone waiting on e.ready. It runs without the pool lock, so tenants open
// in parallel, and with the caller's context stripped of its cancellation,
// because other Acquires share the result.
func (p *TenantPool) openEntry(ctx context.Context, e *poolEntry, location string) {
	db, err := p.openAndMigrate(context.WithoutCancel(ctx), location)
	p.mu.Lock()
	if err == nil && p.closed {
		err = poolClosed()
	}
	if err != nil {
		e.err = err
		if p.entries[e.id] == e {
			delete(p.entries, e.id)
		}
		close(e.ready)
		close(e.gone)
		p.mu.Unlock()
		if db != nil {
			_ = db.Close()
		}
		return
	}
	e.db = db
	p.stats.Open++
	if !e.doomed {
		e.elem = p.lru.PushFront(e)
	}
	close(e.ready)
	victims := p.evictLocked()
	p.mu.Unlock()
	_ = p.closeEntries(victims)
}

// openAndMigrate opens the database at location and brings it to the latest
// schema.
func (p *TenantPool) openAndMigrate(ctx context.Context, location string) (*sql.DB, error) {
	db, err := p.provider.Open(ctx, location)
	if err != nil {
		return nil, err
	}
	if _, _, err := Migrate(ctx, db, p.migrations); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}
