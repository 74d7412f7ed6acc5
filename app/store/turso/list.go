package turso

import (
	"context"
	"strings"

	"todos/app/store"
)

// Provider implements store.DatabaseLister.
var _ store.DatabaseLister = (*Provider)(nil)

// ListDatabases lists the organisation's databases named after a tenant
// (DatabaseName; a region move's copy carries a suffix), live or in the
// trash (reads blocked), for `todos tenants reconcile`. Other databases
// (the control plane's, anything else the organisation keeps) are left
// out.
func (p *Provider) ListDatabases(ctx context.Context) ([]store.StoredDatabase, error) {
	dbs, err := p.api.ListDatabases(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.StoredDatabase
	for _, d := range dbs {
		id := store.TenantIDOf(strings.ReplaceAll(d.Name, "-", "_"))
		if id == "" {
			continue
		}
		loc := livePrefix + d.Name
		if d.BlockReads {
			loc = trashPrefix + d.Name
		}
		out = append(out, store.StoredDatabase{Location: loc, TenantID: id})
	}
	return out, nil
}
