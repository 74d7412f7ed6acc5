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
// plane, the local provider and the tenant pool.
func openBackend(dataDir string, poolSize int, schema string) (*backend, error) {
	if err := prepareDataDir(dataDir, slog.Default()); err != nil {
		return nil, err
	}
	migrations, err := store.ParseMigrations(schema)
	if err != nil {
		return nil, fmt.Errorf("schema.sql: %w", err)
	}
	control, err := store.OpenControl(filepath.Join(dataDir, "control.db"))
	if err != nil {
		return nil, fmt.Errorf("control store: %w", err)
	}
	provider := store.LocalProvider{Dir: filepath.Join(dataDir, "tenants")}
	pool := store.NewTenantPool(provider, migrations, control, poolSize)
	tenants := store.NewTenants(control, provider, pool, app.DefaultPasswordParams)
	return &backend{provider: provider, migrations: migrations, control: control, pool: pool, tenants: tenants}, nil
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
