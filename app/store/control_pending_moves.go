package store

import (
	"context"
	"time"

	"todos/app"
)

// pendingMove is a region move in progress (or left behind by a crash).
type pendingMove struct {
	CopyID    string // the copy's database id (see movedID)
	TenantID  string
	Source    string // the location of the database being moved
	Copy      string // the copy's location, once adopted ("" before)
	StartedAt time.Time
}

// addPendingMove records that a move of tenantID's database at source
// into the copy copyID begins.
func (c *Control) addPendingMove(ctx context.Context, m pendingMove) error {
	_, err := c.db.ExecContext(ctx, "INSERT INTO pending_moves (copy_id, tenant_id, source, started_at) VALUES (?, ?, ?, ?)",
		m.CopyID, m.TenantID, m.Source, millis(m.StartedAt))
	return err
}

// setPendingCopy records where the copy of the move into copyID was
// adopted.
func (c *Control) setPendingCopy(ctx context.Context, copyID, location string) error {
	_, err := c.db.ExecContext(ctx, "UPDATE pending_moves SET copy_location = ? WHERE copy_id = ?", location, copyID)
	return err
}

// deletePendingMove forgets the move into copyID.
func (c *Control) deletePendingMove(ctx context.Context, copyID string) error {
	_, err := c.db.ExecContext(ctx, "DELETE FROM pending_moves WHERE copy_id = ?", copyID)
	return err
}

// pendingMoves returns every recorded move, oldest first.
func (c *Control) pendingMoves(ctx context.Context) ([]pendingMove, error) {
	rows, err := c.read.QueryContext(ctx, "SELECT "+textCol("copy_id")+", "+textCol("tenant_id")+", "+textCol("source")+
		", "+textCol("copy_location")+", started_at FROM pending_moves ORDER BY started_at")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pendingMove
	for rows.Next() {
		var copyID, tenantID, source, copyLoc []byte
		var at int64
		if err := rows.Scan(&copyID, &tenantID, &source, &copyLoc, &at); err != nil {
			return nil, err
		}
		out = append(out, pendingMove{CopyID: string(copyID), TenantID: string(tenantID), Source: string(source),
			Copy: string(copyLoc), StartedAt: time.UnixMilli(at)})
	}
	return out, rows.Err()
}

// freshTenantByID is TenantByID after pulling the primary's latest changes
// into a replica control plane (nothing to pull on a local one): for when
// this process's own write may have landed although it reported a failure.
func (c *Control) freshTenantByID(ctx context.Context, id string) (*app.Tenant, error) {
	if err := c.SyncReplica(ctx); err != nil {
		return nil, err
	}
	return c.oneTenant(ctx, "id = ?", id)
}
