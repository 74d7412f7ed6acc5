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

// SQL conditions on a tenant row's status. The literals match tenantCreating
// and the app.Tenant* statuses.
const (
	// whereLive selects tenants served on their host: active or suspended,
	// not being created nor in the trash.
	whereLive = "status IN ('active', 'suspended')"
	// whereKnown selects every tenant an admin can see: not being created.
	whereKnown = "status <> 'creating'"
)

// tenantColumns is the select list that scanTenant reads.
var tenantColumns = "id, " + textCol("name") + ", " + textCol("region") + ", " + textCol("location") +
	", status, created_at, last_active_at, todo_count, completed_count, schema_version, deleted_at, " +
	textCol("suspend_reason")

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// scanTenant reads one row selected with tenantColumns.
func scanTenant(r rowScanner) (*app.Tenant, error) {
	var t app.Tenant
	var status string
	var created, active, deleted int64
	if err := r.Scan(&t.ID, &t.Name, &t.Region, &t.Location, &status, &created, &active,
		&t.TodoCount, &t.CompletedCount, &t.SchemaVersion, &deleted, &t.SuspendReason); err != nil {
		return nil, err
	}
	t.Status = app.TenantStatus(status)
	t.CreatedAt, t.LastActiveAt = fromMillis(created), fromMillis(active)
	if deleted != 0 {
		t.DeletedAt = fromMillis(deleted)
	}
	return &t, nil
}

// insertTenantSQL records a tenant; insertTenantArgs are its arguments.
const insertTenantSQL = `INSERT INTO tenants
	(id, name, region, location, status, created_at, last_active_at, todo_count, completed_count)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insertTenantArgs returns the arguments of insertTenantSQL for t.
func insertTenantArgs(t *app.Tenant) []any {
	return []any{t.ID, t.Name, t.Region, t.Location, string(t.Status), millis(t.CreatedAt), millis(t.LastActiveAt),
		t.TodoCount, t.CompletedCount}
}

// insertTenant records t. A taken name gives ECONFLICT.
func (c *Control) insertTenant(ctx context.Context, t *app.Tenant) error {
	_, err := c.db.ExecContext(ctx, insertTenantSQL, insertTenantArgs(t)...)
	if isUniqueViolation(err) {
		return nameTaken(t.Name, err)
	}
	return err
}

// nameTaken is the error for a tenant name already in use (also by a tenant
// in the trash).
func nameTaken(name string, err error) error {
	return app.WrapError(app.ECONFLICT, fmt.Sprintf("The name %q is already taken.", name), err)
}

// setTenantLocation records where a tenant's database lives.
func (c *Control) setTenantLocation(ctx context.Context, id, location string) error {
	_, err := c.routingUpdate(ctx, "UPDATE tenants SET location = ? WHERE id = ?", location, id)
	return err
}

// activateTenant turns a 'creating' record active as of at, with the
// counters and schema version of its database.
func (c *Control) activateTenant(ctx context.Context, id string, at time.Time, stats app.TodoStats, version int) error {
	res, err := c.db.ExecContext(ctx, `UPDATE tenants SET status = ?, created_at = ?, last_active_at = ?,
		todo_count = ?, completed_count = ?, schema_version = ? WHERE id = ? AND status = ?`,
		string(app.TenantActive), millis(at), millis(at), stats.Total, stats.Completed, version, id, string(tenantCreating))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("activate tenant %s: record is gone", id)
	}
	c.routingChanged()
	return nil
}

// deleteTenantRecord removes the record of tenant id, whatever its status.
// A missing record is not an error.
func (c *Control) deleteTenantRecord(ctx context.Context, id string) error {
	_, err := c.routingUpdate(ctx, "DELETE FROM tenants WHERE id = ?", id)
	return err
}

// TenantByName returns the live tenant named name (active or suspended), or
// ENOTFOUND. Tenants in the trash are not found.
func (c *Control) TenantByName(ctx context.Context, name string) (*app.Tenant, error) {
	return c.oneTenant(ctx, whereLive+" AND name = ?", name)
}

// TenantByID returns the live tenant with id, or ENOTFOUND. Tenants in the
// trash are not found.
func (c *Control) TenantByID(ctx context.Context, id string) (*app.Tenant, error) {
	return c.oneTenant(ctx, whereLive+" AND id = ?", id)
}

// TenantByNameIncludingTrash returns the tenant named name, also when it is
// in the trash, or ENOTFOUND. It is for admin pages.
func (c *Control) TenantByNameIncludingTrash(ctx context.Context, name string) (*app.Tenant, error) {
	return c.oneTenant(ctx, whereKnown+" AND name = ?", name)
}

// TenantByIDIncludingTrash returns the tenant with id, also when it is in
// the trash, or ENOTFOUND. It is for admin pages.
func (c *Control) TenantByIDIncludingTrash(ctx context.Context, id string) (*app.Tenant, error) {
	return c.oneTenant(ctx, whereKnown+" AND id = ?", id)
}

// oneTenant returns the tenant matching where, or ENOTFOUND.
func (c *Control) oneTenant(ctx context.Context, where string, arg any) (*app.Tenant, error) {
	t, err := scanTenant(c.read.QueryRowContext(ctx, "SELECT "+tenantColumns+" FROM tenants WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tenantNotFound()
	}
	return t, err
}

// tenantNotFound is the error of a lookup that found no tenant.
func tenantNotFound() error { return app.Errorf(app.ENOTFOUND, "There is no list with that name.") }

// ListTenants returns every live tenant (not in the trash) ordered by name.
func (c *Control) ListTenants(ctx context.Context) ([]*app.Tenant, error) {
	return c.queryTenants(ctx, whereLive+" ORDER BY name")
}

// abandonedTenants returns the 'creating' records whose lease (see
// creationLease) is older than before.
func (c *Control) abandonedTenants(ctx context.Context, before time.Time) ([]*app.Tenant, error) {
	return c.queryTenants(ctx, whereAbandoned+" ORDER BY last_active_at", millis(before), idList(nil))
}

// queryTenants returns the tenants matching where, including 'creating' ones
// unless where excludes them.
func (c *Control) queryTenants(ctx context.Context, where string, args ...any) ([]*app.Tenant, error) {
	rows, err := c.read.QueryContext(ctx, "SELECT "+tenantColumns+" FROM tenants WHERE "+where, args...)
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
