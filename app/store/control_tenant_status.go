package store

import (
	"context"
	"time"

	"todos/app"
)

// Status changes of tenant records. Each is one conditional UPDATE, so that
// of two racing changes (in any process) exactly one applies; the caller
// learns from the returned bool whether its change did.

// switchStatus changes the status of the tenant named name from from to to,
// and its suspension's reason to reason (emptied on any other status).
func (c *Control) switchStatus(ctx context.Context, name string, from, to app.TenantStatus, reason string) (bool, error) {
	if to != app.TenantSuspended {
		reason = ""
	}
	return c.routingUpdate(ctx, "UPDATE tenants SET status = ?, suspend_reason = ? WHERE name = ? AND status = ?",
		string(to), reason, name, string(from))
}

// markTrashed moves the live tenant id to the trash as of at.
func (c *Control) markTrashed(ctx context.Context, id string, at time.Time) (bool, error) {
	return c.routingUpdate(ctx, "UPDATE tenants SET status = ?, deleted_at = ? WHERE id = ? AND "+whereLive,
		string(app.TenantDeleted), millis(at), id)
}

// markRestored brings the tenant id back from the trash, active (with no
// suspension's reason left from before), with its database at location.
func (c *Control) markRestored(ctx context.Context, id, location string) (bool, error) {
	return c.routingUpdate(ctx, "UPDATE tenants SET status = ?, deleted_at = 0, suspend_reason = '', location = ? WHERE id = ? AND status = ?",
		string(app.TenantActive), location, id, string(app.TenantDeleted))
}

// deleteTrashedRecord removes the record of tenant id if it is in the trash,
// with its console history.
func (c *Control) deleteTrashedRecord(ctx context.Context, id string) (bool, error) {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, "DELETE FROM tenants WHERE id = ? AND status = ?", id, string(app.TenantDeleted))
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM console_history WHERE tenant_id = ?", id); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	c.routingChanged()
	return true, nil
}

// trashedBefore returns the tenants that went to the trash before t, oldest
// first.
func (c *Control) trashedBefore(ctx context.Context, before time.Time) ([]*app.Tenant, error) {
	return c.queryTenants(ctx, "status = ? AND deleted_at < ? ORDER BY deleted_at",
		string(app.TenantDeleted), millis(before))
}

// update runs an UPDATE or DELETE and reports whether it changed a row.
func (c *Control) update(ctx context.Context, query string, args ...any) (bool, error) {
	res, err := c.db.ExecContext(ctx, query, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
