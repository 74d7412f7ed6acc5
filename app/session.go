package app

import (
	"context"
	"time"
)

// SessionRecords keeps the web sessions of one tenant's users, in that
// tenant's own database. Keys are hashes of session tokens (the caller hashes
// them); a record past its expiry is never found.
type SessionRecords interface {
	// FindSession returns the data of the session key, with found false
	// when it is unknown or expired.
	FindSession(ctx context.Context, key string) (data []byte, found bool, err error)
	// CommitSession stores data as the session key's until expiry,
	// replacing what was there.
	CommitSession(ctx context.Context, key string, data []byte, expiry time.Time) error
	// DeleteSession removes the session key; an unknown key is not an error.
	DeleteSession(ctx context.Context, key string) error
}

// sessionRecordsKey is the context key of a request's SessionRecords.
type sessionRecordsKey struct{}

// NewContextWithSessionRecords returns ctx carrying the session records of
// the tenant a request is for.
func NewContextWithSessionRecords(ctx context.Context, r SessionRecords) context.Context {
	return context.WithValue(ctx, sessionRecordsKey{}, r)
}

// SessionRecordsFromContext returns the session records ctx carries, or nil.
func SessionRecordsFromContext(ctx context.Context) SessionRecords {
	r, _ := ctx.Value(sessionRecordsKey{}).(SessionRecords)
	return r
}

// loadedSessionKey is the context key of the session a request loaded.
type loadedSessionKey struct{}

// NewContextWithLoadedSession returns ctx marked as serving the session
// stored under key, loaded from its store at the start of the request. A
// store commits that key only if it still holds it: a session deleted
// meanwhile (signed out in another tab) is not brought back by the
// request's renewal.
func NewContextWithLoadedSession(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, loadedSessionKey{}, key)
}

// IsLoadedSession reports whether ctx serves the session stored under key,
// loaded at the start of its request.
func IsLoadedSession(ctx context.Context, key string) bool {
	k, _ := ctx.Value(loadedSessionKey{}).(string)
	return k != "" && k == key
}
