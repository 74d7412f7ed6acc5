package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"todos/app"
)

// CreateTenant creates a tenant, its database (migrated) and its owner, all
// or nothing. The steps are:
//
//  1. validate the name, region, email and password;
//  2. insert the record with status 'creating': the UNIQUE name constraint
//     decides races (the loser gets ECONFLICT before doing any work) and
//     lookups ignore such rows;
//  3. hash the password, create the database with the provider and record
//     its location;
//  4. open and migrate it through the pool and insert the owner;
//  5. turn the record 'active'.
//
// If any step fails, the database is closed and removed and the record
// deleted, so the name is free again. A crash between steps leaves a
// 'creating' row that RemoveAbandoned cleans up.
func (s *Tenants) CreateTenant(ctx context.Context, in app.CreateTenantInput) (*app.Tenant, *app.User, error) {
	name, email, err := s.validate(in)
	if err != nil {
		return nil, nil, err
	}
	id, err := newTenantID()
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	t := &app.Tenant{ID: id, Name: name, Region: in.Region, Status: tenantCreating, CreatedAt: now, LastActiveAt: now}
	if err := s.control.insertTenant(ctx, t); err != nil {
		return nil, nil, err
	}
	u, err := s.build(ctx, t, email, in.OwnerPassword)
	if err == nil {
		err = s.control.activateTenant(ctx, id, time.Now(), app.TodoStats{}, LatestVersion(s.pool.migrations))
	}
	if err != nil {
		s.undoCreate(ctx, t)
		return nil, nil, err
	}
	created, err := s.control.TenantByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return created, u, nil
}

// validate normalises and checks the input of CreateTenant.
func (s *Tenants) validate(in app.CreateTenantInput) (name, email string, err error) {
	if name, err = app.NormalizeTenantName(in.Name); err != nil {
		return "", "", err
	}
	if !hasRegion(s.provider, in.Region) {
		return "", "", app.Errorf(app.EINVALID, "Please choose a region: %s.", s.regionCodes())
	}
	if email, err = app.NormalizeEmail(in.OwnerEmail); err != nil {
		return "", "", err
	}
	if err = app.ValidatePassword(in.OwnerPassword); err != nil {
		return "", "", err
	}
	return name, email, nil
}

// build creates t's database and its owner. It sets t.Location.
func (s *Tenants) build(ctx context.Context, t *app.Tenant, email, password string) (*app.User, error) {
	hash, err := app.HashPassword(password, s.params)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	loc, err := s.provider.Create(ctx, t.ID, t.Region)
	if err != nil {
		return nil, err
	}
	t.Location = loc
	if err := s.control.setTenantLocation(ctx, t.ID, loc); err != nil {
		return nil, err
	}
	tdb, err := s.pool.Acquire(ctx, t)
	if err != nil {
		return nil, err
	}
	defer tdb.Release()
	return tdb.CreateUser(ctx, email, hash)
}

// undoCreate removes whatever a failed CreateTenant made. It runs even if
// ctx is cancelled.
func (s *Tenants) undoCreate(ctx context.Context, t *app.Tenant) {
	ctx = context.WithoutCancel(ctx)
	if err := s.discard(ctx, t.ID, t.Location); err != nil {
		slog.Error("store: could not remove the database of a failed tenant creation",
			"tenant", t.ID, "location", t.Location, "err", err)
	}
	if err := s.control.deleteTenantRecord(ctx, t.ID); err != nil {
		slog.Error("store: could not delete the record of a failed tenant creation", "tenant", t.ID, "err", err)
	}
}
