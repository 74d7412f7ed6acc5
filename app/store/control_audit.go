package store

import (
	"context"
	"database/sql"
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
	return insertAudit(ctx, c.db, e)
}

// insertAudit is RecordAudit on ex, the control database or one of its
// transactions.
func insertAudit(ctx context.Context, ex interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, e app.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if e.Outcome == "" {
		e.Outcome = app.AuditOK
	}
	_, err := ex.ExecContext(ctx, `INSERT INTO audit (at, actor, action, tenant, detail, outcome, error)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, millis(e.At), auditText(e.Actor), auditText(e.Action),
		auditText(e.Tenant), auditText(e.Detail), auditText(e.Outcome), auditText(e.Error))
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

// auditMaxText is the longest text an audit field keeps, in bytes.
const auditMaxText = 2000

// auditText makes s storable in the audit log: text a stranger typed (an
// email at a failed sign-in) may be invalid UTF-8, which go-libsql refuses
// to store, so the entry would be lost; and it may be huge. Invalid bytes
// become U+FFFD and the text is cut at auditMaxText bytes.
func auditText(s string) string {
	return app.Clip(strings.ToValidUTF8(s, "\uFFFD"), auditMaxText)
}
