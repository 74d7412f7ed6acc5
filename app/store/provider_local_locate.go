package store

import (
	"fmt"
	"path/filepath"
)

// tenantLocator is implemented by providers that can tell where a tenant's
// live database is (or would be) from its id alone: it finds the database
// of a creation that crashed before it recorded the location.
type tenantLocator interface {
	locationOf(tenantID string) (string, error)
}

// LocalProvider implements tenantLocator.
var _ tenantLocator = LocalProvider{}

// locationOf returns the path that Create and Adopt give tenantID's
// database.
func (p LocalProvider) locationOf(tenantID string) (string, error) {
	if !ValidTenantID(tenantID) {
		return "", fmt.Errorf("local provider: invalid tenant id %q", tenantID)
	}
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, tenantID+".db"), nil
}
