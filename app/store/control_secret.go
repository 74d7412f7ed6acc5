package store

import (
	"context"
	"crypto/rand"
	"fmt"
)

// SharedSecret returns the master secret of the servers sharing this
// control plane, creating it (32 random bytes) if none has been made yet.
// Whichever server creates it first, every server gets the same one.
func (c *Control) SharedSecret(ctx context.Context) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	var got []byte
	// One statement on the primary: the first server's key wins, and every
	// server reads back the one that is stored.
	err := c.db.QueryRowContext(ctx, `INSERT INTO shared_secret (id, key) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET key = key RETURNING key`, key).Scan(&got)
	if err != nil {
		return nil, fmt.Errorf("shared secret: %w", err)
	}
	if len(got) < 32 {
		return nil, fmt.Errorf("shared secret: stored key is %d bytes, want at least 32", len(got))
	}
	return got, nil
}
