package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"todos/app"
)

// TenantDB implements app.PasswordResets: a tenant's reset links live in
// its own database, beside the users they are for.

// Users returns every account of the list, oldest first.
func (t *TenantDB) Users(ctx context.Context) ([]app.User, error) {
	rows, err := t.db.QueryContext(ctx, "SELECT "+userColumns+" FROM users ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// CreatePasswordReset stores key as a reset link of user id until expires,
// and removes the links that have expired, in one transaction. An unknown
// user gives ENOTFOUND.
func (t *TenantDB) CreatePasswordReset(ctx context.Context, key string, userID int64, expires time.Time) error {
	_, err := t.commit(ctx, false, func(tx *sql.Tx, now time.Time) error {
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM users WHERE id = ?", userID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "There is no such account.")
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM password_resets WHERE expires_at <= ?", millis(now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO password_resets (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
			key, userID, millis(expires), millis(now))
		return err
	})
	return err
}

// PasswordResetUser returns the user a live link is for, or
// app.ErrResetLinkInvalid.
func (t *TenantDB) PasswordResetUser(ctx context.Context, key string, now time.Time) (int64, error) {
	return liveReset(ctx, t.db.QueryRowContext, key, now)
}

// UsePasswordReset sets the password hash of the user of a live link and
// deletes every link of that user, in one transaction. A link that is not
// live gives app.ErrResetLinkInvalid and changes nothing.
func (t *TenantDB) UsePasswordReset(ctx context.Context, key, passwordHash string, now time.Time) (int64, error) {
	var userID int64
	_, err := t.commit(ctx, false, func(tx *sql.Tx, _ time.Time) error {
		var err error
		if userID, err = liveReset(ctx, tx.QueryRowContext, key, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, userID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM password_resets WHERE user_id = ?", userID)
		return err
	})
	return userID, err
}

// liveReset reads the user of a link that has not expired at now, with
// query (a *sql.DB's or a *sql.Tx's QueryRowContext).
func liveReset(ctx context.Context, query func(context.Context, string, ...any) *sql.Row, key string, now time.Time) (int64, error) {
	var userID int64
	err := query(ctx, "SELECT user_id FROM password_resets WHERE token_hash = ? AND expires_at > ?", key, millis(now)).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, app.ErrResetLinkInvalid
	}
	return userID, err
}

// clearPasswordResets removes every reset link from a copy of a tenant's
// database (export, clone, import): a link issued for the original must
// not work on a copy. A copy made before the table existed has none.
func clearPasswordResets(ctx context.Context, db *sql.DB) error {
	return clearCopyTable(ctx, db, "password_resets", "reset links")
}

// clearCopyTable empties table (what it holds, for messages) in a copy of a
// tenant's database, if the copy's schema has it.
func clearCopyTable(ctx context.Context, db *sql.DB, table, what string) error {
	var tables int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&tables); err != nil {
		return fmt.Errorf("read the schema of a copy: %w", err)
	}
	if tables == 0 {
		return nil
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
		return fmt.Errorf("clear the %s of a copy: %w", what, err)
	}
	return nil
}
