package store

import (
	"context"
	"time"

	"todos/app"
)

// TenantDB implements app.AccountRecords: what the owner's account page
// reads and changes in the tenant's own database.

// todoRecordColumns is the select list of TodoRecords, read in forms that
// cannot abort the process (see text.go).
var todoRecordColumns = intCol("id") + ", " + textCol("title") + ", " + flagCol("completed") + ", " +
	intCol("created_at") + ", " + intCol("updated_at")

// TodoRecords returns every item of the list, oldest first, with every
// column the list keeps about it.
func (t *TenantDB) TodoRecords(ctx context.Context) ([]app.TodoRecord, error) {
	rows, err := t.db.QueryContext(ctx, "SELECT "+todoRecordColumns+" FROM todos ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	records := []app.TodoRecord{}
	for rows.Next() {
		var r app.TodoRecord
		var created, updated int64
		if err := rows.Scan(&r.ID, textInto(&r.Title), &r.Completed, &created, &updated); err != nil {
			return nil, err
		}
		r.CreatedAt, r.UpdatedAt = fromMillis(created), fromMillis(updated)
		records = append(records, r)
	}
	return records, rows.Err()
}

// SetPasswordHash replaces the password hash of user id. An unknown user
// gives ENOTFOUND.
func (t *TenantDB) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	res, err := t.db.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, id)
	if err != nil {
		return storageError(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return app.Errorf(app.ENOTFOUND, "There is no such account.")
	}
	return nil
}

// StoredSessions returns every session that has not expired, its data read
// as bytes whatever its type.
func (t *TenantDB) StoredSessions(ctx context.Context) ([]app.StoredSession, error) {
	rows, err := t.db.QueryContext(ctx, "SELECT "+textCol("token_hash")+", "+textCol("data")+", "+intCol("expiry")+
		" FROM sessions WHERE expiry > ? ORDER BY expiry DESC", millis(time.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.StoredSession
	for rows.Next() {
		var s app.StoredSession
		var expiry int64
		if err := rows.Scan(textInto(&s.Key), &s.Data, &expiry); err != nil {
			return nil, err
		}
		s.Expiry = fromMillis(expiry)
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteSessions removes the sessions with these keys in one transaction;
// unknown keys are not an error.
func (t *TenantDB) DeleteSessions(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return storageError(err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", k); err != nil {
			return storageError(err)
		}
	}
	return storageError(tx.Commit())
}
