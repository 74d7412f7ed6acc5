package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"todos/app"
)

// Control implements app.HandoffService.
var _ app.HandoffService = (*Control)(nil)

// handoffRefused is the error for unknown, used and expired tokens alike.
func handoffRefused() error {
	return app.Errorf(app.EUNAUTHORIZED, "This sign-in link has expired or was already used.")
}

// CreateHandoff returns a new random token for h, valid for ttl. Only the
// token's SHA-256 is stored. Expired handoffs are removed on the way.
func (c *Control) CreateHandoff(ctx context.Context, h app.Handoff, ttl time.Duration) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := time.Now()
	if _, err := c.db.ExecContext(ctx, "DELETE FROM handoffs WHERE expires_at <= ?", millis(now)); err != nil {
		return "", err
	}
	_, err := c.db.ExecContext(ctx, "INSERT INTO handoffs (token_hash, tenant_id, user_id, expires_at) VALUES (?, ?, ?, ?)",
		hashToken(token), h.TenantID, h.UserID, millis(now.Add(ttl)))
	if err != nil {
		return "", err
	}
	return token, nil
}

// ConsumeHandoff redeems token: one DELETE ... RETURNING statement removes
// the row and reads it, so a token works exactly once even under concurrent
// use. Unknown, used and expired tokens give EUNAUTHORIZED.
func (c *Control) ConsumeHandoff(ctx context.Context, token string) (app.Handoff, error) {
	var h app.Handoff
	var expires int64
	err := c.db.QueryRowContext(ctx, "DELETE FROM handoffs WHERE token_hash = ? RETURNING tenant_id, user_id, expires_at",
		hashToken(token)).Scan(&h.TenantID, &h.UserID, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Handoff{}, handoffRefused()
	} else if err != nil {
		return app.Handoff{}, err
	}
	if expires <= millis(time.Now()) {
		return app.Handoff{}, handoffRefused()
	}
	return h, nil
}

// hashToken returns the hex SHA-256 of a handoff token, as stored.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
