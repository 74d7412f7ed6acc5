package store

import (
	"context"
	"fmt"
	"time"

	"todos/app"
)

// Control implements app.ActivityStats.
var _ app.ActivityStats = (*Control)(nil)

// maxActivityHours bounds HourlyActivity: a year of hours.
const maxActivityHours = 366 * 24

// RecordActivity writes a batch of tenants' activity in one transaction:
// each tenant's counters and the time of its last write, and its schema
// version (a row is updated only if they changed, which bumps its
// changed_at; see the triggers), and the writes of each hour, summed over
// the batch. Unknown tenants (perhaps
// just deleted) are skipped; their writes still count.
func (c *Control) RecordActivity(ctx context.Context, recs []ActivityRecord) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	hours := map[int64]int64{}
	for _, r := range recs {
		for h, n := range r.Writes {
			hours[h] += n
		}
		if r.SchemaVersion > 0 {
			if _, err := tx.ExecContext(ctx, "UPDATE tenants SET schema_version = ? WHERE id = ? AND schema_version <> ?",
				r.SchemaVersion, r.TenantID, r.SchemaVersion); err != nil {
				return err
			}
		}
		if !r.HasStats {
			continue
		}
		last := int64(0)
		if !r.Last.IsZero() {
			last = millis(r.Last)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tenants SET todo_count = ?, completed_count = ?,
			last_active_at = max(last_active_at, ?)
			WHERE id = ? AND (todo_count <> ? OR completed_count <> ? OR last_active_at < ?)`,
			r.Stats.Total, r.Stats.Completed, last, r.TenantID, r.Stats.Total, r.Stats.Completed, last); err != nil {
			return err
		}
	}
	for h, n := range hours {
		if _, err := tx.ExecContext(ctx, `INSERT INTO activity_hourly (hour, writes) VALUES (?, ?)
			ON CONFLICT (hour) DO UPDATE SET writes = writes + excluded.writes`, h, n); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// HourlyActivity returns the tenant writes of each of the last hours hours
// (the current one included), oldest first, with zeros for hours without
// writes. hours is clamped to 1..8784 (a year).
func (c *Control) HourlyActivity(ctx context.Context, hours int) ([]app.ActivityPoint, error) {
	hours = min(max(hours, 1), maxActivityHours)
	first := time.Now().Truncate(time.Hour).Add(-time.Duration(hours-1) * time.Hour)
	points := make([]app.ActivityPoint, hours)
	for i := range points {
		points[i].Hour = first.Add(time.Duration(i) * time.Hour).UTC()
	}
	rows, err := c.read.QueryContext(ctx, "SELECT hour, writes FROM activity_hourly WHERE hour >= ? ORDER BY hour",
		millis(first))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var hour int64
		var writes int
		if err := rows.Scan(&hour, &writes); err != nil {
			return nil, err
		}
		if i := int((hour - millis(first)) / int64(time.Hour/time.Millisecond)); i >= 0 && i < hours {
			points[i].Writes += writes
		}
	}
	return points, rows.Err()
}

// TenantsVersion returns the largest changed_at of the tenant records and
// their count. Every insert and update raises the largest changed_at (see the
// triggers in control.sql) and every delete lowers the count, so the value
// changes with any change of any record, made by any process. Both parts are
// read from small places (an index's last entry, tenant_counts).
func (c *Control) TenantsVersion(ctx context.Context) (string, error) {
	var changed, n int64
	err := c.read.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(changed_at), 0) FROM tenants),
		(SELECT coalesce(sum(n), 0) FROM tenant_counts)`).Scan(&changed, &n)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.%d", changed, n), nil
}

// PruneActivity deletes the hourly write counts of hours before before and
// returns how many hours it deleted.
func (c *Control) PruneActivity(ctx context.Context, before time.Time) (int64, error) {
	res, err := c.db.ExecContext(ctx, "DELETE FROM activity_hourly WHERE hour < ?", millis(before.Truncate(time.Hour)))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
