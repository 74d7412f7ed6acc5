package store

import (
	"context"

	"todos/app"
)

// SuspendTenant makes an active tenant suspended: its host shows a
// "suspended" page and its data stays untouched. A suspended tenant or one
// in the trash gives EINVALID; an unknown one ENOTFOUND.
func (s *Tenants) SuspendTenant(ctx context.Context, name string) error {
	return s.SuspendTenantWithReason(ctx, name, "")
}

// SuspendTenantWithReason is SuspendTenant that records reason, cleaned by
// app.CleanSuspendReason (a reason too long gives EINVALID), as the
// reason its users see on the suspended page ("": none is shown).
func (s *Tenants) SuspendTenantWithReason(ctx context.Context, name, reason string) error {
	reason, err := app.CleanSuspendReason(reason)
	if err != nil {
		return err
	}
	return s.switchStatus(ctx, name, app.TenantActive, app.TenantSuspended, reason)
}

// ResumeTenant makes a suspended tenant active again and forgets the
// suspension's reason. A tenant that is not
// suspended gives EINVALID; an unknown one ENOTFOUND.
func (s *Tenants) ResumeTenant(ctx context.Context, name string) error {
	return s.switchStatus(ctx, name, app.TenantSuspended, app.TenantActive, "")
}

// switchStatus changes the status of tenant name from from to to (with
// reason, see Control.switchStatus), or says why it cannot.
func (s *Tenants) switchStatus(ctx context.Context, name string, from, to app.TenantStatus, reason string) error {
	n, err := app.NormalizeTenantLookup(name)
	if err != nil {
		return tenantNotFound()
	}
	if ok, err := s.control.switchStatus(ctx, n, from, to, reason); ok || err != nil {
		return err
	}
	t, err := s.control.TenantByNameIncludingTrash(ctx, n)
	if err != nil {
		return err
	}
	switch {
	case t.Status == app.TenantDeleted:
		return app.Errorf(app.EINVALID, "The list %q is in the trash. Restore it first.", n)
	case t.Status == app.TenantSuspended:
		return app.Errorf(app.EINVALID, "The list %q is already suspended.", n)
	case to == app.TenantActive:
		return app.Errorf(app.EINVALID, "The list %q is not suspended.", n)
	default:
		return app.Errorf(app.EINVALID, "The list %q is %s.", n, t.Status)
	}
}
