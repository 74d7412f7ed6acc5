package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"todos/app"
)

// A tenant being created holds its name with a 'creating' record, whose
// last_active_at is its creator's lease: set when the record is inserted and
// renewed every creationHeartbeat while the creation runs, by whichever
// process runs it. A record whose lease is older than creationLease belongs
// to a creation that crashed (or hangs): the periodic sweep removes it, and
// a sign-up for its name takes it over.
const (
	creationLease     = time.Minute
	creationHeartbeat = creationLease / 4
)

// whereAbandoned selects the 'creating' records whose lease is older than
// the first argument and whose id is not in the JSON array of the second
// (the creations running in this process).
const whereAbandoned = "status = 'creating' AND last_active_at < ? AND id NOT IN (SELECT value FROM json_each(?))"

// renewCreation moves the lease of the 'creating' record id to at. It
// reports false when the record is gone or no longer 'creating': the
// creation was taken over, and must not go on.
func (c *Control) renewCreation(ctx context.Context, id string, at time.Time) (bool, error) {
	res, err := c.db.ExecContext(ctx, "UPDATE tenants SET last_active_at = ? WHERE id = ? AND status = 'creating'",
		millis(at), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// takeOverCreation replaces, in one transaction, the abandoned 'creating'
// record holding t.Name (its lease older than before, its id not in keep)
// with t, and returns the abandoned record, whose database the caller
// removes. When no abandoned record holds the name it gives ECONFLICT. Of
// several sign-ups taking over one name, in any processes, exactly one
// succeeds: the delete and the insert commit together, and the winner's
// record has a fresh lease.
func (c *Control) takeOverCreation(ctx context.Context, t *app.Tenant, before time.Time, keep []string) (*app.Tenant, error) {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	// The DELETE comes first so that the transaction takes the write lock
	// before it reads anything.
	old, err := deleteReturning(ctx, tx, "name = ? AND "+whereAbandoned, t.Name, millis(before), idList(keep))
	if err != nil {
		return nil, err
	}
	if old == nil {
		return nil, nameTaken(t.Name, nil)
	}
	if _, err := tx.ExecContext(ctx, insertTenantSQL, insertTenantArgs(t)...); err != nil {
		if isUniqueViolation(err) {
			return nil, nameTaken(t.Name, err)
		}
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	c.routingChanged()
	return old, nil
}

// deleteAbandoned deletes the 'creating' record id if its lease is older
// than before, and reports whether it did: a creation that renewed its
// lease since it was listed keeps its record.
func (c *Control) deleteAbandoned(ctx context.Context, id string, before time.Time) (bool, error) {
	return c.routingUpdate(ctx, "DELETE FROM tenants WHERE id = ? AND "+whereAbandoned,
		id, millis(before), idList(nil))
}

// deleteReturning deletes the one tenant record matching where in tx and
// returns it, or nil when none matches.
func deleteReturning(ctx context.Context, tx *sql.Tx, where string, args ...any) (*app.Tenant, error) {
	rows, err := tx.QueryContext(ctx, "DELETE FROM tenants WHERE "+where+" RETURNING "+tenantColumns, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var old *app.Tenant
	for rows.Next() {
		if old, err = scanTenant(rows); err != nil {
			return nil, err
		}
	}
	return old, rows.Err()
}

// idList encodes ids as a JSON array for json_each.
func idList(ids []string) string {
	if ids == nil {
		ids = []string{}
	}
	b, err := json.Marshal(ids)
	if err != nil { // cannot happen with strings
		panic(errors.Join(errors.New("store: encode ids"), err))
	}
	return string(b)
}
