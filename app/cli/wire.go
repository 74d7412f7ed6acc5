package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"

	"todos/app"
	"todos/app/store"
	"todos/app/store/sqld"
	"todos/app/store/turso"
)

// backend is the storage of one data directory, opened for a command.
type backend struct {
	provider   store.Provider
	migrations []store.Migration
	control    *store.Control
	pool       *store.TenantPool
	tenants    *store.Tenants
	once       sync.Once
	err        error
}

// openBackend opens (creating if needed) the data directory: the control
// plane, the local provider and the tenant pool. Commands use openStorage,
// which honours --provider.
func openBackend(dataDir string, poolSize int, schema string) (*backend, error) {
	return openBackendWith(dataDir, poolSize, schema, ProviderConfig{Kind: providerLocal})
}

// openStorage checks cfg's provider settings and opens its data directory
// with the tenant databases where they say: every command but serve opens
// its storage this way, and only serve creates a missing data directory.
func openStorage(cfg *Config, poolSize int, schema string) (*backend, error) {
	if err := cfg.Provider.validate(); err != nil {
		return nil, err
	}
	if err := requireDataDir(cfg.DataDir); err != nil {
		return nil, err
	}
	return openBackendIn(cfg.DataDir, poolSize, schema, cfg.Provider, cfg.Regions.Offered)
}

// openBackendWith is openBackend with the tenant databases where pc says.
func openBackendWith(dataDir string, poolSize int, schema string, pc ProviderConfig) (*backend, error) {
	return openBackendIn(dataDir, poolSize, schema, pc, nil)
}

// openBackendIn is openBackendWith offering regions (nil: the provider's
// one default region).
func openBackendIn(dataDir string, poolSize int, schema string, pc ProviderConfig, regions []app.Region) (*backend, error) {
	if err := prepareDataDir(dataDir, slog.Default()); err != nil {
		return nil, err
	}
	migrations, err := store.ParseMigrations(schema)
	if err != nil {
		return nil, fmt.Errorf("schema.sql: %w", err)
	}
	control, err := store.OpenControl(filepath.Join(dataDir, "control.db"), pc.Control.options()...)
	if err != nil {
		return nil, fmt.Errorf("control store: %w", err)
	}
	provider, err := newProvider(dataDir, pc, regions)
	if err != nil {
		_ = control.Close()
		return nil, err
	}
	pool := store.NewTenantPool(provider, migrations, control, poolSize)
	tenants := store.NewTenants(control, provider, pool, app.DefaultPasswordParams)
	return &backend{provider: provider, migrations: migrations, control: control, pool: pool, tenants: tenants}, nil
}

// newProvider returns the provider pc names, offering regions. Staged
// files (copies, uploads being prepared) are local files under
// DATA/tenants whatever the provider. With sqld, every region maps to its
// one server for now.
func newProvider(dataDir string, pc ProviderConfig, regions []app.Region) (store.Provider, error) {
	tenantsDir := filepath.Join(dataDir, "tenants")
	switch pc.Kind {
	case providerSqld:
		p, err := sqld.New(sqld.Config{URL: pc.SqldURL, AdminURL: pc.SqldAdminURL, StagingDir: tenantsDir, AuthKeyFile: pc.SqldAuthKey})
		if err != nil {
			return nil, err
		}
		return store.OneServerRegions(p, regions), nil
	case providerTurso:
		// Each region is a Turso group of the same name.
		return turso.New(turso.Config{APIURL: pc.Turso.APIURL, Org: pc.Turso.Org, APIToken: pc.Turso.APIToken,
			Regions: regions, StagingDir: tenantsDir})
	case providerLocal, "":
		return store.LocalProvider{Dir: tenantsDir, Offered: regions}, nil
	}
	return nil, fmt.Errorf("unknown provider %q", pc.Kind)
}

// Close closes every tenant database, then the control plane. Calls after
// the first return the first result.
func (b *backend) Close() error {
	b.once.Do(func() {
		perr := b.pool.Close()
		cerr := b.control.Close()
		b.err = errors.Join(perr, cerr)
	})
	return b.err
}

// latestVersion is the tenant schema version this binary migrates to.
func (b *backend) latestVersion() int { return store.LatestVersion(b.migrations) }

// schemaVersion reads a tenant database's schema version without migrating.
func (b *backend) schemaVersion(ctx context.Context, t *app.Tenant) (int, error) {
	db, err := b.provider.Open(ctx, t.Location)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return store.SchemaVersion(ctx, db)
}

// migrateTenant opens a tenant through the pool, which applies its pending
// migrations once and records its version in the control plane.
func (b *backend) migrateTenant(ctx context.Context, t *app.Tenant) error {
	db, err := b.pool.Acquire(ctx, t)
	if err != nil {
		return err
	}
	db.Release()
	return nil
}
