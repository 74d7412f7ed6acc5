package store

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"todos/app"
)

// CreateTenant creates a tenant, its database (migrated) and its owner, all
// or nothing. The steps are:
//
//  1. validate the name, region, email and password;
//  2. claim the name with a record of status 'creating' (see claimName): the
//     UNIQUE name constraint decides races (the loser gets ECONFLICT before
//     doing any work), lookups ignore such rows, and a record abandoned by
//     a crashed creation is taken over;
//  3. hash the password, create the database with the provider and record
//     its location;
//  4. open and migrate it through the pool and insert the owner;
//  5. turn the record 'active'.
//
// While it runs, the creation renews its record's lease (see
// creationLease). If any step fails, the database is closed and removed and
// the record deleted, so the name is free again; a full disk gives EFULL. A
// crash between steps leaves a 'creating' record whose lease runs out: the
// periodic RemoveAbandoned removes it, or a sign-up for its name takes it
// over.
func (s *Tenants) CreateTenant(ctx context.Context, in app.CreateTenantInput) (*app.Tenant, *app.User, error) {
	name, email, err := s.validate(in)
	if err != nil {
		return nil, nil, err
	}
	t, leased, finish, err := s.beginCreation(ctx, name, in.Region)
	if err != nil {
		return nil, nil, err
	}
	defer finish()
	u, err := s.build(leased, t, email, in.OwnerPassword)
	finish() // activation checks that the record is still this creation's
	if err == nil {
		err = s.control.activateTenant(ctx, t.ID, time.Now(), app.TodoStats{}, LatestVersion(s.pool.migrations))
	}
	if err != nil {
		s.undoCreate(ctx, t)
		return nil, nil, creationError(leased, name, err)
	}
	created, err := s.control.TenantByID(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	return created, u, nil
}

// beginCreation claims name for a new tenant in region (see claimName) and
// keeps the claim's lease until finish is called (once or more). The
// returned context, for the creation's work, is cancelled if the claim is
// taken over meanwhile, and by finish.
func (s *Tenants) beginCreation(ctx context.Context, name, region string) (
	t *app.Tenant, leased context.Context, finish func(), err error) {
	id, err := newTenantID()
	if err != nil {
		return nil, nil, nil, err
	}
	now := time.Now()
	t = &app.Tenant{ID: id, Name: name, Region: region, Status: tenantCreating, CreatedAt: now, LastActiveAt: now}
	done := s.locks.creating.begin(id)
	if err := s.claimName(ctx, t); err != nil {
		done()
		return nil, nil, nil, creationError(ctx, name, err)
	}
	leased, stop := s.keepLease(ctx, id, creationHeartbeat)
	return t, leased, sync.OnceFunc(func() { stop(); done() }), nil
}

// creationError is the error of a failed creation: ECONFLICT if its claim
// was taken over, EFULL if the disk is full, else err.
func creationError(ctx context.Context, name string, err error) error {
	if isStorageFull(err) {
		return app.WrapError(app.EFULL, "Storage is full: the list could not be created. Please try again later.", err)
	}
	return takenOverError(ctx, name, err)
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
