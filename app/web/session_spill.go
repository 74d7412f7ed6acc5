package web

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"

	"todos/app"
)

// Bounds of the sessions a spillStore keeps in memory (each is a few
// hundred bytes); beyond them a full disk refuses sign-ins. Each tenant
// may take a tenth of the whole: anyone may sign up for a list and sign in
// to it again and again, and must not take every other tenant's sign-ins
// away while the disk is full.
const (
	maxSpilledSessions         = 10000
	maxSpilledSessionsPerScope = maxSpilledSessions / 10
)

// spillStore is the scs store around a session store that keeps in memory
// what the store cannot write because the storage is full (EFULL): a
// sign-in, a renewal, a sign-out. So signing in and out work on a full
// disk, although a session is a write. The price: a session begun (or
// ended) while the disk was full lives only in this process's memory, and
// a restart forgets it: it then needs a new sign-in (or, for a sign-out,
// its database row is valid again until it expires; its cookie is gone).
//
// Sessions are found in memory first: a session renewed into memory is
// newer than its row. Once in memory a session stays there until it
// expires or is deleted, because its row (if any) is older.
type spillStore struct {
	inner    scs.CtxStore
	lifetime time.Duration // how long a deletion is remembered
	logger   *slog.Logger
	max      int // entries held at most (maxSpilledSessions)
	maxScope int // entries held at most per scope (maxSpilledSessionsPerScope)

	mu     sync.Mutex
	held   map[spillKey]spilledSession
	scopes map[string]int // entries held per scope
	// count is len(held), read without mu: while nothing is held (always,
	// but on a full disk) a request's session goes straight to the inner
	// store and takes no shared lock.
	count atomic.Int64

	// spills counts writes of inner that failed with EFULL and were kept
	// in memory instead.
	spills atomic.Int64
}

// spillKey names a session in memory: the tenant whose database it
// belongs in ("" for admin sessions) and its store key.
type spillKey struct{ scope, key string }

// spilledSession is a session kept in memory, or the deletion of one.
type spilledSession struct {
	data    []byte
	expiry  time.Time
	deleted bool
}

// newSpillStore returns a spillStore around inner.
func newSpillStore(inner scs.CtxStore, lifetime time.Duration, logger *slog.Logger) *spillStore {
	return &spillStore{inner: inner, lifetime: lifetime, logger: logger,
		max: maxSpilledSessions, maxScope: maxSpilledSessionsPerScope,
		held: map[spillKey]spilledSession{}, scopes: map[string]int{}}
}

// spillScope is the tenant of a request's session records, "" without.
func spillScope(ctx context.Context) string {
	if r, ok := app.SessionRecordsFromContext(ctx).(interface{ TenantID() string }); ok {
		return r.TenantID()
	}
	return ""
}

// FindCtx returns the session from memory if it is there (nothing if it was
// deleted there), from the inner store otherwise.
func (s *spillStore) FindCtx(ctx context.Context, key string) ([]byte, bool, error) {
	if s.count.Load() == 0 {
		return s.inner.FindCtx(ctx, key)
	}
	k := spillKey{spillScope(ctx), key}
	s.mu.Lock()
	e, ok := s.held[k]
	if ok && !time.Now().Before(e.expiry) {
		s.drop(k)
		ok = false
	}
	s.mu.Unlock()
	if ok {
		if e.deleted {
			return nil, false, nil
		}
		return e.data, true, nil
	}
	return s.inner.FindCtx(ctx, key)
}

// CommitCtx writes the session to the inner store, or to memory when it is
// already there or the inner store is full. A session deleted in memory
// stays deleted.
func (s *spillStore) CommitCtx(ctx context.Context, key string, b []byte, expiry time.Time) error {
	k := spillKey{spillScope(ctx), key}
	held := false
	if s.count.Load() > 0 {
		s.mu.Lock()
		var e spilledSession
		e, held = s.held[k]
		if held && !e.deleted {
			s.held[k] = spilledSession{data: b, expiry: expiry}
		}
		s.mu.Unlock()
	}
	if held {
		return nil
	}
	err := s.inner.CommitCtx(ctx, key, b, expiry)
	if app.ErrorCode(err) != app.EFULL || !s.hold(k, spilledSession{data: b, expiry: expiry}) {
		return err
	}
	s.logger.Warn("session kept in memory: its database is full", "tenant", k.scope, "error", err)
	return nil
}

// DeleteCtx removes the session from memory and from the inner store; when
// the inner store is full, the deletion is remembered in memory instead.
func (s *spillStore) DeleteCtx(ctx context.Context, key string) error {
	k := spillKey{spillScope(ctx), key}
	if s.count.Load() > 0 {
		s.mu.Lock()
		s.drop(k)
		s.mu.Unlock()
	}
	err := s.inner.DeleteCtx(ctx, key)
	if app.ErrorCode(err) != app.EFULL || !s.hold(k, spilledSession{deleted: true, expiry: time.Now().Add(s.lifetime)}) {
		return err
	}
	s.logger.Warn("session deletion kept in memory: its database is full", "tenant", k.scope, "error", err)
	return nil
}

// hold keeps e in memory and counts a spill, unless memory holds s.max
// unexpired entries already, or s.maxScope of k's scope.
func (s *spillStore) hold(k spillKey, e spilledSession) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.held[k]; !ok {
		full := func() bool { return len(s.held) >= s.max || s.scopes[k.scope] >= s.maxScope }
		if full() {
			now := time.Now()
			for old, oe := range s.held {
				if !now.Before(oe.expiry) {
					s.drop(old)
				}
			}
			if full() {
				return false
			}
		}
		s.scopes[k.scope]++
		s.count.Add(1)
	}
	s.held[k] = e
	s.spills.Add(1)
	return true
}

// drop forgets k; s.mu is held.
func (s *spillStore) drop(k spillKey) {
	if _, ok := s.held[k]; !ok {
		return
	}
	delete(s.held, k)
	s.count.Add(-1)
	if s.scopes[k.scope]--; s.scopes[k.scope] <= 0 {
		delete(s.scopes, k.scope)
	}
}

// len returns the number of sessions (and deletions) held in memory.
func (s *spillStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.held)
}

// Find is FindCtx without a context.
func (s *spillStore) Find(key string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), key)
}

// Commit is CommitCtx without a context.
func (s *spillStore) Commit(key string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), key, b, expiry)
}

// Delete is DeleteCtx without a context.
func (s *spillStore) Delete(key string) error { return s.DeleteCtx(context.Background(), key) }

// sessionSpill returns the spillStore of a session manager made by
// newSessionManager, or nil.
func sessionSpill(sm *scs.SessionManager) *spillStore {
	if sm == nil {
		return nil
	}
	if st, ok := sm.Store.(idleStore); ok {
		sp, _ := st.inner.(*spillStore)
		return sp
	}
	return nil
}
