package store

import (
	"context"
	"errors"
	"fmt"
)

// evictLocked picks the least recently used idle entries while more than
// capacity are open, dooms them and returns them for closeEntries. Entries in
// use are skipped. The caller holds p.mu.
func (p *TenantPool) evictLocked() []*poolEntry {
	var victims []*poolEntry
	for el := p.lru.Back(); el != nil && p.lru.Len() > p.capacity; {
		prev := el.Prev()
		if e := el.Value.(*poolEntry); e.refs == 0 {
			p.lru.Remove(el)
			e.elem = nil
			e.doomed = true
			p.stats.Evictions++
			victims = append(victims, e)
		}
		el = prev
	}
	return victims
}

// closeEntries closes the databases of doomed, unused entries without the
// pool lock, then removes the entries and wakes Acquires waiting on them.
func (p *TenantPool) closeEntries(victims []*poolEntry) error {
	var errs []error
	for _, e := range victims {
		errs = append(errs, checkpointAndClose(e.db, "tenant "+e.id))
		p.mu.Lock()
		if p.entries[e.id] == e {
			delete(p.entries, e.id)
		}
		p.stats.Open--
		close(e.gone)
		p.mu.Unlock()
	}
	return errors.Join(errs...)
}

// Evict closes and forgets tenantID's database, for example because the
// tenant was deleted. New Acquires wait until it is closed and then open it
// afresh. An unused database is closed before Evict returns; one in use is
// closed on its last Release. The returned channel is closed once the
// database is closed (at once if the tenant is not open).
func (p *TenantPool) Evict(tenantID string) <-chan struct{} {
	p.mu.Lock()
	e := p.entries[tenantID]
	if e == nil {
		p.mu.Unlock()
		done := make(chan struct{})
		close(done)
		return done
	}
	victims := p.doomLocked(e)
	p.mu.Unlock()
	_ = p.closeEntries(victims)
	return e.gone
}

// doomLocked marks e to be closed and returns it for closeEntries if no one
// uses it. The caller holds p.mu.
func (p *TenantPool) doomLocked(e *poolEntry) []*poolEntry {
	if e.doomed {
		return nil
	}
	e.doomed = true
	if e.elem != nil {
		p.lru.Remove(e.elem)
		e.elem = nil
	}
	if e.refs == 0 && e.isReady() && e.db != nil {
		return []*poolEntry{e}
	}
	return nil
}

// Close closes every unused database, flushes the pending tenant activity
// to the control plane and makes later Acquires fail with EUNAVAILABLE.
// Databases still in use are closed on their last Release.
func (p *TenantPool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	var victims []*poolEntry
	for _, e := range p.entries {
		victims = append(victims, p.doomLocked(e)...)
	}
	p.mu.Unlock()
	err := p.closeEntries(victims)
	p.closing.Wait() // closes that requests started in the background
	if p.activity != nil {
		if _, ferr := p.activity.Flush(context.Background()); ferr != nil {
			err = errors.Join(err, fmt.Errorf("flush tenant activity: %w", ferr))
		}
	}
	return err
}

// Stats returns a snapshot of the pool's counters.
func (p *TenantPool) Stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Capacity = int64(p.capacity)
	return s
}
