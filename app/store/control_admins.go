package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"todos/app"
)

// Control implements app.AdminService.
var _ app.AdminService = (*Control)(nil)

// adminColumns is the select list that scanAdmin reads.
var adminColumns = "id, " + textCol("email") + ", " + textCol("password_hash") + ", created_at"

// scanAdmin reads one row selected with adminColumns.
func scanAdmin(r rowScanner) (*app.Admin, error) {
	var a app.Admin
	var created int64
	err := r.Scan(&a.ID, &a.Email, &a.PasswordHash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "There is no admin with that email address.")
	} else if err != nil {
		return nil, err
	}
	a.CreatedAt = fromMillis(created)
	return &a, nil
}

// CreateAdmin normalises the email, checks the password, hashes it with the
// Control's password parameters and stores the admin. A taken email gives
// ECONFLICT.
func (c *Control) CreateAdmin(ctx context.Context, email, password string) (*app.Admin, error) {
	email, err := app.NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	hash, err := c.newPasswordHash(password)
	if err != nil {
		return nil, err
	}
	now := fromMillis(millis(time.Now()))
	res, err := c.db.ExecContext(ctx, "INSERT INTO admins (email, password_hash, created_at) VALUES (?, ?, ?)",
		email, hash, millis(now))
	if isUniqueViolation(err) {
		return nil, app.WrapError(app.ECONFLICT, fmt.Sprintf("An admin with the email address %q already exists.", email), err)
	} else if err != nil {
		return nil, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	return &app.Admin{ID: id, Email: email, PasswordHash: hash, CreatedAt: now}, nil
}

// AdminByEmail returns the admin with that email (normalised here), or
// ENOTFOUND.
func (c *Control) AdminByEmail(ctx context.Context, email string) (*app.Admin, error) {
	email, err := app.NormalizeEmail(email)
	if err != nil {
		return nil, app.Errorf(app.ENOTFOUND, "There is no admin with that email address.")
	}
	return scanAdmin(c.read.QueryRowContext(ctx, "SELECT "+adminColumns+" FROM admins WHERE email = ?", email))
}

// AdminByID returns the admin with that id, or ENOTFOUND.
func (c *Control) AdminByID(ctx context.Context, id int64) (*app.Admin, error) {
	return scanAdmin(c.read.QueryRowContext(ctx, "SELECT "+adminColumns+" FROM admins WHERE id = ?", id))
}

// CountAdmins returns how many admins exist.
func (c *Control) CountAdmins(ctx context.Context) (int, error) {
	var n int
	err := c.read.QueryRowContext(ctx, "SELECT count(*) FROM admins").Scan(&n)
	return n, err
}

// RemoveAdmin deletes the admin with that email (normalised here), or gives
// ENOTFOUND. Its sessions are not found here (their data is the web layer's),
// but none of them works any more: the admin app checks on every request, and
// every few seconds on an open event stream, that the session's admin still
// exists and is the one that signed in.
func (c *Control) RemoveAdmin(ctx context.Context, email string) error {
	email, err := app.NormalizeEmail(email)
	if err != nil {
		return app.Errorf(app.ENOTFOUND, "There is no admin with that email address.")
	}
	res, err := c.db.ExecContext(ctx, "DELETE FROM admins WHERE email = ?", email)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return app.Errorf(app.ENOTFOUND, "There is no admin with the email address %q.", email)
	}
	return nil
}

// newPasswordHash checks a new admin password and hashes it with the
// Control's password parameters.
func (c *Control) newPasswordHash(password string) (string, error) {
	if err := app.ValidatePassword(password); err != nil {
		return "", err
	}
	hash, err := app.HashPassword(password, c.params)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}
