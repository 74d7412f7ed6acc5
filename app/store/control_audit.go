package store

import (
	"context"
	"strings"
	"time"

	"todos/app"
)

// Control implements app.AuditLog.
var _ app.AuditLog = (*Control)(nil)

// Page sizes of the admin lists (audit, console history, tenants).
const (
	defaultPageSize = 50
	maxPageSize     = 500
)

// pageSize returns limit clamped to 1..maxPageSize, defaultPageSize when
// limit is not positive.
func pageSize(limit int) int {
	if limit <= 0 {
		return defaultPageSize
	}
	return min(limit, maxPageSize)
}

// auditColumns is the select list that scanAudit reads.
var auditColumns = "id, at, " + textCol("actor") + ", " + textCol("action") + ", " + textCol("tenant") + ", " +
	textCol("detail") + ", " + textCol("outcome") + ", " + textCol("error")

// scanAudit reads one row selected with auditColumns.
func scanAudit(r rowScanner) (app.AuditEntry, error) {
	var e app.AuditEntry
	var at int64
	err := r.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Tenant, &e.Detail, &e.Outcome, &e.Error)
	e.At = fromMillis(at)
	return e, err
}

// RecordAudit appends e to the audit trail. At defaults to now and Outcome
// to app.AuditOK; e.ID is ignored.
func (c *Control) RecordAudit(ctx context.Context, e app.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if e.Outcome == "" {
		e.Outcome = app.AuditOK
	}
	_, err := c.db.ExecContext(ctx, `INSERT INTO audit (at, actor, action, tenant, detail, outcome, error)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, millis(e.At), e.Actor, e.Action, e.Tenant, e.Detail, e.Outcome, e.Error)
	return err
}

// ListAudit returns a page of the entries matching every non-empty field of
// f (exact matches), newest first, and how many match in all. Limit is
// clamped to 1..500 (50 when not positive).
func (c *Control) ListAudit(ctx context.Context, f app.AuditFilter) ([]app.AuditEntry, int, error) {
	var conds []string
	var args []any
	for _, kv := range []struct{ col, val string }{{"actor", f.Actor}, {"action", f.Action}, {"tenant", f.Tenant}} {
		if kv.val != "" {
			conds = append(conds, kv.col+" = ?")
			args = append(args, kv.val)
		}
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := c.read.QueryRowContext(ctx, "SELECT count(*) FROM audit"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := c.read.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit"+where+
		" ORDER BY at DESC, id DESC LIMIT ? OFFSET ?", append(args, pageSize(f.Limit), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	entries := []app.AuditEntry{}
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		entries = append(entries, e)
	}
	return entries, total, rows.Err()
}
