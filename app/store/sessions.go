package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"todos/app"
)

// SessionStore keeps admin sessions in the control database (tenant
// sessions live in each tenant's own database). It implements scs.Store and
// scs.CtxStore (github.com/alexedwards/scs/v2); tokens reach it hashed.
type SessionStore struct {
	db   *sql.DB // writes
	read *sql.DB // finds
}

// SessionStore returns the session store backed by the control database.
func (c *Control) SessionStore() *SessionStore { return &SessionStore{db: c.db, read: c.read} }

// Find returns the data of the session token, with found false when the
// token is unknown or expired.
func (s *SessionStore) Find(token string) (b []byte, found bool, err error) {
	return s.FindCtx(context.Background(), token)
}

// FindCtx is Find with a context.
func (s *SessionStore) FindCtx(ctx context.Context, token string) (b []byte, found bool, err error) {
	err = s.read.QueryRowContext(ctx, "SELECT "+textCol("data")+" FROM sessions WHERE token = ? AND expiry > ?",
		token, millis(time.Now())).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// Commit stores b as the data of session token until expiry, replacing any
// previous data.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// CommitCtx is Commit with a context. A session the request loaded
// (app.IsLoadedSession) is only updated: if it was deleted meanwhile (a
// sign-out), it stays deleted.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if b == nil {
		b = []byte{}
	}
	if app.IsLoadedSession(ctx, token) {
		_, err := s.db.ExecContext(ctx, "UPDATE sessions SET data = ?, expiry = ? WHERE token = ?", b, millis(expiry), token)
		return storageError(err)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, b, millis(expiry))
	return storageError(err)
}

// Delete removes session token; an unknown token is not an error.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteCtx is Delete with a context.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE token = ?", token)
	return storageError(err)
}

// DeleteExpiredSessions removes the sessions that have expired and returns
// how many it removed. Call it periodically.
func (c *Control) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := c.db.ExecContext(ctx, "DELETE FROM sessions WHERE expiry <= ?", millis(time.Now()))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
