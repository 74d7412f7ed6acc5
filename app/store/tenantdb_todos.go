package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"todos/app"
)

// todoColumns is the select list that scanTodo reads. Every column is read
// in a form that cannot abort the process whatever the row holds (see
// text.go): a title that is not valid UTF-8 reads with U+FFFD in place of
// the bad bytes, a completed that is not the integer 1 as not completed,
// a created_at that is not an integer as 0.
var todoColumns = intCol("id") + ", " + textCol("title") + ", " + flagCol("completed") + ", " + intCol("created_at")

// scanTodo reads one row selected with todoColumns.
func scanTodo(r rowScanner) (app.Todo, error) {
	var td app.Todo
	var created int64
	err := r.Scan(&td.ID, textInto(&td.Title), &td.Completed, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Todo{}, itemGone()
	}
	td.CreatedAt = fromMillis(created)
	return td, err
}

// Todos returns the items under filter, oldest first, and the stats of the
// whole list. One statement reads every item, so the items and the stats
// are of the same moment without a transaction, in one trip to the engine;
// the filter applies here.
func (t *TenantDB) Todos(ctx context.Context, filter app.Filter) (todos []app.Todo, stats app.TodoStats, err error) {
	rows, err := t.db.QueryContext(ctx, "SELECT "+todoColumns+" FROM todos ORDER BY id")
	if err != nil {
		return nil, stats, err
	}
	defer rows.Close()
	todos = []app.Todo{}
	for rows.Next() {
		td, err := scanTodo(rows)
		if err != nil {
			return nil, stats, err
		}
		stats.Total++
		if td.Completed {
			stats.Completed++
		}
		if filter.Matches(td) {
			todos = append(todos, td)
		}
	}
	return todos, stats, rows.Err()
}

// Stats counts the items.
func (t *TenantDB) Stats(ctx context.Context) (app.TodoStats, error) {
	return readStats(ctx, t.db)
}

// Todo returns one item, or ENOTFOUND.
func (t *TenantDB) Todo(ctx context.Context, id int64) (app.Todo, error) {
	return scanTodo(t.db.QueryRowContext(ctx, "SELECT "+todoColumns+" FROM todos WHERE id = ?", id))
}

// AddTodo appends an item with an already normalised, non-empty title.
func (t *TenantDB) AddTodo(ctx context.Context, title string) (td app.Todo, stats app.TodoStats, err error) {
	if title == "" {
		return td, stats, app.Errorf(app.EINVALID, "Please enter what needs to be done.")
	}
	stats, err = t.write(ctx, func(tx *sql.Tx, now time.Time) error {
		td, err = insertTodo(ctx, tx, title, now)
		return err
	})
	return td, stats, err
}

// insertTodo appends an item with title, made at now, and returns it.
func insertTodo(ctx context.Context, tx *sql.Tx, title string, now time.Time) (app.Todo, error) {
	return scanTodo(tx.QueryRowContext(ctx, `INSERT INTO todos (title, completed, created_at, updated_at)
		VALUES (?, 0, ?, ?) RETURNING `+todoColumns, title, millis(now), millis(now)))
}

// ToggleTodo flips an item's completed state.
func (t *TenantDB) ToggleTodo(ctx context.Context, id int64) (app.Todo, app.TodoStats, error) {
	return t.updateTodo(ctx, "completed = 1 - completed", id)
}

// SetTodoCompleted sets an item's completed state.
func (t *TenantDB) SetTodoCompleted(ctx context.Context, id int64, completed bool) (app.Todo, app.TodoStats, error) {
	return t.updateTodo(ctx, "completed = ?", id, completed)
}

// RenameTodo changes an item's title (normalised, non-empty).
func (t *TenantDB) RenameTodo(ctx context.Context, id int64, title string) (app.Todo, app.TodoStats, error) {
	if title == "" {
		return app.Todo{}, app.TodoStats{}, app.Errorf(app.EINVALID, "Please enter what needs to be done.")
	}
	return t.updateTodo(ctx, "title = ?", id, title)
}

// updateTodo applies set (with its args) to item id and returns the item.
func (t *TenantDB) updateTodo(ctx context.Context, set string, id int64, args ...any) (td app.Todo, stats app.TodoStats, err error) {
	stats, err = t.write(ctx, func(tx *sql.Tx, now time.Time) error {
		args = append(args, millis(now), id)
		td, err = scanTodo(tx.QueryRowContext(ctx,
			"UPDATE todos SET "+set+", updated_at = ? WHERE id = ? RETURNING "+todoColumns, args...))
		return err
	})
	return td, stats, err
}

// DeleteTodo removes an item, kept aside for Undo (see deleteAside).
func (t *TenantDB) DeleteTodo(ctx context.Context, id int64) (app.Deletion, app.TodoStats, error) {
	return t.deleteAside(ctx, "id = ?", id)
}

// SetAllCompleted marks every item completed or active.
func (t *TenantDB) SetAllCompleted(ctx context.Context, completed bool) (app.TodoStats, error) {
	return t.write(ctx, func(tx *sql.Tx, now time.Time) error {
		_, err := tx.ExecContext(ctx, "UPDATE todos SET completed = ?, updated_at = ? WHERE completed <> ?",
			completed, millis(now), completed)
		return err
	})
}

// ClearCompleted removes every completed item, kept aside for Undo (see
// deleteAside).
func (t *TenantDB) ClearCompleted(ctx context.Context) (app.Deletion, app.TodoStats, error) {
	return t.deleteAside(ctx, "completed = 1")
}
