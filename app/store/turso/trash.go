package turso

import (
	"context"

	"todos/app"
	"todos/app/store/sqld"
)

// Size returns the size of the database at location. A live one is
// measured exactly, from its page count and page size; one in the trash
// cannot be read (its reads are blocked), so its size is the storage the
// Platform API's usage reports for it (Client.StorageBytes), which Turso
// updates periodically rather than at each write.
func (p *Provider) Size(ctx context.Context, location string) (int64, error) {
	name, live, err := parseLocation(location)
	if err != nil {
		return 0, err
	}
	if !live {
		return p.api.StorageBytes(ctx, name)
	}
	db, err := p.Open(ctx, location)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return sqld.DatabaseSize(ctx, db)
}

// Trash blocks the reads and writes of the database at location and
// returns its trash location; the database stays on Turso until Remove.
// Trashing it again is harmless.
func (p *Provider) Trash(ctx context.Context, location string) (string, error) {
	name, _, err := parseLocation(location)
	if err != nil {
		return "", err
	}
	if err := p.api.SetBlocked(ctx, name, true, true); err != nil {
		return "", err
	}
	p.tokens.forget(name)
	p.roTokens.forget(name)
	return trashPrefix + name, nil
}

// Untrash lifts the blocks of the database at trashLocation and returns
// its live location. Untrashing a live database is harmless.
func (p *Provider) Untrash(ctx context.Context, trashLocation string) (string, error) {
	name, _, err := parseLocation(trashLocation)
	if err != nil {
		return "", err
	}
	if err := p.api.SetBlocked(ctx, name, false, false); err != nil {
		return "", err
	}
	return livePrefix + name, nil
}

// BlockWrites makes Turso refuse (or accept again) writes to the live
// database at location, for a region move (store.WriteBlocker).
func (p *Provider) BlockWrites(ctx context.Context, location string, block bool) error {
	name, live, err := parseLocation(location)
	if err != nil {
		return err
	}
	if !live {
		return app.Errorf(app.EINVALID, "This list is in the trash. Restore it first.")
	}
	return p.api.SetBlocked(ctx, name, false, block)
}
