package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"todos/app"
)

// tenantCreating is the status of a tenant record whose database and owner
// are still being created. Such rows hold their name (the UNIQUE constraint
// makes creation race-free) but are invisible to every lookup.
const tenantCreating app.TenantStatus = "creating"

// tenantColumns is the select list that scanTenant reads.
var tenantColumns = "id, " + textCol("name") + ", " + textCol("region") + ", " + textCol("location") +
	", status, created_at, last_active_at, todo_count, completed_count"

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// scanTenant reads one row selected with tenantColumns.
func scanTenant(r rowScanner) (*app.Tenant, error) {
	var t app.Tenant
	var status string
	var created, active int64
	if err := r.Scan(&t.ID, &t.Name, &t.Region, &t.Location, &status, &created, &active,
		&t.TodoCount, &t.CompletedCount); err != nil {
		return nil, err
	}
	t.Status = app.TenantStatus(status)
	t.CreatedAt, t.LastActiveAt = fromMillis(created), fromMillis(active)
	return &t, nil
}

// insertTenant records t. A taken name gives ECONFLICT.
func (c *Control) insertTenant(ctx context.Context, t *app.Tenant) error {
	_, err := c.db.ExecContext(ctx, `INSERT INTO tenants
		(id, name, region, location, status, created_at, last_active_at, todo_count, completed_count)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Name, t.Region, t.Location, string(t.Status), millis(t.CreatedAt), millis(t.LastActiveAt),
		t.TodoCount, t.CompletedCount)
	if isUniqueViolation(err) {
		return app.WrapError(app.ECONFLICT, fmt.Sprintf("The name %q is already taken.", t.Name), err)
	}
	return err
}

// setTenantLocation records where a tenant's database lives.
func (c *Control) setTenantLocation(ctx context.Context, id, location string) error {
	_, err := c.db.ExecContext(ctx, "UPDATE tenants SET location = ? WHERE id = ?", location, id)
	return err
}

// activateTenant turns a 'creating' record active as of at.
func (c *Control) activateTenant(ctx context.Context, id string, at time.Time) error {
	res, err := c.db.ExecContext(ctx, `UPDATE tenants SET status = ?, created_at = ?, last_active_at = ?
		WHERE id = ? AND status = ?`, string(app.TenantActive), millis(at), millis(at), id, string(tenantCreating))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("activate tenant %s: record is gone", id)
	}
	return nil
}

// deleteTenantRecord removes the record of tenant id, whatever its status.
// A missing record is not an error.
func (c *Control) deleteTenantRecord(ctx context.Context, id string) error {
	_, err := c.db.ExecContext(ctx, "DELETE FROM tenants WHERE id = ?", id)
	return err
}

// TenantByName returns the tenant named name, or ENOTFOUND.
func (c *Control) TenantByName(ctx context.Context, name string) (*app.Tenant, error) {
	return c.oneTenant(ctx, "name = ?", name)
}

// TenantByID returns the tenant with id, or ENOTFOUND.
func (c *Control) TenantByID(ctx context.Context, id string) (*app.Tenant, error) {
	return c.oneTenant(ctx, "id = ?", id)
}

// oneTenant returns the visible tenant matching where, or ENOTFOUND.
func (c *Control) oneTenant(ctx context.Context, where string, arg any) (*app.Tenant, error) {
	row := c.db.QueryRowContext(ctx, "SELECT "+tenantColumns+" FROM tenants WHERE "+where+" AND status <> ?",
		arg, string(tenantCreating))
	t, err := scanTenant(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "There is no list with that name.")
	}
	return t, err
}

// ListTenants returns every visible tenant ordered by name.
func (c *Control) ListTenants(ctx context.Context) ([]*app.Tenant, error) {
	return c.queryTenants(ctx, "status <> ? ORDER BY name", string(tenantCreating))
}

// abandonedTenants returns the 'creating' records created before t.
func (c *Control) abandonedTenants(ctx context.Context, before time.Time) ([]*app.Tenant, error) {
	return c.queryTenants(ctx, "status = ? AND created_at < ? ORDER BY created_at",
		string(tenantCreating), millis(before))
}

// queryTenants returns the tenants matching where, including 'creating' ones
// unless where excludes them.
func (c *Control) queryTenants(ctx context.Context, where string, args ...any) ([]*app.Tenant, error) {
	rows, err := c.db.QueryContext(ctx, "SELECT "+tenantColumns+" FROM tenants WHERE "+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ts := []*app.Tenant{}
	for rows.Next() {
		t, err := scanTenant(rows)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// RecordActivity stores a tenant's current counters and the time of its last
// write. An unknown tenant is not an error (it may just have been deleted).
func (c *Control) RecordActivity(ctx context.Context, tenantID string, stats app.TodoStats, at time.Time) error {
	_, err := c.db.ExecContext(ctx, `UPDATE tenants SET todo_count = ?, completed_count = ?,
		last_active_at = max(last_active_at, ?) WHERE id = ?`, stats.Total, stats.Completed, millis(at), tenantID)
	return err
}
