package turso

import (
	"context"
	"database/sql"
	"fmt"

	"todos/app/store/sqld"
)

// Adopt creates the database of tenantID in region from the staged SQLite
// file at path (made by Stage) and returns its location; the staged file
// is then removed. The file is replayed into the new, empty database in
// one transaction (sqld.ReplayFile), its user_version kept; if anything
// fails, the new database is deleted again. An existing database gives
// ECONFLICT.
func (p *Provider) Adopt(ctx context.Context, tenantID, region, path string) (string, error) {
	staged, err := p.Staging.StagedFile(path)
	if err != nil {
		return "", err
	}
	loc, err := p.Create(ctx, tenantID, region)
	if err != nil {
		return "", err
	}
	err = p.replay(ctx, loc, staged)
	if err != nil {
		if rerr := p.Remove(context.WithoutCancel(ctx), loc); rerr != nil {
			err = fmt.Errorf("%w (and the half-made database %s could not be deleted: %v)", err, loc, rerr)
		}
		return "", err
	}
	if err := p.Staging.RemoveStagedFile(ctx, staged); err != nil {
		return "", err
	}
	return loc, nil
}

// replay copies the staged file at path into the new database at loc.
func (p *Provider) replay(ctx context.Context, loc, path string) error {
	dst, err := p.open(ctx, loc) // no foreign keys: rows arrive in table order
	if err != nil {
		return err
	}
	defer dst.Close()
	return sqld.ReplayFile(ctx, path, dst)
}

// Snapshot writes a consistent copy of the database behind db (the pool's
// handle on it, from Open) into the empty staged local file at dstPath, as
// the sqld provider does (sqld.SnapshotFile).
func (p *Provider) Snapshot(ctx context.Context, db *sql.DB, dstPath string) error {
	staged, err := p.Staging.StagedFile(dstPath)
	if err != nil {
		return err
	}
	return sqld.SnapshotFile(ctx, db, staged)
}
