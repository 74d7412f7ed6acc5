package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"todos/app"
)

// A pass over every tenant (the counter check after a crash) must not
// evict the tenants requests are using: what it opens goes to the LRU's
// cold end, so it cycles through one slot.
func TestScanDoesNotEvictHotTenants(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 3)
	var all []*app.Tenant
	for i := range 12 {
		all = append(all, e.createTenant(t, fmt.Sprintf("scan%02d", i)))
	}
	use := func(tn *app.Tenant, scan bool) {
		t.Helper()
		acquire := e.pool.Acquire
		if scan {
			acquire = e.pool.AcquireForScan
		}
		tdb, err := acquire(ctx, tn)
		if err != nil {
			t.Fatal(err)
		}
		tdb.Release()
	}
	hot := all[:2]
	for _, tn := range hot {
		use(tn, false)
	}
	for _, tn := range all[2:] {
		use(tn, true)
	}
	e.pool.closing.Wait()
	open := e.pool.OpenTenantIDs()
	for _, tn := range hot {
		if !slices.Contains(open, tn.ID) {
			t.Errorf("hot tenant %s was evicted by the scan; open: %v", tn.Name, open)
		}
	}
	// A hot tenant seen by the scan keeps its place too.
	use(hot[0], true)
	use(all[5], true)
	e.pool.closing.Wait()
	if open := e.pool.OpenTenantIDs(); !slices.Contains(open, hot[0].ID) || !slices.Contains(open, hot[1].ID) {
		t.Errorf("hot tenants evicted after the scan touched one: open %v", open)
	}
}
