package store

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"todos/app"
)

// createFromFile creates the tenant name in region with the database file
// that prepare stages (a copy or an upload), all or nothing, the way
// CreateTenant does:
//
//  1. claim the name with a 'creating' record (see claimName; a taken name
//     gives ECONFLICT before any work), whose lease is renewed until the
//     creation ends;
//  2. prepare the staged file; prepare removes it itself if it fails;
//  3. have the provider adopt it as the tenant's database and record where;
//  4. open and migrate it through the pool and count its todos;
//  5. turn the record active with those counters.
//
// On failure the staged file or the database, and the record, are removed;
// a full disk gives EFULL.
func (s *Tenants) createFromFile(ctx context.Context, name, region string,
	prepare func(ctx context.Context) (staged string, err error)) (*app.Tenant, error) {
	return s.createPlaced(ctx, name, region, func(ctx context.Context, t *app.Tenant) (app.TodoStats, error) {
		return s.adopt(ctx, t, prepare)
	})
}

// createPlaced creates the tenant name in region all or nothing: it claims
// the name with a 'creating' record (renewing its lease until the creation
// ends), has place make the tenant's database (setting t.Location, see
// placed) and return its counters, and turns the record active with them.
// On failure place's database and the record are removed.
func (s *Tenants) createPlaced(ctx context.Context, name, region string,
	place func(ctx context.Context, t *app.Tenant) (app.TodoStats, error)) (*app.Tenant, error) {
	t, leased, finish, err := s.beginCreation(ctx, name, region)
	if err != nil {
		return nil, err
	}
	defer finish()
	stats, err := place(leased, t)
	finish() // activation checks that the record is still this creation's
	if err == nil {
		err = s.control.activateTenant(ctx, t.ID, time.Now(), stats, LatestVersion(s.pool.migrations))
	}
	if err != nil {
		s.undoCreate(ctx, t)
		return nil, creationError(leased, name, err)
	}
	return s.control.TenantByID(ctx, t.ID)
}

// adopt runs prepare, clears the sessions its file came with (a copy or an
// upload starts with none), makes the file t's database (setting
// t.Location), migrates it and returns its counters. The sessions are
// cleared in the staged local file, with secure_delete, before any provider
// takes it: a libSQL server refuses PRAGMA secure_delete, and a session
// never reaches it.
func (s *Tenants) adopt(ctx context.Context, t *app.Tenant,
	prepare func(ctx context.Context) (string, error)) (app.TodoStats, error) {
	staged, err := prepare(ctx)
	if err != nil {
		return app.TodoStats{}, err
	}
	if err := scrubCopy(ctx, staged); err != nil {
		s.removeStaged(ctx, staged)
		return app.TodoStats{}, err
	}
	loc, err := s.provider.Adopt(ctx, t.ID, t.Region, staged)
	if err != nil {
		s.removeStaged(ctx, staged)
		return app.TodoStats{}, err
	}
	return s.placed(ctx, t, loc, nil)
}

// placed records loc as the location of t's new database, opens and
// migrates it through the pool, runs clean on it (when not nil) and
// returns its counters.
func (s *Tenants) placed(ctx context.Context, t *app.Tenant, loc string, clean func(ctx context.Context, db *sql.DB) error) (app.TodoStats, error) {
	t.Location = loc
	if err := s.control.setTenantLocation(ctx, t.ID, loc); err != nil {
		return app.TodoStats{}, err
	}
	tdb, err := s.pool.Acquire(ctx, t)
	if err != nil {
		return app.TodoStats{}, err
	}
	defer tdb.Release()
	if clean != nil {
		if err := clean(ctx, tdb.db); err != nil {
			return app.TodoStats{}, err
		}
	}
	return countTodos(ctx, tdb.db)
}

// removeStaged removes a staged file, even if ctx is cancelled, and logs a
// failure.
func (s *Tenants) removeStaged(ctx context.Context, path string) {
	if err := s.provider.Remove(context.WithoutCancel(ctx), path); err != nil {
		slog.Error("store: could not remove a staged database file", "path", path, "err", err)
	}
}
