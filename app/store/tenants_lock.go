package store

import "sync"

// tenantLocks is a mutex per tenant id, for operations that move a tenant's
// database (trash, restore, purge), so that two of them never interleave in
// this process, and the set of tenants this process is creating. The zero
// value is ready to use.
type tenantLocks struct {
	mu    sync.Mutex
	locks map[string]*tenantLock
	// creating holds the tenants being created here: see creations.
	creating creations
}

// tenantLock is one tenant's mutex and the number of its users.
type tenantLock struct {
	mu    sync.Mutex
	users int
}

// lock locks id's mutex and returns the function that unlocks it.
func (l *tenantLocks) lock(id string) (unlock func()) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = make(map[string]*tenantLock)
	}
	tl := l.locks[id]
	if tl == nil {
		tl = &tenantLock{}
		l.locks[id] = tl
	}
	tl.users++
	l.mu.Unlock()
	tl.mu.Lock()
	return func() {
		tl.mu.Unlock()
		l.mu.Lock()
		if tl.users--; tl.users == 0 {
			delete(l.locks, id)
		}
		l.mu.Unlock()
	}
}

// creations is the set of tenant ids whose creation runs in this process.
// Their 'creating' records are never treated as abandoned here, however old
// their lease: the sweep and sign-ups of this process leave them alone.
// The zero value is ready to use.
type creations struct {
	mu  sync.Mutex
	ids map[string]struct{}
}

// begin notes that this process creates tenant id until done is called.
func (c *creations) begin(id string) (done func()) {
	c.mu.Lock()
	if c.ids == nil {
		c.ids = make(map[string]struct{})
	}
	c.ids[id] = struct{}{}
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		delete(c.ids, id)
		c.mu.Unlock()
	}
}

// list returns the ids being created by this process.
func (c *creations) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, 0, len(c.ids))
	for id := range c.ids {
		ids = append(ids, id)
	}
	return ids
}
