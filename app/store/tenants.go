package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"time"

	"todos/app"
)

// Tenants implements app.TenantService on the control plane, a Provider and
// a TenantPool. Lookups read the control plane only; they never open a
// tenant's database.
type Tenants struct {
	control  *Control
	provider Provider
	pool     *TenantPool
	params   app.PasswordParams
}

// Tenants implements app.TenantService.
var _ app.TenantService = (*Tenants)(nil)

// NewTenants returns the tenant service. params are the argon2id costs used
// for owner passwords.
func NewTenants(control *Control, provider Provider, pool *TenantPool, params app.PasswordParams) *Tenants {
	return &Tenants{control: control, provider: provider, pool: pool, params: params}
}

// Regions lists the regions a tenant may choose.
func (s *Tenants) Regions() []app.Region { return s.provider.Regions() }

// FindTenantByName returns the tenant with that name, or ENOTFOUND.
func (s *Tenants) FindTenantByName(ctx context.Context, name string) (*app.Tenant, error) {
	return s.control.TenantByName(ctx, name)
}

// FindTenantByID returns the tenant with that id, or ENOTFOUND.
func (s *Tenants) FindTenantByID(ctx context.Context, id string) (*app.Tenant, error) {
	return s.control.TenantByID(ctx, id)
}

// ListTenants returns all tenants ordered by name.
func (s *Tenants) ListTenants(ctx context.Context) ([]*app.Tenant, error) {
	return s.control.ListTenants(ctx)
}

// DeleteTenant removes the tenant record first (so the tenant disappears at
// once and its name is free), then closes its database and removes it.
func (s *Tenants) DeleteTenant(ctx context.Context, name string) error {
	n, err := app.NormalizeTenantName(name)
	if err != nil {
		return app.Errorf(app.ENOTFOUND, "There is no list with that name.")
	}
	t, err := s.control.TenantByName(ctx, n)
	if err != nil {
		return err
	}
	if err := s.control.deleteTenantRecord(ctx, t.ID); err != nil {
		return err
	}
	return s.discard(ctx, t.ID, t.Location)
}

// discard closes a tenant's database in the pool, waiting up to
// evictTimeout for requests still using it, and removes it.
func (s *Tenants) discard(ctx context.Context, id, location string) error {
	select {
	case <-s.pool.Evict(id):
	case <-time.After(evictTimeout):
		slog.Warn("store: removing a tenant database still in use", "tenant", id)
	}
	if location == "" {
		return nil
	}
	return s.provider.Remove(context.WithoutCancel(ctx), location)
}

// evictTimeout bounds how long removing a tenant waits for requests that
// still use its database. After it, the files are removed anyway; the open
// handle keeps working on the unlinked files until it is released.
const evictTimeout = 10 * time.Second

// newTenantID returns "t_" and 16 random bytes in hex.
func newTenantID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "t_" + hex.EncodeToString(b), nil
}

// RemoveAbandoned deletes tenants left in the 'creating' state by a crash
// more than olderThan ago, with their databases, and returns how many it
// removed. Run it at start-up: such rows keep their name taken.
func (s *Tenants) RemoveAbandoned(ctx context.Context, olderThan time.Duration) (int, error) {
	ts, err := s.control.abandonedTenants(ctx, time.Now().Add(-olderThan))
	if err != nil {
		return 0, err
	}
	var errs []error
	n := 0
	for _, t := range ts {
		if err := s.discard(ctx, t.ID, t.Location); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := s.control.deleteTenantRecord(ctx, t.ID); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// regionCodes lists the provider's region codes for messages.
func (s *Tenants) regionCodes() string {
	var codes []string
	for _, r := range s.provider.Regions() {
		codes = append(codes, r.Code)
	}
	return strings.Join(codes, ", ")
}
