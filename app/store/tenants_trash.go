package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"todos/app"
)

// DeleteTenant moves the tenant to the trash: its record turns 'deleted' at
// once (so its host answers "not found" and the name stays taken), then its
// database is closed, waiting for requests still using it, and moved into
// the provider's trash. RestoreTenant undoes it; PurgeTenant finishes it.
//
// If the move fails, the tenant stays in the trash with its database where
// it was; restoring and purging both cope with that.
func (s *Tenants) DeleteTenant(ctx context.Context, name string) error {
	t, err := s.liveTenant(ctx, name)
	if err != nil {
		return err
	}
	unlock := s.locks.lock(t.ID)
	defer unlock()
	ok, err := s.control.markTrashed(ctx, t.ID, time.Now())
	if err != nil {
		return err
	}
	if !ok { // deleted meanwhile
		return tenantNotFound()
	}
	ctx = context.WithoutCancel(ctx)
	closed, release := s.pool.hold(t.ID)
	defer release()
	waitClosed(closed, t.ID)
	loc, err := s.provider.Trash(ctx, t.Location)
	if err != nil {
		return fmt.Errorf("move the database of %s to the trash: %w", t.Name, err)
	}
	return s.control.setTenantLocation(ctx, t.ID, loc)
}

// RestoreTenant brings a tenant back from the trash, active, with its
// database moved back into service. A tenant that is not in the trash gives
// EINVALID.
func (s *Tenants) RestoreTenant(ctx context.Context, name string) (*app.Tenant, error) {
	t, unlock, err := s.lockTrashed(ctx, name, "restored")
	if err != nil {
		return nil, err
	}
	defer unlock()
	ctx = context.WithoutCancel(ctx)
	_, release := s.pool.hold(t.ID)
	defer release()
	loc, err := s.provider.Untrash(ctx, t.Location)
	if err != nil {
		return nil, err
	}
	ok, err := s.control.markRestored(ctx, t.ID, loc)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, tenantNotFound()
	}
	return s.control.TenantByID(ctx, t.ID)
}

// PurgeTenant removes a tenant in the trash for good: its database, then its
// record (the name becomes free). A tenant not in the trash gives EINVALID.
func (s *Tenants) PurgeTenant(ctx context.Context, name string) error {
	t, unlock, err := s.lockTrashed(ctx, name, "purged")
	if err != nil {
		return err
	}
	defer unlock()
	return s.purge(ctx, t)
}

// PurgeExpired purges every tenant that went to the trash more than
// retention ago and returns how many it purged. It goes on after a failure
// and returns all the errors.
func (s *Tenants) PurgeExpired(ctx context.Context, retention time.Duration) (int, error) {
	ts, err := s.control.trashedBefore(ctx, time.Now().Add(-max(retention, 0)))
	if err != nil {
		return 0, err
	}
	var errs []error
	n := 0
	for _, t := range ts {
		unlock := s.locks.lock(t.ID)
		cur, err := s.control.TenantByIDIncludingTrash(ctx, t.ID)
		if err == nil && cur.Status == app.TenantDeleted && cur.DeletedAt.Equal(t.DeletedAt) {
			err = s.purge(ctx, cur)
			if err == nil {
				n++
			}
		}
		unlock()
		if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			errs = append(errs, fmt.Errorf("purge %s: %w", t.Name, err))
		}
	}
	return n, errors.Join(errs...)
}

// purge removes the database of t, which is in the trash, then its record.
// The caller holds t's lock. The database is first made sure to be in the
// trash, in case an earlier move was interrupted.
func (s *Tenants) purge(ctx context.Context, t *app.Tenant) error {
	ctx = context.WithoutCancel(ctx)
	closed, release := s.pool.hold(t.ID)
	defer release()
	waitClosed(closed, t.ID)
	loc, err := s.provider.Trash(ctx, t.Location)
	switch {
	case app.ErrorCode(err) == app.ENOTFOUND: // no database left
	case err != nil:
		return err
	default:
		if err := s.provider.Remove(ctx, loc); err != nil {
			return err
		}
	}
	ok, err := s.control.deleteTrashedRecord(ctx, t.ID)
	if err == nil && !ok {
		return tenantNotFound()
	}
	return err
}

// lockTrashed finds the tenant named name, locks it and checks that it is in
// the trash (EINVALID otherwise, saying it cannot be done). The caller must
// call unlock.
func (s *Tenants) lockTrashed(ctx context.Context, name, done string) (*app.Tenant, func(), error) {
	t, err := s.FindTenantByNameIncludingTrash(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	unlock := s.locks.lock(t.ID)
	if t, err = s.control.TenantByIDIncludingTrash(ctx, t.ID); err != nil { // as of now
		unlock()
		return nil, nil, err
	}
	if t.Status != app.TenantDeleted {
		unlock()
		return nil, nil, app.Errorf(app.EINVALID, "The list %q is not in the trash: only lists in the trash can be %s.", t.Name, done)
	}
	return t, unlock, nil
}
