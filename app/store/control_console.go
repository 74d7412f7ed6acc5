package store

import (
	"context"
	"time"

	"todos/app"
)

// Control implements app.ConsoleHistory.
var _ app.ConsoleHistory = (*Control)(nil)

// consoleHistoryKept is how many console entries are kept per tenant; older
// ones are dropped as new ones are recorded.
const consoleHistoryKept = 500

// consoleColumns is the select list that scanConsole reads.
var consoleColumns = "id, at, tenant_id, " + textCol("admin") + ", " + textCol("sql") + ", write, rows, " + textCol("error")

// scanConsole reads one row selected with consoleColumns.
func scanConsole(r rowScanner) (app.ConsoleEntry, error) {
	var e app.ConsoleEntry
	var at int64
	err := r.Scan(&e.ID, &at, &e.TenantID, &e.Admin, &e.SQL, &e.Write, &e.Rows, &e.Error)
	e.At = fromMillis(at)
	return e, err
}

// RecordConsole appends e to its tenant's console history (At defaults to
// now; e.ID is ignored) and drops the tenant's entries beyond the newest 500.
func (c *Control) RecordConsole(ctx context.Context, e app.ConsoleEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `INSERT INTO console_history (at, tenant_id, admin, sql, write, rows, error)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, millis(e.At), e.TenantID, e.Admin, e.SQL, e.Write, e.Rows, e.Error); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM console_history WHERE tenant_id = ? AND id <= (
		SELECT id FROM console_history WHERE tenant_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
		e.TenantID, e.TenantID, consoleHistoryKept); err != nil {
		return err
	}
	return tx.Commit()
}

// ListConsole returns the newest limit entries of tenantID's console history,
// newest first. limit is clamped to 1..500 (50 when not positive).
func (c *Control) ListConsole(ctx context.Context, tenantID string, limit int) ([]app.ConsoleEntry, error) {
	rows, err := c.read.QueryContext(ctx, "SELECT "+consoleColumns+
		" FROM console_history WHERE tenant_id = ? ORDER BY id DESC LIMIT ?", tenantID, pageSize(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	entries := []app.ConsoleEntry{}
	for rows.Next() {
		e, err := scanConsole(rows)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, rows.Err()
}
