package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"time"

	"todos/app"
)

// idempotencyKeyLife is how long a new-todo submission's key is kept: a
// retry later than that adds the item again.
const idempotencyKeyLife = 24 * time.Hour

// idempotencyPruneEvery is how often, in added todos, expired keys are
// removed: once in a while is enough to keep the table small, and an add
// then costs no delete.
const idempotencyPruneEvery = 64

// errReplayed ends the transaction of a submission whose key is already
// stored: it rolls back, having written nothing.
var errReplayed = errors.New("store: idempotency key already used")

// AddTodoOnce appends an item for the submission named by key, once. The
// key is looked up and stored in the same transaction as the item, under
// the tenant's write lock, so that concurrent submissions of one key add
// one item. A known key (with the same title) writes nothing, so a retry
// is answered even on a full disk. Keys older than idempotencyKeyLife are
// removed by every idempotencyPruneEvery-th new item.
func (t *TenantDB) AddTodoOnce(ctx context.Context, key, title string) (td app.Todo, stats app.TodoStats, replayed bool, err error) {
	if title == "" {
		return td, stats, false, app.Errorf(app.EINVALID, "Please enter what needs to be done.")
	}
	if !app.ValidIdempotencyKey(key) {
		return td, stats, false, app.Errorf(app.EINVALID, "This form is damaged. Please reload the page.")
	}
	hash := sha256.Sum256([]byte(title))
	var replayStats app.TodoStats
	stats, err = t.write(ctx, func(tx *sql.Tx, now time.Time) error {
		id, seen, err := lookupIdempotencyKey(ctx, tx, key, hash[:])
		if err != nil {
			return err
		}
		if seen == keySameTitle {
			if td, err = replayedTodo(ctx, tx, id); err != nil {
				return err
			}
			if replayStats, err = readStats(ctx, tx); err != nil {
				return err
			}
			replayed = true
			return errReplayed
		}
		if td, err = insertTodo(ctx, tx, title, now); err != nil {
			return err
		}
		if seen == keyOtherTitle {
			return nil // a new item: the key stays with its first one
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (key, todo_id, title_hash, created_at)
			VALUES (?, ?, ?, ?)`, key, td.ID, hash[:], millis(now)); err != nil {
			return err
		}
		if td.ID%idempotencyPruneEvery != 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE created_at < ?",
			millis(now.Add(-idempotencyKeyLife)))
		return err
	})
	if replayed {
		return td, replayStats, true, nil
	}
	return td, stats, false, err
}

// keyUse is what lookupIdempotencyKey found.
type keyUse int

const (
	keyNew        keyUse = iota // not stored
	keySameTitle                // stored, for the same title: a retry
	keyOtherTitle               // stored, for another title
)

// lookupIdempotencyKey returns the todo id stored with key and whether its
// title hash matches. Values are read through typeof(), so a row of the
// wrong types (an imported file) reads as another title, never aborts.
func lookupIdempotencyKey(ctx context.Context, tx *sql.Tx, key string, titleHash []byte) (int64, keyUse, error) {
	var id, same int64
	err := tx.QueryRowContext(ctx, "SELECT "+intCol("todo_id")+
		", (typeof(title_hash) = 'blob' AND title_hash = ?) FROM idempotency_keys WHERE key = ?",
		titleHash, key).Scan(&id, &same)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, keyNew, nil
	case err != nil:
		return 0, keyNew, err
	case same == 1:
		return id, keySameTitle, nil
	}
	return id, keyOtherTitle, nil
}

// replayedTodo returns the todo a known key made, or a zero Todo if it was
// deleted since.
func replayedTodo(ctx context.Context, tx *sql.Tx, id int64) (app.Todo, error) {
	td, err := scanTodo(tx.QueryRowContext(ctx, "SELECT "+todoColumns+" FROM todos WHERE id = ?", id))
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.Todo{}, nil
	}
	return td, err
}
