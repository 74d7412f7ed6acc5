package store

import (
	"context"

	"todos/app"
)

// switchTenantRegion records that the active tenant id, whose database was
// at fromLocation, now lives in region with its database at location, and
// appends e to the audit trail, in one transaction: the switch is never
// recorded without its audit entry. It reports whether the record was
// switched: false when it changed meanwhile (no longer active, or its
// database elsewhere).
func (c *Control) switchTenantRegion(ctx context.Context, id, fromLocation, region, location string, e app.AuditEntry) (bool, error) {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, "UPDATE tenants SET region = ?, location = ? WHERE id = ? AND status = ? AND location = ?",
		region, location, id, string(app.TenantActive), fromLocation)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if err := insertAudit(ctx, tx, e); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	c.routingChanged()
	return true, nil
}
