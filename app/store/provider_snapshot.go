package store

import (
	"context"
	"database/sql"
)

// Snapshotter is implemented by a Provider whose databases cannot copy
// themselves with VACUUM INTO (a libSQL server refuses it). Export and
// clone then ask the provider for the copy instead.
type Snapshotter interface {
	// Snapshot writes a consistent copy of the database behind db, the
	// pool's handle on a live tenant database of this provider, into the
	// empty staged file at dstPath (made by Stage): a plain SQLite file in
	// rollback-journal mode with the same schema, rows, AUTOINCREMENT
	// counters and user_version. The copy reads one transaction's view, on
	// db, so it queues with the tenant's requests as VACUUM INTO does.
	Snapshot(ctx context.Context, db *sql.DB, dstPath string) error
}
