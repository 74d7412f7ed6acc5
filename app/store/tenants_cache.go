package store

import (
	"context"
	"sync"
	"sync/atomic"

	"todos/app"
)

// tenantCache keeps live tenants found by name in memory, so that resolving
// a tenant's host costs a map read, not a query on the shared control plane.
// It holds what a request needs (id, name, region, location, status); the
// counters in its records are as of the lookup that cached them.
//
// Every entry belongs to a generation, the control plane's routing epoch at
// the time; when the epoch moves (a tenant was suspended, deleted, renamed,
// moved, by this process or another), the next lookup starts a new, empty
// generation. Only tenants that exist are cached, so unknown names cannot
// grow it beyond the number of live tenants.
type tenantCache struct {
	control *Control
	gen     atomic.Pointer[cacheGeneration]
	hits    atomic.Int64
	misses  atomic.Int64
}

// cacheGeneration is the cache's content for one routing epoch.
type cacheGeneration struct {
	epoch  int64
	byName sync.Map // name -> *app.Tenant, never modified once stored
}

// newTenantCache returns an empty cache over control.
func newTenantCache(control *Control) *tenantCache { return &tenantCache{control: control} }

// current returns the generation of the current routing epoch, starting it
// if needed.
func (tc *tenantCache) current() *cacheGeneration {
	epoch := tc.control.RoutingEpoch()
	for {
		g := tc.gen.Load()
		if g != nil && g.epoch == epoch {
			return g
		}
		fresh := &cacheGeneration{epoch: epoch}
		if tc.gen.CompareAndSwap(g, fresh) {
			return fresh
		}
	}
}

// byName returns a copy of the live tenant named name, or ENOTFOUND.
func (tc *tenantCache) byName(ctx context.Context, name string) (*app.Tenant, error) {
	g := tc.current()
	if v, ok := g.byName.Load(name); ok {
		tc.hits.Add(1)
		t := *v.(*app.Tenant)
		return &t, nil
	}
	tc.misses.Add(1)
	t, err := tc.control.TenantByName(ctx, name)
	if err != nil {
		return nil, err
	}
	// A change that committed while this lookup ran has moved the epoch,
	// or will: either way this generation is dropped, stale entry and all.
	if tc.control.RoutingEpoch() == g.epoch {
		cached := *t
		g.byName.Store(cached.Name, &cached)
	}
	return t, nil
}

// CacheStats counts the tenant lookups answered from memory (Hits) and from
// the control plane (Misses).
type CacheStats struct{ Hits, Misses int64 }

// stats returns the cache's counters.
func (tc *tenantCache) stats() CacheStats {
	return CacheStats{Hits: tc.hits.Load(), Misses: tc.misses.Load()}
}
