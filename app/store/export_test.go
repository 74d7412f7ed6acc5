package store

import "context"

// SetMoveCopied sets the hook MoveTenant runs once its copy is adopted,
// for tests outside the package (they may use the remote providers, which
// import this one).
func SetMoveCopied(s *Tenants, f func(ctx context.Context, location string) error) { s.moveCopied = f }

// PendingMoves returns the number of region moves recorded as running.
func PendingMoves(c *Control) (int, error) {
	ms, err := c.pendingMoves(context.Background())
	return len(ms), err
}
