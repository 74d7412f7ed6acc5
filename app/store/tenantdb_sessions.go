package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"todos/app"
)

// TenantDB implements app.SessionRecords: a tenant's sessions live in its
// own database, so reading or renewing one touches nothing shared.

// FindSession returns the data of the session key, with found false when it
// is unknown or expired. The data is read as bytes whatever its type, so a
// TEXT value that is not UTF-8 cannot abort the process (see text.go).
func (t *TenantDB) FindSession(ctx context.Context, key string) (data []byte, found bool, err error) {
	err = t.db.QueryRowContext(ctx, "SELECT "+textCol("data")+" FROM sessions WHERE token_hash = ? AND expiry > ?",
		key, millis(time.Now())).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return data, true, nil
}

// CommitSession stores data as the session key's until expiry, replacing
// what was there, and removes the tenant's expired sessions in the same
// transaction (one fsync for both), so the table never outgrows the live
// sessions by more than those that expired since the last commit. A
// session the request loaded (app.IsLoadedSession) is only updated: if it
// was deleted meanwhile, it stays deleted.
func (t *TenantDB) CommitSession(ctx context.Context, key string, data []byte, expiry time.Time) error {
	if data == nil {
		data = []byte{}
	}
	if app.IsLoadedSession(ctx, key) {
		_, err := t.db.ExecContext(ctx, "UPDATE sessions SET data = ?, expiry = ? WHERE token_hash = ?",
			data, millis(expiry), key)
		return storageError(err)
	}
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		key, data, millis(expiry)); err != nil {
		return storageError(err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expiry <= ?", millis(time.Now())); err != nil {
		return storageError(err)
	}
	return storageError(tx.Commit())
}

// DeleteSession removes the session key; an unknown key is not an error.
func (t *TenantDB) DeleteSession(ctx context.Context, key string) error {
	_, err := t.db.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", key)
	return storageError(err)
}

// clearSessions removes every session from db: a copy of a tenant's
// database (export, clone, import) starts with none. secure_delete
// overwrites the removed rows, so not even their hashes stay in the file's
// free pages.
func clearSessions(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var on int
	if err := conn.QueryRowContext(ctx, "PRAGMA secure_delete=ON").Scan(&on); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "DELETE FROM sessions"); err != nil {
		return err
	}
	var off int
	return conn.QueryRowContext(ctx, "PRAGMA secure_delete=OFF").Scan(&off)
}
