package app

import (
	"context"
	"time"
)

// PasswordResetTTL is how long a password reset link stays valid.
const PasswordResetTTL = time.Hour

// PasswordResets keeps the single-use password reset links of one
// tenant's users, in that tenant's own database. Keys are hashes of the
// links' tokens (the caller hashes them), never the tokens.
type PasswordResets interface {
	// Users returns every account of the list, oldest first.
	Users(ctx context.Context) ([]User, error)
	// CreatePasswordReset stores key as a reset link of user id, valid
	// until expires, and removes links that have expired.
	CreatePasswordReset(ctx context.Context, key string, userID int64, expires time.Time) error
	// PasswordResetUser returns the user a live (unused, unexpired) link
	// is for; any other key gives EUNAUTHORIZED.
	PasswordResetUser(ctx context.Context, key string, now time.Time) (int64, error)
	// UsePasswordReset, in one transaction, checks that key is live, sets
	// the user's password hash and deletes every reset link of that user.
	// It returns the user; a key that is not live gives EUNAUTHORIZED and
	// changes nothing.
	UsePasswordReset(ctx context.Context, key, passwordHash string, now time.Time) (int64, error)
}

// ErrResetLinkInvalid is the one answer for a reset link that is used,
// expired or unknown.
var ErrResetLinkInvalid = Errorf(EUNAUTHORIZED,
	"This password reset link is not valid: it was already used, it expired, or it is incomplete. Ask for a new one.")
