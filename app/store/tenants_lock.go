package store

import "sync"

// tenantLocks is a mutex per tenant id, for operations that move a tenant's
// database (trash, restore, purge), so that two of them never interleave in
// this process. The zero value is ready to use.
type tenantLocks struct {
	mu    sync.Mutex
	locks map[string]*tenantLock
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
