package turso

import (
	"context"

	"todos/app"
	"todos/app/store/sqld"
)

// Size returns the size of the live database at location, from its page
// count and page size. A database in the trash cannot be read (its reads
// are blocked): its size is not available yet (EUNAVAILABLE).
func (p *Provider) Size(ctx context.Context, location string) (int64, error) {
	_, live, err := parseLocation(location)
	if err != nil {
		return 0, err
	}
	if !live {
		return 0, app.Errorf(app.EUNAVAILABLE, "The size of a list in the trash is not available on Turso yet.")
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
