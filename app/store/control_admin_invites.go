package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"

	"todos/app"
)

// Control implements app.AdminManager.
var _ app.AdminManager = (*Control)(nil)

// errInviteInvalid is the one answer to an unknown, used or expired token.
var errInviteInvalid = app.Errorf(app.ENOTFOUND, "This invitation link is not valid: it has been used, has expired or never existed. Ask an admin for a new one.")

// inviteHash is what admin_invites keeps of a token.
func inviteHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// ListAdmins returns every admin, oldest first.
func (c *Control) ListAdmins(ctx context.Context) ([]app.Admin, error) {
	rows, err := c.read.QueryContext(ctx, "SELECT "+adminColumns+" FROM admins ORDER BY created_at, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Admin
	for rows.Next() {
		a, err := scanAdmin(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// CreateAdminInvite stores an invitation (32 random bytes, kept as their
// SHA-256) that expires after app.AdminInviteTTL and returns its token.
func (c *Control) CreateAdminInvite(ctx context.Context, email, createdBy string) (string, error) {
	email, err := app.NormalizeEmail(email)
	if err != nil {
		return "", err
	}
	if _, err := c.AdminByEmail(ctx, email); err == nil {
		return "", app.Errorf(app.ECONFLICT, "%s is already an admin.", email)
	} else if app.ErrorCode(err) != app.ENOTFOUND {
		return "", err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := time.Now()
	_, err = c.db.ExecContext(ctx, "INSERT INTO admin_invites (token_hash, email, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		inviteHash(token), email, createdBy, millis(now), millis(now.Add(app.AdminInviteTTL)))
	if err != nil {
		return "", storageError(err)
	}
	return token, nil
}

// AdminInvite returns the unexpired invitation of token, or ENOTFOUND.
func (c *Control) AdminInvite(ctx context.Context, token string) (*app.AdminInvite, error) {
	var inv app.AdminInvite
	var expires int64
	err := c.read.QueryRowContext(ctx, "SELECT "+textCol("email")+", "+textCol("created_by")+", expires_at FROM admin_invites WHERE token_hash = ? AND expires_at > ?",
		inviteHash(token), millis(time.Now())).Scan(&inv.Email, &inv.CreatedBy, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInviteInvalid
	} else if err != nil {
		return nil, err
	}
	inv.ExpiresAt = fromMillis(expires)
	return &inv, nil
}

// AcceptAdminInvite checks the token before any password work, hashes the
// password, then consumes the invitation and creates the admin in one
// transaction, so that a token works once even when used twice at once.
func (c *Control) AcceptAdminInvite(ctx context.Context, token, password string) (*app.Admin, error) {
	inv, err := c.AdminInvite(ctx, token)
	if err != nil {
		return nil, err
	}
	hash, err := c.newPasswordHash(password)
	if err != nil {
		return nil, err
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "DELETE FROM admin_invites WHERE token_hash = ? AND expires_at > ?", inviteHash(token), millis(time.Now()))
	if err != nil {
		return nil, storageError(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n != 1 {
		return nil, errInviteInvalid
	}
	now := fromMillis(millis(time.Now()))
	res, err = tx.ExecContext(ctx, "INSERT INTO admins (email, password_hash, created_at) VALUES (?, ?, ?)", inv.Email, hash, millis(now))
	if isUniqueViolation(err) {
		return nil, app.Errorf(app.ECONFLICT, "%s is already an admin: sign in instead.", inv.Email)
	} else if err != nil {
		return nil, storageError(err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, storageError(err)
	}
	return &app.Admin{ID: id, Email: inv.Email, PasswordHash: hash, CreatedAt: now}, nil
}

// RemoveAdminNotLast removes the admin with that email unless no other
// admin would be left; the check and the delete are one statement.
func (c *Control) RemoveAdminNotLast(ctx context.Context, email string) error {
	email, err := app.NormalizeEmail(email)
	if err != nil {
		return app.Errorf(app.ENOTFOUND, "There is no admin with that email address.")
	}
	res, err := c.db.ExecContext(ctx, "DELETE FROM admins WHERE email = ? AND (SELECT count(*) FROM admins) > 1", email)
	if err != nil {
		return storageError(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return nil
	}
	if _, err := c.AdminByEmail(ctx, email); err != nil {
		return err
	}
	return app.Errorf(app.ECONFLICT, "%s is the only admin and cannot be removed: invite another admin first.", email)
}

// SetAdminPassword validates and hashes password and stores it as admin
// id's; an unknown id gives ENOTFOUND.
func (c *Control) SetAdminPassword(ctx context.Context, id int64, password string) error {
	hash, err := c.newPasswordHash(password)
	if err != nil {
		return err
	}
	res, err := c.db.ExecContext(ctx, "UPDATE admins SET password_hash = ? WHERE id = ?", hash, id)
	if err != nil {
		return storageError(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return app.Errorf(app.ENOTFOUND, "There is no such admin.")
	}
	return nil
}
