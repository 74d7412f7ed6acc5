package app

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Password and email limits.
const (
	PasswordMinLength = 8
	PasswordMaxLength = 128
	EmailMaxLength    = 254
)

// User is an account that may sign in to one tenant's list. It lives in the
// tenant's own database.
type User struct {
	ID           int64
	Email        string
	PasswordHash string
	CreatedAt    time.Time
}

// NormalizeEmail trims and lowercases an email address and checks its form.
func NormalizeEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	if e == "" {
		return "", Errorf(EINVALID, "Please enter your email address.")
	}
	if len(e) > EmailMaxLength {
		return "", Errorf(EINVALID, "The email address is too long.")
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") && !strings.HasSuffix(e, "@localhost") {
		return "", Errorf(EINVALID, "%q is not a valid email address.", clip(s, 60))
	}
	return e, nil
}

// ValidatePassword checks a new password against the length limits.
func ValidatePassword(p string) error {
	n := utf8.RuneCountInString(p)
	if n < PasswordMinLength {
		return Errorf(EINVALID, "The password must be at least %d characters long.", PasswordMinLength)
	}
	if n > PasswordMaxLength {
		return Errorf(EINVALID, "The password must be at most %d characters long.", PasswordMaxLength)
	}
	return nil
}

// Handoff is a single-use, short-lived token that carries a freshly signed-up
// owner from the bare domain to their tenant's host, where cookies of the
// bare domain are not sent.
type Handoff struct {
	TenantID string
	UserID   int64
}

// HandoffService issues and redeems handoff tokens.
type HandoffService interface {
	// CreateHandoff returns a new random token for h, valid for ttl.
	CreateHandoff(ctx context.Context, h Handoff, ttl time.Duration) (string, error)
	// ConsumeHandoff redeems token once. An unknown, used or expired token
	// gives EUNAUTHORIZED.
	ConsumeHandoff(ctx context.Context, token string) (Handoff, error)
}
