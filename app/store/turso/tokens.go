package turso

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// tokenCache keeps one token per database in memory (full-access, or
// read-only when readOnly is set), and asks for a new one when the one it
// has is within a quarter of its lifetime of expiring.
type tokenCache struct {
	api      *Client
	lifetime time.Duration
	now      func() time.Time
	readOnly bool

	mu     sync.Mutex
	tokens map[string]cachedToken
}

// cachedToken is a token and when it stops being used.
type cachedToken struct {
	token   Secret
	renewAt time.Time
}

// get returns a token of database name that has at least a quarter of its
// lifetime left, asking the API for a new one when needed.
func (c *tokenCache) get(ctx context.Context, name string) (Secret, error) {
	c.mu.Lock()
	t, ok := c.tokens[name]
	c.mu.Unlock()
	if ok && c.now().Before(t.renewAt) {
		return t.token, nil
	}
	issued := c.now()
	tok, err := c.api.CreateToken(ctx, name, c.lifetime, c.readOnly)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.tokens[name] = cachedToken{token: tok, renewAt: issued.Add(c.lifetime - c.lifetime/4)}
	c.mu.Unlock()
	return tok, nil
}

// forget drops the token of database name (deleted, or refused).
func (c *tokenCache) forget(name string) {
	c.mu.Lock()
	delete(c.tokens, name)
	c.mu.Unlock()
}

// String describes the cache without its tokens.
func (c *tokenCache) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return "turso.tokenCache{" + strconv.Itoa(len(c.tokens)) + " tokens (redacted)}"
}

// GoString is String, for %#v.
func (c *tokenCache) GoString() string { return c.String() }
