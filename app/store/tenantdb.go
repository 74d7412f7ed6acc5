package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
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
		t.pool.release(t.entry)
	}
}

// write runs fn in a transaction that also counts the list, commits, and then
// reports the counts to the control plane. Writes of one tenant are
// serialised with their reports so that the control plane never keeps counts
// older than the database's. A failed report is logged, not returned: the
// write itself has been committed.
func (t *TenantDB) write(ctx context.Context, fn func(tx *sql.Tx, now time.Time) error) (app.TodoStats, error) {
	t.entry.writeMu.Lock()
	defer t.entry.writeMu.Unlock()
	now := time.Now()
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return app.TodoStats{}, err
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	if err := fn(tx, now); err != nil {
		return app.TodoStats{}, err
	}
	stats, err := countTodos(ctx, tx)
	if err != nil {
		return app.TodoStats{}, err
	}
	if err := tx.Commit(); err != nil {
		return app.TodoStats{}, fmt.Errorf("commit: %w", err)
	}
	if c := t.pool.control; c != nil {
		if err := c.RecordActivity(context.WithoutCancel(ctx), t.tenantID, stats, now); err != nil {
			slog.Warn("store: could not record tenant activity", "tenant", t.tenantID, "err", err)
		}
	}
	return stats, nil
}

// Recount counts the list afresh and reports the counts to the control
// plane: for writes made behind the app's back (the console's write mode
// runs in another process).
func (t *TenantDB) Recount(ctx context.Context) (app.TodoStats, error) {
	return t.write(ctx, func(*sql.Tx, time.Time) error { return nil })
}

// querier is a *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// countTodos counts all and completed todos.
func countTodos(ctx context.Context, q querier) (app.TodoStats, error) {
	var s app.TodoStats
	err := q.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(completed), 0) FROM todos").Scan(&s.Total, &s.Completed)
	return s, err
}

// itemGone is the error for a todo id that does not exist.
func itemGone() error { return app.Errorf(app.ENOTFOUND, "That item no longer exists.") }
