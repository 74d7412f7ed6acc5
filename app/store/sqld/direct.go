package sqld

import (
	"context"
	"errors"

	"todos/app"
	"todos/app/store"
)

// Provider gives direct access to its namespaces (the SQL console).
var _ store.DirectAccessor = (*Provider)(nil)

// DirectAccess returns the URL of the live namespace at location and,
// with auth, a fresh token for that namespace alone: read-write with
// write, else read-only (claim a="ro"), which the server enforces on every
// statement. Without auth there is no token: the server then refuses
// nothing, and the caller's own checks are all that keeps access read-only.
func (p *Provider) DirectAccess(ctx context.Context, location string, write bool) (store.DirectAccess, error) {
	ns, live, err := parseLocation(location)
	if err != nil {
		return store.DirectAccess{}, err
	}
	if !live {
		return store.DirectAccess{}, app.Errorf(app.EINVALID, "This list is in the trash. Restore it first.")
	}
	cfg, err := p.admin.config(ctx, ns)
	if errors.Is(err, errNoNamespace) {
		return store.DirectAccess{}, app.WrapError(app.ENOTFOUND, "This list's database is missing.", err)
	} else if err != nil {
		return store.DirectAccess{}, err
	}
	if cfg.BlockReads {
		return store.DirectAccess{}, app.Errorf(app.EINVALID, "This list's database is blocked on its server. Restore it first.")
	}
	a := store.DirectAccess{URL: p.namespaceURL(ns)}
	if p.signer == nil {
		return a, nil
	}
	access := accessReadOnly
	if write {
		access = accessReadWrite
	}
	if a.AuthToken, err = p.signer.token(ns, access); err != nil {
		return store.DirectAccess{}, err
	}
	a.ReadOnly = !write
	return a, nil
}

// ReadOnlyTokens reports whether the server checks tokens (Config.AuthKeyFile):
// only then does read-only access carry a token the server enforces.
func (p *Provider) ReadOnlyTokens() bool { return p.signer != nil }
