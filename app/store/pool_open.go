package store

import (
	"context"
	"database/sql"
	"log/slog"
)

// openEntry opens and migrates e's database, records its schema version in
// the control plane, then publishes the result to everyone waiting on
// e.ready. It runs without the pool lock, so tenants open
// in parallel, and with the caller's context stripped of its cancellation,
// because other Acquires share the result.
func (p *TenantPool) openEntry(ctx context.Context, e *poolEntry, location string) {
	ctx = context.WithoutCancel(ctx)
	db, version, err := p.openAndMigrate(ctx, location)
	if err == nil && p.control != nil {
		if err := p.control.setSchemaVersion(ctx, e.id, version); err != nil {
			slog.Warn("store: could not record a tenant's schema version", "tenant", e.id, "err", err)
		}
	}
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
	p.closeInBackground(victims)
}

// openAndMigrate opens the database at location, brings it to the latest
// schema and returns the version it is at.
func (p *TenantPool) openAndMigrate(ctx context.Context, location string) (*sql.DB, int, error) {
	db, err := p.provider.Open(ctx, location)
	if err != nil {
		return nil, 0, err
	}
	_, version, err := Migrate(ctx, db, p.migrations)
	if err != nil {
		_ = db.Close()
		return nil, 0, err
	}
	return db, version, nil
}
