package turso

import (
	"context"

	"todos/app/store"
)

// Provider gives direct access to its databases (the SQL console).
var _ store.DirectAccessor = (*Provider)(nil)

// DirectAccess returns the URL of the live database at location and a
// token of that database: full-access with write, else read-only (the
// Platform API's authorization=read-only), which the data plane enforces
// on every statement. Both kinds are cached and renewed like Open's.
func (p *Provider) DirectAccess(ctx context.Context, location string, write bool) (store.DirectAccess, error) {
	name, base, err := p.live(ctx, location)
	if err != nil {
		return store.DirectAccess{}, err
	}
	cache := p.roTokens
	if write {
		cache = p.tokens
	}
	tok, err := cache.get(ctx, name)
	if err != nil {
		return store.DirectAccess{}, err
	}
	return store.DirectAccess{URL: base, AuthToken: tok.reveal(), ReadOnly: !write}, nil
}

// ReadOnlyTokens reports true: Turso issues read-only database tokens.
func (p *Provider) ReadOnlyTokens() bool { return true }
