package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"todos/app"
)

// TenantDB is a handle on one tenant's open database, acquired from a
// TenantPool for the length of a request. It implements app.TodoList.
type TenantDB struct {
	pool     *TenantPool
	entry    *poolEntry
	db       *sql.DB
	tenantID string
	released atomic.Bool
}

// TenantDB implements app.TodoList.
var _ app.TodoList = (*TenantDB)(nil)

// TenantID returns the id of the tenant whose database this is.
func (t *TenantDB) TenantID() string { return t.tenantID }

// Release returns the handle to the pool. Calls after the first do nothing.
func (t *TenantDB) Release() {
	if t.released.CompareAndSwap(false, true) {
		t.retryNormalOpen()
		t.pool.release(t.entry)
	}
}

// write runs fn in a transaction that also reads the list's counts (kept by
// triggers, see schema.sql), commits, and then notes the write and the
// counts in the pool's activity buffer, which
// the control plane gets in a later batch. Writes of one tenant are
// serialised with their notes so that the last note has the latest counts;
// nothing shared is written while the tenant's write lock is held.
func (t *TenantDB) write(ctx context.Context, fn func(tx *sql.Tx, now time.Time) error) (app.TodoStats, error) {
	return t.commit(ctx, true, fn)
}

// commit is write; counted says whether the write counts as activity.
func (t *TenantDB) commit(ctx context.Context, counted bool, fn func(tx *sql.Tx, now time.Time) error) (app.TodoStats, error) {
	t.entry.writeMu.Lock()
	defer t.entry.writeMu.Unlock()
	now := time.Now()
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return app.TodoStats{}, err
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	if err := fn(tx, now); err != nil {
		return app.TodoStats{}, storageError(err)
	}
	stats, err := readStats(ctx, tx)
	if err != nil {
		return app.TodoStats{}, err
	}
	if err := tx.Commit(); err != nil {
		return app.TodoStats{}, storageError(fmt.Errorf("commit: %w", err))
	}
	t.wrote()
	if a := t.pool.activity; a != nil {
		a.record(t.tenantID, stats, now, counted)
	}
	return stats, nil
}

// Recount counts the list afresh, rewrites its counts row from the count,
// and notes the counts in the activity buffer without counting a write: for
// counters that lag after a crash, and for anything done to the database
// behind the app's back (the console's write mode can change the counts
// row itself).
func (t *TenantDB) Recount(ctx context.Context) (app.TodoStats, error) {
	return t.commit(ctx, false, func(tx *sql.Tx, _ time.Time) error {
		stats, err := countTodos(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM todo_stats"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO todo_stats (id, total, completed) VALUES (1, ?, ?)",
			stats.Total, stats.Completed)
		return err
	})
}

// querier is a *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readStats reads the list's counts from its counts row, or counts the list
// if the row is gone (someone deleted it in the console's write mode) or
// holds something other than integers (which would abort the process if
// read as it is, see text.go).
func readStats(ctx context.Context, q querier) (app.TodoStats, error) {
	var s app.TodoStats
	err := q.QueryRowContext(ctx, `SELECT total, completed FROM todo_stats
		WHERE id = 1 AND typeof(total) = 'integer' AND typeof(completed) = 'integer'`).Scan(&s.Total, &s.Completed)
	if errors.Is(err, sql.ErrNoRows) {
		return countTodos(ctx, q)
	}
	return s, err
}

// countTodos counts all and completed todos. A todo is completed when its
// completed column holds the integer 1, as todoColumns reads it.
func countTodos(ctx context.Context, q querier) (app.TodoStats, error) {
	var s app.TodoStats
	err := q.QueryRowContext(ctx, "SELECT count(*), coalesce(sum("+flagCol("completed")+"), 0) FROM todos").Scan(&s.Total, &s.Completed)
	return s, err
}

// itemGone is the error for a todo id that does not exist.
func itemGone() error { return app.Errorf(app.ENOTFOUND, "That item no longer exists.") }
