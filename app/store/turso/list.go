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
// trash (reads blocked), in the groups of this deployment's regions, for
// `todos tenants reconcile`. Other databases (the control plane's, another
// deployment's in other groups) are left out.
func (p *Provider) ListDatabases(ctx context.Context) ([]store.StoredDatabase, error) {
	dbs, err := p.api.ListDatabases(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.StoredDatabase
	groups := map[string]bool{}
	for _, r := range p.cfg.Regions {
		groups[r.Code] = true
	}
	for _, d := range dbs {
		dbID := strings.ReplaceAll(d.Name, "-", "_")
		id := store.TenantIDOf(dbID)
		if id == "" || !groups[d.Group] {
			continue // not a tenant's, or in a group this deployment does not use
		}
		loc := livePrefix + d.Name
		if d.BlockReads {
			loc = trashPrefix + d.Name
		}
		out = append(out, store.StoredDatabase{Location: loc, DatabaseID: dbID, TenantID: id})
	}
	return out, nil
}
