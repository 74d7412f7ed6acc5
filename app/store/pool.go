package store

import (
	"container/list"
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"sync"
	"time"

	"todos/app"
)

// TenantPool keeps the databases of recently used tenants open, up to a
// capacity, and hands them out for the length of a request.
//
// Each tenant has at most one *sql.DB at a time: concurrent Acquires of a
// tenant that is not open wait for one open-and-migrate, and a handle being
// closed is closed completely before the tenant is opened again. A handle in
// use is never closed; when all handles are in use the pool holds more than
// its capacity and shrinks back as they are released.
type TenantPool struct {
	provider   Provider
	migrations []Migration
	control    *Control
	activity   *ActivityBuffer // nil without a control plane
	capacity   int

	mu      sync.Mutex
	entries map[string]*poolEntry // by tenant id: opening, open and closing
	held    map[string]int        // tenants whose files are being moved: not opened
	lru     *list.List            // open entries not doomed, most recent first
	closed  bool
	stats   PoolStats

	// closing counts the closes of evicted databases that run in the
	// background, off the request that made room; Close waits for them.
	closing sync.WaitGroup
}

// TenantPool implements app.ListOpener.
var _ app.ListOpener = (*TenantPool)(nil)

// PoolStats counts the pool's work. Open is the number of open databases;
// Hits and Misses count Acquires that found or had to open the tenant;
// Evictions counts databases closed to stay within Capacity.
type PoolStats struct {
	Open, Capacity, Hits, Misses, Evictions int64
}

// poolEntry is one tenant's database in the pool.
type poolEntry struct {
	id       string
	location string // where db was opened: a tenant moved since is reopened
	db       *sql.DB
	err      error         // why the open failed; read after ready
	refs     int           // handles given out and not released
	ready    chan struct{} // closed when the open attempt is over
	gone     chan struct{} // closed when the entry has left the pool
	elem     *list.Element // place in lru, nil when not in it
	doomed   bool          // close at zero refs; Acquire waits for gone
	scan     bool          // opened by AcquireForScan: enters the LRU at its cold end
	writeMu  sync.Mutex    // orders writes with their activity records
	// exclusiveSince is when the database was opened with
	// Provider.OpenExclusive because the disk was full (set before ready;
	// zero for a normal open).
	exclusiveSince time.Time
	// purge removes expired deleted items (tenantdb_undo.go); set under
	// the pool lock.
	purge *time.Timer
}

// isReady reports whether e's open attempt is over.
func (e *poolEntry) isReady() bool {
	select {
	case <-e.ready:
		return true
	default:
		return false
	}
}

// NewTenantPool returns a pool that opens tenant databases with provider,
// migrates them with migrations and reports their counters to control
// (which may be nil, to report nothing) through an ActivityBuffer, flushed
// when the pool closes and whenever Activity().Run or Flush says.
// capacity is at least 1.
func NewTenantPool(provider Provider, migrations []Migration, control *Control, capacity int) *TenantPool {
	var activity *ActivityBuffer
	if control != nil {
		activity = NewActivityBuffer(control)
	}
	return &TenantPool{
		activity:   activity,
		provider:   provider,
		migrations: migrations,
		control:    control,
		capacity:   max(capacity, 1),
		entries:    make(map[string]*poolEntry),
		held:       make(map[string]int),
		lru:        list.New(),
	}
}

// poolClosed is the error of an Acquire after Close.
func poolClosed() error {
	return app.Errorf(app.EUNAVAILABLE, "The service is shutting down. Please try again in a moment.")
}

// OpenList acquires the tenant's database as an app.TodoList.
func (p *TenantPool) OpenList(ctx context.Context, t *app.Tenant) (app.TodoList, error) {
	tdb, err := p.Acquire(ctx, t)
	if err != nil {
		return nil, err
	}
	return tdb, nil
}

// Acquire returns a handle on t's database, opening and migrating it if it is
// not open. The caller must Release the handle.
func (p *TenantPool) Acquire(ctx context.Context, t *app.Tenant) (*TenantDB, error) {
	return p.acquire(ctx, t, false)
}

