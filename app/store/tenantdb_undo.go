package store

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"todos/app"
)

// Deleted items are moved to the deleted_todos table (schema.sql, version
// 6) under a random token instead of being dropped, so that Undo can put
// them back for app.UndoWindow. After the window they are removed for good:
// by the next deletion of the list (in its transaction), and by a timer the
// pool sets when it opens a database or a deletion is made. A database
// closed within a deletion's window (evicted, the server stopped or
// crashed) keeps the rows until the timer of its next open.
//
// The table can hold anything (an import is scrubbed of it, but the
// console can write it): a deleted_at that is not an integer, or further
// in the future than clocks can disagree, counts as expired, and rows are
// restored one by one when ids collide.

// undoClockSkew is how far ahead of this server's clock another server's
// deleted_at may be and still count as within its window.
const undoClockSkew = 5 * time.Minute

// expiredDeletion is the condition on deleted_todos rows whose window has
// ended, with the cutoff (now - window) and limit (now + skew) as its two
// arguments (see undoBounds).
const expiredDeletion = "(typeof(deleted_at) <> 'integer' OR deleted_at <= ? OR deleted_at > ?)"

// undoBounds returns the arguments of expiredDeletion at now.
func undoBounds(now time.Time) []any {
	return []any{millis(now.Add(-app.UndoWindow)), millis(now.Add(undoClockSkew))}
}

// deleteAside moves the items matching where (with args) to deleted_todos
// under a new token and returns the deletion. Matching nothing is
// ENOTFOUND for one item (an id in args) and an empty deletion otherwise.
func (t *TenantDB) deleteAside(ctx context.Context, where string, args ...any) (app.Deletion, app.TodoStats, error) {
	d := app.Deletion{Token: app.NewUndoToken()}
	stats, err := t.write(ctx, func(tx *sql.Tx, now time.Time) error {
		if err := purgeExpiredIn(ctx, tx, now); err != nil {
			return err
		}
		keep := append([]any{d.Token, millis(now)}, args...)
		if _, err := tx.ExecContext(ctx, `INSERT INTO deleted_todos (token, deleted_at, id, title, completed, created_at, updated_at)
			SELECT ?, ?, id, title, completed, created_at, updated_at FROM todos WHERE `+where, keep...); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM todos WHERE "+where, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			if len(args) > 0 {
				return itemGone()
			}
			return nil
		}
		d.Count, d.Expires = int(n), now.Add(app.UndoWindow)
		return tx.QueryRowContext(ctx, "SELECT "+textCol("title")+" FROM deleted_todos WHERE token = ? ORDER BY id LIMIT 1",
			d.Token).Scan(textInto(&d.Title))
	})
	if err != nil {
		return app.Deletion{}, app.TodoStats{}, err
	}
	if d.Count == 0 {
		return app.Deletion{}, stats, nil
	}
	t.pool.purgeLater(t.entry)
	return d, stats, nil
}

