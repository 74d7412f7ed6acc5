package store

import (
	"context"
	"database/sql"
	"fmt"
)

// SchemaVersion returns the last migration applied to a database (its
// PRAGMA user_version), without applying any.
func SchemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read user_version: %w", err)
	}
	return v, nil
}

// LatestVersion returns the version the migrations bring a database to.
func LatestVersion(ms []Migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}
