package app

import (
	"context"
	"time"
)

// AdminInviteTTL is how long an admin invitation link works.
const AdminInviteTTL = 24 * time.Hour

// AdminInvite is a pending, single-use invitation to become an admin.
type AdminInvite struct {
	Email     string
	CreatedBy string
	ExpiresAt time.Time
}

// AdminManager is what the admin app's "Admins" page does with admin
// accounts beyond AdminService.
type AdminManager interface {
	// ListAdmins returns every admin, oldest first.
	ListAdmins(ctx context.Context) ([]Admin, error)
	// CreateAdminInvite stores an invitation for email (normalised here)
	// made by createdBy and returns its token, to be shown once. An email
	// that is already an admin's gives ECONFLICT.
	CreateAdminInvite(ctx context.Context, email, createdBy string) (token string, err error)
	// AdminInvite returns the unexpired invitation of token, or ENOTFOUND.
	AdminInvite(ctx context.Context, token string) (*AdminInvite, error)
	// AcceptAdminInvite checks token first, then the password, and creates
	// the invited admin while consuming the invitation in one transaction:
	// a used, expired or unknown token gives ENOTFOUND.
	AcceptAdminInvite(ctx context.Context, token, password string) (*Admin, error)
	// RemoveAdminNotLast removes the admin with that email unless it is the
	// only admin (ECONFLICT); an unknown email gives ENOTFOUND.
	RemoveAdminNotLast(ctx context.Context, email string) error
	// SetAdminPassword validates, hashes and stores admin id's new password.
	SetAdminPassword(ctx context.Context, id int64, password string) error
}