// Undo implements app.TodoList: the items of the deletion named by token go
// back to todos with their ids, so they take their old places. An id taken
// since (only a write from the console could take one: ids are never
// reused), or kept twice, gets a new one.
func (t *TenantDB) Undo(ctx context.Context, token string) (app.Undone, app.TodoStats, error) {
	if !app.ValidUndoToken(token) {
		return app.Undone{}, app.TodoStats{}, undoGone()
	}
	var u app.Undone
	stats, err := t.write(ctx, func(tx *sql.Tx, now time.Time) error {
		live := append([]any{token}, undoBounds(now)...)
		var clashes int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM deleted_todos d
			WHERE token = ? AND NOT `+expiredDeletion+` AND (d.id IN (SELECT id FROM todos)
			OR d.id IN (SELECT id FROM deleted_todos WHERE token = d.token GROUP BY id HAVING count(*) > 1))`,
			live...).Scan(&clashes); err != nil {
			return err
		}
		var err error
		if clashes == 0 { // the usual case: every item back with its id at once
			err = restoreRows(ctx, tx, &u, `INSERT INTO todos (id, title, completed, created_at, updated_at)
				SELECT id, title, completed, created_at, updated_at FROM deleted_todos
				WHERE token = ? AND NOT `+expiredDeletion+` ORDER BY id RETURNING id`, live...)
		} else {
			err = restoreOneByOne(ctx, tx, &u, live)
		}
		if err != nil {
			return err
		}
		if u.Count == 0 {
			return undoGone()
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM deleted_todos WHERE token = ?", token)
		return err
	})
	if err != nil {
		return app.Undone{}, app.TodoStats{}, err
	}
	return u, stats, nil
}

// restoreOneByOne restores the live rows of a deletion (live: its token
// and undoBounds) one at a time in id order: first each whose id is free
// with its id, then the others with new ones. An AUTOINCREMENT id is above
// every id used before, restored ones included, so it meets none.
func restoreOneByOne(ctx context.Context, tx *sql.Tx, u *app.Undone, live []any) error {
	rows, err := tx.QueryContext(ctx, "SELECT rowid FROM deleted_todos WHERE token = ? AND NOT "+expiredDeletion+" ORDER BY id, rowid", live...)
	if err != nil {
		return err
	}
	var rowids []int64
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return err
		}
		rowids = append(rowids, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var taken []int64
	for _, r := range rowids {
		before := u.Count
		if err := restoreRows(ctx, tx, u, `INSERT INTO todos (id, title, completed, created_at, updated_at)
			SELECT id, title, completed, created_at, updated_at FROM deleted_todos d
			WHERE rowid = ? AND NOT EXISTS (SELECT 1 FROM todos WHERE id = d.id) RETURNING id`, r); err != nil {
			return err
		}
		if u.Count == before {
			taken = append(taken, r)
		}
	}
	for _, r := range taken {
		if err := restoreRows(ctx, tx, u, `INSERT INTO todos (title, completed, created_at, updated_at)
			SELECT title, completed, created_at, updated_at FROM deleted_todos WHERE rowid = ? RETURNING id`, r); err != nil {
			return err
		}
	}
	return nil
}

// restoreRows runs the restoring INSERT q (with args), which returns the
// ids it gave, and counts them into u with the smallest as its first.
func restoreRows(ctx context.Context, tx *sql.Tx, u *app.Undone, q string, args ...any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if u.Count == 0 || id < u.FirstID {
			u.FirstID = id
		}
		u.Count++
	}
	return rows.Err()
}

// undoGone is the error of an Undo that came too late.
func undoGone() error {
	return app.Errorf(app.ENOTFOUND, "Too late to undo: the deleted items are gone for good.")
}

// purgeExpiredIn removes, in tx, the deleted items whose undo window ended
// by now.
func purgeExpiredIn(ctx context.Context, tx *sql.Tx, now time.Time) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM deleted_todos WHERE "+expiredDeletion, undoBounds(now)...)
	return err
}

// purgeExpired removes the deleted items whose undo window has ended from
// db, writing only when there are some.
func purgeExpired(ctx context.Context, db *sql.DB) error {
	bounds := undoBounds(time.Now())
	var some bool
	err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM deleted_todos WHERE "+expiredDeletion+")", bounds...).Scan(&some)
	if err != nil || !some {
		return err
	}
	_, err = db.ExecContext(ctx, "DELETE FROM deleted_todos WHERE "+expiredDeletion, bounds...)
	return err
}

// purgeDelay is how long after a deletion (or an open) the pool's timer
// removes what has expired: the window, and a second of slack.
const purgeDelay = app.UndoWindow + time.Second

// purgeLater sets e's timer to remove the deleted items whose window has
// ended, purgeDelay from now; a timer already set is moved.
func (p *TenantPool) purgeLater(e *poolEntry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.purge != nil {
		e.purge.Reset(purgeDelay)
		return
	}
	e.purge = time.AfterFunc(purgeDelay, func() { p.purgeEntry(e) })
}

// purgeEntry runs e's purge if e is still open in the pool, holding a
// reference so that it is not closed meanwhile, and in e's write order.
func (p *TenantPool) purgeEntry(e *poolEntry) {
	p.mu.Lock()
	if p.closed || e.doomed || p.entries[e.id] != e || !e.isReady() || e.db == nil {
		p.mu.Unlock()
		return
	}
	e.refs++
	p.mu.Unlock()
	defer p.release(e)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e.writeMu.Lock()
	err := purgeExpired(ctx, e.db)
	e.writeMu.Unlock()
	if err != nil {
		slog.Warn("store: removing expired deleted items", "tenant", e.id, "err", err)
	}
}
