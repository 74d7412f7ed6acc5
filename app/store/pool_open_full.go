package store

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"time"
)

// Opening a tenant's database in WAL mode creates its -shm file and writes
// every page of it, so on a full disk the open itself fails ("disk I/O
// error") and the tenant could not even be read. The pool then opens it in
// exclusive locking mode (Provider.OpenExclusive), which needs no -shm:
// reads work, writes fail with EFULL until space is freed. Such a handle
// keeps other processes (the SQL console, a backup) out of the file, so the
// pool gives it up after its first successful write, or when it is released
// a minute or more after it was opened, and opens the tenant normally again
// (or exclusively again, if the disk is still full).

// openExclusiveWhenFull returns an exclusive handle on the database at
// location when cause, the error of a normal open, comes from a full disk
// (or an I/O error, which is how a -shm that cannot grow shows), and the
// database needs no migration. It returns cause, as EFULL when it says the
// disk is full, otherwise.
func (p *TenantPool) openExclusiveWhenFull(ctx context.Context, e *poolEntry, location string, cause error) (*sql.DB, int, error) {
	if !isStorageFull(cause) && !strings.Contains(cause.Error(), "disk I/O error") {
		return nil, 0, cause
	}
	db, err := p.provider.OpenExclusive(ctx, location)
	if err != nil {
		return nil, 0, storageError(cause)
	}
	version, err := SchemaVersion(ctx, db)
	if err != nil || version != LatestVersion(p.migrations) {
		// Unreadable, or it needs a migration, which cannot run now.
		_ = db.Close()
		return nil, 0, storageError(cause)
	}
	e.exclusiveSince = time.Now()
	slog.Warn("store: tenant database opened in exclusive mode because the disk is full; "+
		"reads work, writes fail until space is freed", "tenant", e.id, "cause", cause)
	return db, version, nil
}

// wrote is called after each successful write: a handle opened in
// exclusive mode (disk full) is closed when this request releases it, so
// that the tenant is opened normally again by the next request.
func (t *TenantDB) wrote() {
	if !t.entry.exclusiveSince.IsZero() {
		t.pool.Evict(t.tenantID)
	}
}

// exclusiveRetry is how long an exclusive handle serves before the pool
// tries a normal open again.
const exclusiveRetry = time.Minute

// retryNormalOpen is called on Release: an exclusive handle open for
// exclusiveRetry or longer is closed after this request, so that the next
// one tries a normal open.
func (t *TenantDB) retryNormalOpen() {
	if since := t.entry.exclusiveSince; !since.IsZero() && time.Since(since) >= exclusiveRetry {
		t.pool.Evict(t.tenantID)
	}
}
