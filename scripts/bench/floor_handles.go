package main

import (
	"container/list"
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// handles keeps the floor server's tenant databases open: opened lazily on
// first use, one *sql.DB per tenant, and, when max > 0, at most max open
// ones that no request uses (least recently used are closed first). A
// handle in use is never closed, and a tenant is not reopened while its old
// handle is still closing: go-libsql is reported to crash when one file is
// opened and closed concurrently (shared/notes/engine.md).
type handles struct {
	dir string
	max int

	mu      sync.Mutex
	open    map[string]*handle       // opening and open
	closing map[string]chan struct{} // closed when that tenant's old handle is closed
	lru     *list.List               // *handle, most recently used first
}

// handle is one tenant's open database.
type handle struct {
	name  string
	db    *sql.DB
	err   error         // why the open failed; read after ready
	ready chan struct{} // closed when the open attempt is over
	refs  int           // requests using it
	elem  *list.Element // place in lru once open
}

// newHandles returns the handles of the tenant files {dir}/{name}.db.
func newHandles(dir string, max int) *handles {
	return &handles{dir: dir, max: max, open: map[string]*handle{}, closing: map[string]chan struct{}{}, lru: list.New()}
}

// acquire returns tenant's open database; release it after use.
func (hs *handles) acquire(ctx context.Context, tenant string) (*handle, error) {
	for {
		hs.mu.Lock()
		if h := hs.open[tenant]; h != nil {
			h.refs++
			if h.elem != nil {
				hs.lru.MoveToFront(h.elem)
			}
			hs.mu.Unlock()
			<-h.ready
			if h.err != nil {
				hs.release(h)
				return nil, h.err
			}
			return h, nil
		}
		if done := hs.closing[tenant]; done != nil {
			hs.mu.Unlock()
			select {
			case <-done:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		h := &handle{name: tenant, ready: make(chan struct{}), refs: 1}
		hs.open[tenant] = h
		hs.mu.Unlock()

		h.db, h.err = hs.openFile(tenant)
		hs.mu.Lock()
		if h.err != nil {
			delete(hs.open, tenant)
		} else {
			h.elem = hs.lru.PushFront(h)
		}
		hs.mu.Unlock()
		close(h.ready)
		if h.err != nil {
			return nil, h.err
		}
		return h, nil
	}
}

// openFile opens an existing tenant file; a missing one is errNoTenant (so
// that a request for an unknown tenant never creates a file).
func (hs *handles) openFile(tenant string) (*sql.DB, error) {
	path := filepath.Join(hs.dir, tenant+".db")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, errNoTenant
	} else if err != nil {
		return nil, err
	}
	return openFile(path)
}

// release gives h back and closes the least recently used idle handles
// beyond max.
func (hs *handles) release(h *handle) {
	hs.mu.Lock()
	h.refs--
	var victims []*handle
	if hs.max > 0 {
		for e := hs.lru.Back(); e != nil && hs.lru.Len() > hs.max; {
			v := e.Value.(*handle)
			prev := e.Prev()
			if v.refs == 0 {
				hs.lru.Remove(e)
				v.elem = nil
				delete(hs.open, v.name)
				hs.closing[v.name] = make(chan struct{})
				victims = append(victims, v)
			}
			e = prev
		}
	}
	hs.mu.Unlock()
	for _, v := range victims {
		_ = v.db.Close()
		hs.mu.Lock()
		close(hs.closing[v.name])
		delete(hs.closing, v.name)
		hs.mu.Unlock()
	}
}

// closeAll closes every open database.
func (hs *handles) closeAll() error {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	var errs []error
	for name, h := range hs.open {
		select {
		case <-h.ready:
			if h.db != nil {
				errs = append(errs, h.db.Close())
			}
		default:
		}
		delete(hs.open, name)
	}
	hs.lru.Init()
	return errors.Join(errs...)
}
