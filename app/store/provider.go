package store

import (
	"context"
	"database/sql"
	"time"

	"todos/app"
)

// Provider creates, opens and removes tenant databases in one kind of place:
// local files today, a libSQL server or Turso later. Callers only keep the
// location string it returns and hand it back; they never interpret it.
//
// A database is live (served), in the trash (kept but never opened) or
// staged: a local file prepared by this process (a copy, an upload) before
// it is adopted as a tenant's database or streamed out. Staged files are
// always local paths, whatever the provider, so that SQLite can write them.
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
	// OpenExclusive is Open in exclusive locking mode, for when Open fails
	// because the disk is full: the write-ahead log's index is then kept
	// in memory instead of a -shm file that would need space, so the
	// database can be read (and written once space is freed). No other
	// process can use the database while this handle is open.
	OpenExclusive(ctx context.Context, location string) (*sql.DB, error)
	// Remove deletes the database at location, live, in the trash or staged.
	// A missing one is not an error.
	Remove(ctx context.Context, location string) error
	// Size returns the size in bytes of the database at location (live or
	// in the trash), its write-ahead log included. A missing one gives
	// ENOTFOUND.
	Size(ctx context.Context, location string) (int64, error)
	// Trash moves the closed database at location into the trash and
	// returns its location there. It may be retried after a failure: a
	// database already in the trash keeps its place.
	Trash(ctx context.Context, location string) (trashLocation string, err error)
	// Untrash moves the database at trashLocation back into service and
	// returns its live location. Like Trash, it may be retried.
	Untrash(ctx context.Context, trashLocation string) (location string, err error)
	// Stage returns the path of a new, empty local file in which a database
	// can be prepared. Remove deletes it; Adopt turns it into a tenant's.
	Stage(ctx context.Context) (path string, err error)
	// RemoveStaged deletes the staged files last changed more than
	// olderThan ago, left by a crash, and returns how many it deleted.
	RemoveStaged(ctx context.Context, olderThan time.Duration) (int, error)
	// Adopt moves the prepared database file at path (made by Stage) into
	// service as the database of tenantID in region and returns its
	// location. An existing database of tenantID gives ECONFLICT.
	Adopt(ctx context.Context, tenantID, region, path string) (location string, err error)
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

// ValidTenantID reports whether id is safe to use as a file or namespace
// name: 1 to 64 lowercase letters, digits and underscores.
func ValidTenantID(id string) bool {
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
