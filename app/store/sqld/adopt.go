package sqld

import (
	"context"
	"fmt"
)

// Adopt creates the namespace tenantID from the staged SQLite file at path
// (made by Stage) and returns its location; the staged file is then
// removed. The file's schema and rows are replayed into the new namespace
// in one transaction (see replay), its user_version kept. If anything
// fails, the new namespace is deleted again. An existing namespace gives
// ECONFLICT.
func (p *Provider) Adopt(ctx context.Context, tenantID, region, path string) (string, error) {
	if err := checkTenant(tenantID, region); err != nil {
		return "", err
	}
	staged, err := p.Staging.StagedFile(path)
	if err != nil {
		return "", err
	}
	loc, err := p.Create(ctx, tenantID, region)
	if err != nil {
		return "", err
	}
	if err := p.replay(ctx, staged, tenantID); err != nil {
		if rerr := p.admin.remove(context.WithoutCancel(ctx), tenantID); rerr != nil {
			err = fmt.Errorf("%w (and the half-made namespace %s could not be deleted: %v)", err, tenantID, rerr)
		}
		return "", err
	}
	if err := p.Staging.RemoveStagedFile(ctx, staged); err != nil {
		return "", err
	}
	return loc, nil
}
