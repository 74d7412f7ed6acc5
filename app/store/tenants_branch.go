package store

import (
	"context"
	"database/sql"
	"fmt"

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
	return s.createPlaced(ctx, name, src.Region, func(ctx context.Context, t *app.Tenant) (app.TodoStats, error) {
		return s.branch(ctx, b, src, t)
	})
}

// branch makes t's database a branch of src's (setting t.Location),
// migrates it, clears its sessions, reset links and deleted items and returns its counters.
func (s *Tenants) branch(ctx context.Context, b Brancher, src, t *app.Tenant) (app.TodoStats, error) {
	loc, err := b.Branch(ctx, src.Location, t.ID, t.Region)
	if err != nil {
		return app.TodoStats{}, err
	}
	return s.placed(ctx, t, loc, func(ctx context.Context, db *sql.DB) error {
		// Migrated: the sessions table exists whatever src's version was.
		// A libSQL server refuses PRAGMA secure_delete: a plain DELETE.
		for _, table := range []string{"sessions", "password_resets", "deleted_todos"} {
			if _, err := db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
				return fmt.Errorf("clear the %s of a branch: %w", table, err)
			}
		}
		return nil
	})
}
