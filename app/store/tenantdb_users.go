package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"todos/app"
)

// userColumns is the select list that scanUser reads, in forms that cannot
// abort the process (see text.go): an email or password hash that is not
// valid UTF-8 reads with U+FFFD in place of the bad bytes (such a hash
// matches no password), a created_at that is not an integer as 0.
var userColumns = intCol("id") + ", " + textCol("email") + ", " + textCol("password_hash") + ", " + intCol("created_at")

// scanUser reads one row selected with userColumns.
func scanUser(r rowScanner) (*app.User, error) {
	var u app.User
	var created int64
	err := r.Scan(&u.ID, textInto(&u.Email), textInto(&u.PasswordHash), &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "There is no account with that email address.")
	} else if err != nil {
		return nil, err
	}
	u.CreatedAt = fromMillis(created)
	return &u, nil
}

// UserByEmail returns the account with that (normalised) email, or ENOTFOUND.
func (t *TenantDB) UserByEmail(ctx context.Context, email string) (*app.User, error) {
	return scanUser(t.db.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?", email))
}

// UserByID returns the account with that id, or ENOTFOUND.
func (t *TenantDB) UserByID(ctx context.Context, id int64) (*app.User, error) {
	return scanUser(t.db.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
}

// CreateUser adds an account with a normalised email and a password hash made
// by app.HashPassword. An email already in use gives ECONFLICT.
func (t *TenantDB) CreateUser(ctx context.Context, email, passwordHash string) (*app.User, error) {
	now := time.Now()
	res, err := t.db.ExecContext(ctx, "INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)",
		email, passwordHash, millis(now))
	if isUniqueViolation(err) {
		return nil, app.WrapError(app.ECONFLICT, "An account with this email address already exists.", err)
	} else if err != nil {
		return nil, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	return &app.User{ID: id, Email: email, PasswordHash: passwordHash, CreatedAt: fromMillis(millis(now))}, nil
}
