package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"todos/app"
)

// Tenants implements app.TenantService on the control plane, a Provider and
// a TenantPool. Lookups read the control plane only; they never open a
// tenant's database. Lookups by name, the tenant hosts' hot path, are
// answered from memory (see tenantCache).
type Tenants struct {
	control  *Control
	cache    *tenantCache
	provider Provider
	pool     *TenantPool
	params   app.PasswordParams
	locks    tenantLocks // orders moves of one tenant's database
	// moveCopied, when set (by tests), runs in MoveTenant once the copy is
	// in its new place and before it is verified; an error fails the move.
	moveCopied func(ctx context.Context, location string) error
}

// Tenants implements app.TenantService and app.TenantAdmin.
var (
	_ app.TenantService = (*Tenants)(nil)
	_ app.TenantAdmin   = (*Tenants)(nil)
)

// NewTenants returns the tenant service. params are the argon2id costs used
// for owner passwords.
func NewTenants(control *Control, provider Provider, pool *TenantPool, params app.PasswordParams) *Tenants {
	return &Tenants{control: control, cache: newTenantCache(control), provider: provider, pool: pool, params: params}
}

// Regions lists the regions a tenant may choose.
func (s *Tenants) Regions() []app.Region { return s.provider.Regions() }

// FindTenantByName returns the live tenant with that name, or ENOTFOUND.
// Tenants in the trash are not found. The answer comes from memory when the
// tenant was looked up since its routing last changed; its counters may then
// be older than the control plane's.
func (s *Tenants) FindTenantByName(ctx context.Context, name string) (*app.Tenant, error) {
	return s.cache.byName(ctx, name)
}

// CacheStats returns the counters of the in-memory tenant lookups.
func (s *Tenants) CacheStats() CacheStats { return s.cache.stats() }

// FindTenantByID returns the live tenant with that id, or ENOTFOUND. Tenants
// in the trash are not found.
func (s *Tenants) FindTenantByID(ctx context.Context, id string) (*app.Tenant, error) {
	return s.control.TenantByID(ctx, id)
}

// FindTenantByNameIncludingTrash returns the tenant with that name, also
// when it is in the trash, or ENOTFOUND. It is for admin pages.
func (s *Tenants) FindTenantByNameIncludingTrash(ctx context.Context, name string) (*app.Tenant, error) {
	n, err := app.NormalizeTenantLookup(name)
	if err != nil {
		return nil, tenantNotFound()
	}
	return s.control.TenantByNameIncludingTrash(ctx, n)
}

// FindTenantByIDIncludingTrash returns the tenant with that id, also when it
// is in the trash, or ENOTFOUND. It is for admin pages.
func (s *Tenants) FindTenantByIDIncludingTrash(ctx context.Context, id string) (*app.Tenant, error) {
	return s.control.TenantByIDIncludingTrash(ctx, id)
}

// ListTenants returns all live tenants (not those in the trash) ordered by
// name.
func (s *Tenants) ListTenants(ctx context.Context) ([]*app.Tenant, error) {
	return s.control.ListTenants(ctx)
}

// FindTenant returns the live tenant named name as the control plane has it
// now, or ENOTFOUND: for admin pages, which show its counters.
func (s *Tenants) FindTenant(ctx context.Context, name string) (*app.Tenant, error) {
	return s.liveTenant(ctx, name)
}

// liveTenant returns the live tenant named name (normalised here), or
// ENOTFOUND.
func (s *Tenants) liveTenant(ctx context.Context, name string) (*app.Tenant, error) {
	n, err := app.NormalizeTenantLookup(name)
	if err != nil {
		return nil, tenantNotFound()
	}
	return s.control.TenantByName(ctx, n)
}

// waitClosed waits for a database being closed by the pool (closed), up to
// evictTimeout, after which it logs and gives up waiting.
func waitClosed(closed <-chan struct{}, tenantID string) {
	select {
	case <-closed:
	case <-time.After(evictTimeout):
		slog.Warn("store: moving a tenant database still in use", "tenant", tenantID)
	}
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

// evictTimeout bounds how long moving or removing a tenant's database waits
// for requests that still use it. After it, the files are moved or removed
// anyway; the open handle keeps working on them (the same inodes) until it
// is released.
const evictTimeout = 10 * time.Second

// newTenantID returns "t_" and 16 random bytes in hex.
func newTenantID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "t_" + hex.EncodeToString(b), nil
}

// regionCodes lists the provider's region codes for messages.
func (s *Tenants) regionCodes() string {
	var codes []string
	for _, r := range s.provider.Regions() {
		codes = append(codes, r.Code)
	}
	return strings.Join(codes, ", ")
}

// QueryTenants returns a page of tenants for the dashboard, reading the
// control plane only (see Control.QueryTenants).
func (s *Tenants) QueryTenants(ctx context.Context, q app.TenantQuery) (app.TenantPage, error) {
	return s.control.QueryTenants(ctx, q)
}