// AcquireForScan is Acquire for a pass over many tenants (a counter check
// after a crash): a database it opens goes to the cold end of the LRU and
// one already open keeps its place, so the pass cycles through one slot
// instead of evicting the tenants that requests are using.
func (p *TenantPool) AcquireForScan(ctx context.Context, t *app.Tenant) (*TenantDB, error) {
	return p.acquire(ctx, t, true)
}

// acquire is Acquire; scan says whether the handle is for a pass over many
// tenants (see AcquireForScan).
func (p *TenantPool) acquire(ctx context.Context, t *app.Tenant, scan bool) (*TenantDB, error) {
	p.mu.Lock()
	for {
		if p.closed {
			p.mu.Unlock()
			return nil, poolClosed()
		}
		if p.held[t.ID] > 0 {
			p.mu.Unlock()
			return nil, tenantHeld()
		}
		e := p.entries[t.ID]
		if e == nil {
			break
		}
		if !e.doomed && e.location != t.Location {
			// Moved by another process (another server moved it to another
			// region): the handle is on the old database. Close it when
			// its users are done, and open the new one.
			victims := p.doomLocked(e)
			p.mu.Unlock()
			_ = p.closeEntries(victims)
			p.mu.Lock()
			continue
		}
		if e.doomed { // being closed: wait, then open it afresh
			p.mu.Unlock()
			if err := waitFor(ctx, e.gone); err != nil {
				return nil, err
			}
			p.mu.Lock()
			continue
		}
		e.refs++
		p.stats.Hits++
		if e.elem != nil && !scan {
			p.lru.MoveToFront(e.elem)
		}
		p.mu.Unlock()
		return p.await(ctx, e)
	}
	e := &poolEntry{id: strings.Clone(t.ID), location: strings.Clone(t.Location), refs: 1, ready: make(chan struct{}), gone: make(chan struct{}), scan: scan}
	p.entries[e.id] = e
	p.stats.Misses++
	p.mu.Unlock()
	p.openEntry(ctx, e, t)
	return p.await(ctx, e)
}

// await waits for e's open and returns a handle on it. The caller holds a
// reference, which is given back if the wait is cancelled.
func (p *TenantPool) await(ctx context.Context, e *poolEntry) (*TenantDB, error) {
	if !e.isReady() {
		if err := waitFor(ctx, e.ready); err != nil {
			p.release(e)
			return nil, err
		}
	}
	if e.err != nil {
		return nil, e.err
	}
	return &TenantDB{pool: p, entry: e, db: e.db, tenantID: e.id}, nil
}

// waitFor waits until ch is closed or ctx is done.
func waitFor(ctx context.Context, ch <-chan struct{}) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release gives back one reference to e. A doomed entry (evicted, held or
// the pool closed) is closed now, by its last user, for those waiting on it;
// otherwise idle entries beyond capacity are closed in the background.
func (p *TenantPool) release(e *poolEntry) {
	p.mu.Lock()
	e.refs--
	if e.refs == 0 && e.doomed && e.isReady() && e.db != nil {
		closed := p.closed
		p.mu.Unlock()
		_ = p.closeEntries([]*poolEntry{e})
		if closed && p.activity != nil {
			// The pool's last flush may have run before this handle's
			// last writes: flush them too.
			if _, err := p.activity.Flush(context.Background()); err != nil {
				slog.Warn("store: flushing tenant activity after close", "err", err)
			}
		}
		return
	}
	closeVictims := p.evictInBackgroundLocked()
	p.mu.Unlock()
	closeVictims()
}

// evictInBackgroundLocked picks the idle entries beyond capacity and
// returns a function that closes them in the background, to call once p.mu
// is released: a close checkpoints the database's write-ahead log, which
// writes and syncs its file, and must not hold up the request that made
// room. The close is counted in p.closing before p.mu is released, so Close
// never misses it. The caller holds p.mu.
func (p *TenantPool) evictInBackgroundLocked() func() {
	victims := p.evictLocked()
	if len(victims) == 0 {
		return func() {}
	}
	p.closing.Add(1)
	return func() {
		go func() {
			defer p.closing.Done()
			_ = p.closeEntries(victims)
		}()
	}
}

// Activity returns the buffer of the pool's tenant activity, nil when the
// pool reports to no control plane.
func (p *TenantPool) Activity() *ActivityBuffer { return p.activity }
