package app

import (
	"context"
	"time"
)

// TodoRecord is one todo as its owner downloads it (CSV, JSON): every
// column the list keeps about it.
type TodoRecord struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Completed bool      `json:"completed"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// StoredSession is one web session as the tenant's database keeps it: the
// hash of its token, its encoded data and its expiry.
type StoredSession struct {
	Key    string
	Data   []byte
	Expiry time.Time
}

// AccountRecords are what a tenant's account page reads and changes in the
// tenant's own database, beyond the list itself.
type AccountRecords interface {
	// TodoRecords returns every item of the list, oldest first.
	TodoRecords(ctx context.Context) ([]TodoRecord, error)
	// SetPasswordHash replaces the password hash of user id (a hash made
	// by HashPassword). An unknown user gives ENOTFOUND.
	SetPasswordHash(ctx context.Context, id int64, hash string) error
	// StoredSessions returns every session that has not expired.
	StoredSessions(ctx context.Context) ([]StoredSession, error)
	// DeleteSessions removes the sessions with these keys, in one
	// transaction; unknown keys are not an error.
	DeleteSessions(ctx context.Context, keys []string) error
}
