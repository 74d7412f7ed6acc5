package store

import (
	"context"
	"time"

	"todos/app"
)

// StoredSessions returns every admin session that has not expired, so that
// the web layer (which alone can decode their data) can find an admin's.
func (s *SessionStore) StoredSessions(ctx context.Context) ([]app.StoredSession, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+textCol("token")+", "+textCol("data")+", expiry FROM sessions WHERE expiry > ?", millis(time.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.StoredSession
	for rows.Next() {
		var st app.StoredSession
		var expiry int64
		if err := rows.Scan(&st.Key, &st.Data, &expiry); err != nil {
			return nil, err
		}
		st.Expiry = fromMillis(expiry)
		out = append(out, st)
	}
	return out, rows.Err()
}

// DeleteSessions removes the admin sessions stored under keys.
func (s *SessionStore) DeleteSessions(ctx context.Context, keys []string) error {
	for _, k := range keys {
		if err := s.DeleteCtx(ctx, k); err != nil {
			return err
		}
	}
	return nil
}
