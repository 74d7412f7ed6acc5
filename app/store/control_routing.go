package store

import (
	"context"
	"time"
)

// Routing changes. A tenant's host resolves to its record's name, status,
// region and location; servers keep those lookups in memory (see
// tenantCache) and must drop them when any of them changes:
//
//   - changes made by this process bump routingEpoch as they commit;
//   - changes made by another process (the CLI, another server) raise
//     routing_version in the control database (triggers in control.sql),
//     which WatchRouting polls and turns into a bump of routingEpoch.
//
// A lookup reads routingEpoch, an atomic counter: the hot path never writes
// nor queries the control plane for it.

// RoutingEpoch returns a number that changes whenever a tenant's routing may
// have changed.
func (c *Control) RoutingEpoch() int64 { return c.routingEpoch.Load() }

// routingChanged records that this process changed a tenant's routing.
func (c *Control) routingChanged() { c.routingEpoch.Add(1) }

// routingUpdate runs an UPDATE or DELETE that may change a tenant's routing
// and reports whether it changed a row.
func (c *Control) routingUpdate(ctx context.Context, query string, args ...any) (bool, error) {
	changed, err := c.update(ctx, query, args...)
	if changed {
		c.routingChanged()
	}
	return changed, err
}

// PollRouting reads routing_version and bumps the routing epoch if it moved
// since the last poll (or this is the first).
func (c *Control) PollRouting(ctx context.Context) error {
	var v int64
	if err := c.read.QueryRowContext(ctx, "SELECT v FROM routing_version WHERE id = 1").Scan(&v); err != nil {
		return err
	}
	if c.routingSeen.Swap(v) != v {
		c.routingChanged()
	}
	return nil
}

// WatchRouting polls routing_version every interval until ctx ends, so that
// tenant changes made by other processes reach this one's lookups within
// about interval. Errors are returned to onError (which may be nil) and the
// watch goes on.
func (c *Control) WatchRouting(ctx context.Context, interval time.Duration, onError func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := c.PollRouting(ctx); err != nil && ctx.Err() == nil && onError != nil {
			onError(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
