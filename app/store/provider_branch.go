package store

import "context"

// Brancher is implemented by a Provider that copies a database on its own
// servers (Turso's branching: a new database seeded from another). Clone
// then uses it instead of a local snapshot that is adopted again: no
// bytes of the tenant's data pass through this process.
type Brancher interface {
	// Branch creates the database of tenantID in region as a consistent
	// copy of the live database at source (every transaction committed
	// before it started, none after) and returns its location. Source and
	// copy are in the same region. An existing database of tenantID gives
	// ECONFLICT. A failed Branch leaves no database of tenantID behind
	// that it made.
	Branch(ctx context.Context, source, tenantID, region string) (location string, err error)
}
