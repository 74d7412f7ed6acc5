package sqld

import (
	"context"
	"database/sql"

	"todos/app/store"
)

// Provider copies its databases itself: sqld refuses VACUUM INTO.
var _ store.Snapshotter = (*Provider)(nil)

// Snapshot writes a consistent copy of the namespace behind db (the pool's
// one-connection handle on it, from Open) into the empty staged local file
// at dstPath: the reverse of Adopt's replay. The namespace is read in one
// transaction, so the copy is one committed state; the tenant's own
// requests queue behind it on db's one connection, as they do behind
// VACUUM INTO on a local file. The file is written in one local
// transaction, in rollback-journal mode: a plain, self-contained SQLite
// file with the namespace's schema, rows, AUTOINCREMENT counters and
// user_version. A namespace with a virtual table gives EINVALID.
func (p *Provider) Snapshot(ctx context.Context, db *sql.DB, dstPath string) error {
	staged, err := p.Staging.StagedFile(dstPath)
	if err != nil {
		return err
	}
	return SnapshotFile(ctx, db, staged)
}

// openLocalWritable opens the local database file at path for writing, on
// one connection whose views and triggers may not call functions with side
// effects (the copied schema is the tenant's).
func openLocalWritable(path string) (*sql.DB, error) {
	c, err := store.OpenConnector(localDSN(path))
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("PRAGMA trusted_schema=OFF"); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}
