package store

import (
	"context"
	"database/sql"
	"strings"

	"todos/app"
)

// unknownRegion is the error of a region p does not offer.
func unknownRegion(p Provider, region string) error {
	var codes []string
	for _, r := range p.Regions() {
		codes = append(codes, r.Code)
	}
	return app.Errorf(app.EINVALID, "Unknown region %q. Valid regions: %s.", region, strings.Join(codes, ", "))
}

// OneServerRegions returns p offering regions instead of its own single
// region: every offered region is placed in p's one place (its first
// region), e.g. all regions on the one libSQL server of a sqld provider.
// A tenant's region is what the control plane records; the location p
// returns is the same whichever region asked. Without regions, p itself is
// returned.
func OneServerRegions(p Provider, regions []app.Region) Provider {
	if len(regions) == 0 {
		return p
	}
	r := oneServer{Provider: p, offered: regions, place: p.Regions()[0].Code}
	if sn, ok := p.(Snapshotter); ok {
		return oneServerSnapshotter{r, sn}
	}
	return r
}

// oneServer is a Provider whose regions all map to one place of another.
type oneServer struct {
	Provider
	offered []app.Region
	place   string
}

// oneServerSnapshotter is a oneServer over a Snapshotter, which it stays.
type oneServerSnapshotter struct {
	oneServer
	sn Snapshotter
}

// Snapshot is the wrapped provider's.
func (p oneServerSnapshotter) Snapshot(ctx context.Context, db *sql.DB, dstPath string) error {
	return p.sn.Snapshot(ctx, db, dstPath)
}

// Regions returns the offered regions.
func (p oneServer) Regions() []app.Region { return p.offered }

// Create creates the database in the one place, for any offered region.
func (p oneServer) Create(ctx context.Context, tenantID, region string) (string, error) {
	if !hasRegion(p, region) {
		return "", unknownRegion(p, region)
	}
	return p.Provider.Create(ctx, tenantID, p.place)
}

// Adopt adopts the staged file in the one place, for any offered region.
func (p oneServer) Adopt(ctx context.Context, tenantID, region, path string) (string, error) {
	if !hasRegion(p, region) {
		return "", unknownRegion(p, region)
	}
	return p.Provider.Adopt(ctx, tenantID, p.place, path)
}

// Unwrap returns the wrapped provider, for optional interfaces other than
// Snapshotter that callers look for.
func (p oneServer) Unwrap() Provider { return p.Provider }
