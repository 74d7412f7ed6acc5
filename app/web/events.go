package web

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"todos/app"
)

// adminStreamRecheck is how often an open admin event stream checks that
// its session is still valid (stored, unexpired, its admin not removed):
// one control-plane read per stream per interval. A sign-out in this
// process ends the session's streams at once.
const adminStreamRecheck = 5 * time.Second

// tenantEvents tells the admin app's open event streams when any tenant
// record changes. One goroutine polls ActivityStats.TenantsVersion, a cheap
// control-plane read that also sees changes made by other processes (the
// CLI), and wakes every subscriber when the version moves. It also ends the
// streams of a session that signs out (EndSession).
type tenantEvents struct {
	stats    app.ActivityStats // nil: no live updates
	interval time.Duration
	logger   *slog.Logger
	// recheck is how often each stream re-validates its session
	// (adminStreamRecheck; tests shorten it).
	recheck time.Duration

	mu      sync.Mutex
	version string
	subs    map[*eventSub]struct{}
	started bool
	stopped bool
	stop    chan struct{}
	done    chan struct{}
}

// eventSub is one subscriber: a wake-up channel that holds at most one
// pending signal, so a slow stream coalesces changes instead of blocking
// the broadcaster. The channel is closed when the broadcaster stops. ended
// is closed when the subscriber's session signs out.
type eventSub struct {
	ch      chan struct{}
	session string // store key of the admin session the stream serves
	ended   chan struct{}
}

func newTenantEvents(stats app.ActivityStats, interval time.Duration, logger *slog.Logger) *tenantEvents {
	return &tenantEvents{stats: stats, interval: interval, logger: logger, recheck: adminStreamRecheck,
		subs: map[*eventSub]struct{}{}, stop: make(chan struct{}), done: make(chan struct{})}
}

// Start starts polling. It does nothing without ActivityStats, or when
// already started or stopped.
func (e *tenantEvents) Start() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stats == nil || e.started || e.stopped {
		return
	}
	e.started = true
	go e.run()
}

// Stop stops polling and closes every subscriber's channel, which ends
// their streams. Later subscribers get a closed channel at once.
func (e *tenantEvents) Stop() {
	e.mu.Lock()
	if e.stopped {
		e.mu.Unlock()
		return
	}
	e.stopped = true
	started := e.started
	close(e.stop)
	for sub := range e.subs {
		close(sub.ch)
		delete(e.subs, sub)
	}
	e.mu.Unlock()
	if started {
		<-e.done
	}
}

// Version returns the last version seen ("" before the first poll).
func (e *tenantEvents) Version() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.version
}

// Subscribe registers a subscriber for the stream of the admin session
// stored under session (its store key) and returns it with the current
// version. Call unsubscribe when the stream ends.
func (e *tenantEvents) Subscribe(session string) (sub *eventSub, version string) {
	sub = &eventSub{ch: make(chan struct{}, 1), session: session, ended: make(chan struct{})}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		close(sub.ch)
	} else {
		e.subs[sub] = struct{}{}
	}
	return sub, e.version
}

// EndSession ends the streams of the admin session stored under session
// (its store key): they return at once. Call it when the session signs out.
func (e *tenantEvents) EndSession(session string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for sub := range e.subs {
		if sub.session == session {
			close(sub.ended)
			delete(e.subs, sub)
		}
	}
}

// unsubscribe removes a subscriber.
func (e *tenantEvents) unsubscribe(sub *eventSub) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.subs, sub)
}

// run polls until Stop.
func (e *tenantEvents) run() {
	defer close(e.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-e.stop
		cancel()
	}()
	t := time.NewTicker(e.interval)
	defer t.Stop()
	failing := false
	for {
		v, err := e.stats.TenantsVersion(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			// Logged once per outage, not every second.
			e.logger.Warn("live updates: tenants version", "error", err)
			failing = true
		case err == nil:
			failing = false
			e.publish(v)
		}
		select {
		case <-e.stop:
			return
		case <-t.C:
		}
	}
}

// publish records version v and wakes every subscriber if it changed.
func (e *tenantEvents) publish(v string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if v == e.version || e.stopped {
		return
	}
	e.version = v
	for sub := range e.subs {
		select {
		case sub.ch <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}
