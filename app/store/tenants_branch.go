package store

import (
	"context"
	"fmt"
	"time"

	"todos/app"
)

// branchTenant creates the tenant name as a copy of the live tenant src
// made by the provider's Branch, all or nothing, the way createFromFile
// does with a staged file:
//
//  1. claim the name with a 'creating' record in src's region;
//  2. branch src's database into the new tenant's and record where;
//  3. open and migrate the copy through the pool, delete the sessions it
//     came with (a clone starts with none, as a file copy does) and count
//     its todos;
//  4. turn the record active with those counters.
//
// On failure the branched database and the record are removed.
func (s *Tenants) branchTenant(ctx context.Context, b Brancher, src *app.Tenant, name string) (*app.Tenant, error) {
	t, leased, finish, err := s.beginCreation(ctx, name, src.Region)
	if err != nil {
		return nil, err
	}
	defer finish()
	stats, err := s.branch(leased, b, src, t)
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

// branch makes t's database a branch of src's (setting t.Location),
// migrates it, clears its sessions and returns its counters.
func (s *Tenants) branch(ctx context.Context, b Brancher, src, t *app.Tenant) (app.TodoStats, error) {
	loc, err := b.Branch(ctx, src.Location, t.ID, t.Region)
	if err != nil {
		return app.TodoStats{}, err
	}
	t.Location = loc
	if err := s.control.setTenantLocation(ctx, t.ID, loc); err != nil {
		return app.TodoStats{}, err
	}
	tdb, err := s.pool.Acquire(ctx, t)
	if err != nil {
		return app.TodoStats{}, err
	}
	defer tdb.Release()
	// Migrated: the sessions table exists whatever src's version was. A
	// libSQL server refuses PRAGMA secure_delete: a plain DELETE.
	if _, err := tdb.db.ExecContext(ctx, "DELETE FROM sessions"); err != nil {
		return app.TodoStats{}, fmt.Errorf("clear the sessions of a branch: %w", err)
	}
	return countTodos(ctx, tdb.db)
}
