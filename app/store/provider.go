package store

import (
	"context"
	"database/sql"

	"todos/app"
)

// Provider creates, opens and removes tenant databases in one kind of place:
// local files today, a libSQL server or Turso later. Callers only keep the
// location string it returns and hand it back; they never interpret it.
type Provider interface {
	// Regions lists the regions this provider can place a database in.
	Regions() []app.Region
	// Create makes a new, empty database for tenantID in region and returns
	// its location. A database that already exists gives ECONFLICT.
	Create(ctx context.Context, tenantID, region string) (location string, err error)
	// Open returns a handle on the existing database at location, set up for
	// use by one process (see openDB). A missing database gives ENOTFOUND
	// and is never created.
	Open(ctx context.Context, location string) (*sql.DB, error)
	// Remove deletes the database at location. A missing one is not an error.
	Remove(ctx context.Context, location string) error
}

// hasRegion reports whether code is one of p's regions.
func hasRegion(p Provider, code string) bool {
	for _, r := range p.Regions() {
		if r.Code == code {
			return true
		}
	}
	return false
}

// validTenantID reports whether id is safe to use as a file or namespace
// name: 1 to 64 lowercase letters, digits and underscores.
func validTenantID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
