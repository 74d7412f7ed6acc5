package store

import (
	"context"
	"database/sql"

	"todos/app"
)

// openEntry opens and migrates t's database for e, notes its schema version
// for the control plane's next activity batch if t's record does not show
// it yet (opening a tenant never waits on the shared control plane), then
// publishes the result to everyone waiting on e.ready. It runs without the
// pool lock, so tenants open in parallel, and with the caller's context
// stripped of its cancellation, because other Acquires share the result.
func (p *TenantPool) openEntry(ctx context.Context, e *poolEntry, t *app.Tenant) {
	ctx = context.WithoutCancel(ctx)
	db, version, err := p.openAndMigrate(ctx, t.Location)
	if err != nil {
		db, version, err = p.openExclusiveWhenFull(ctx, e, t.Location, err)
	}
	if err == nil && p.activity != nil && version != t.SchemaVersion {
		p.activity.recordSchema(e.id, version)
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
		if db != nil { // migrated, then the pool closed
			_ = checkpointAndClose(db, "tenant "+e.id)
		}
		return
	}
	e.db = db
	p.stats.Open++
	switch {
	case e.doomed:
	case e.scan:
		e.elem = p.lru.PushBack(e)
	default:
		e.elem = p.lru.PushFront(e)
	}
	close(e.ready)
	closeVictims := p.evictInBackgroundLocked()
	p.mu.Unlock()
	closeVictims()
	// Items deleted before the database was last closed (a crash, or a
	// close within their window) are removed once their window is over.
	p.purgeLater(e)
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
		// Migrations before the one that failed may have committed.
		_ = checkpointAndClose(db, location)
		return nil, 0, err
	}
	return db, version, nil
}
