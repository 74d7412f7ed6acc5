package store

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"

	"todos/app"
)

// controlSchema is the control-plane schema as ordered migrations.
//
//go:embed control.sql
var controlSchema string

// Control is the control-plane database: the tenant records, web sessions,
// handoff tokens, admins, the audit trail, console history and activity. It
// never holds tenant data; tenant counters are copies flushed in batches by
// an ActivityBuffer so that listing tenants opens no tenant database.
type Control struct {
	db     *sql.DB            // the one writer connection, for writes and reads in them
	read   *sql.DB            // readers: lookups, listings and the dashboard never queue behind a write
	params app.PasswordParams // argon2id costs of admin passwords

	routingEpoch atomic.Int64 // see control_routing.go
	routingSeen  atomic.Int64 // routing_version at the last poll
}

// ControlOption configures OpenControl.
type ControlOption func(*Control)

// WithPasswordParams sets the argon2id costs used to hash admin passwords
// (app.DefaultPasswordParams when not given).
func WithPasswordParams(p app.PasswordParams) ControlOption {
	return func(c *Control) { c.params = p }
}

// OpenControl opens (creating if needed) the control database file at path
// and migrates it to the latest schema.
func OpenControl(path string, opts ...ControlOption) (*Control, error) {
	ms, err := ParseMigrations(controlSchema)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("control database path: %w", err)
	}
	db, err := openDB(fileDSN(abs))
	if err != nil {
		return nil, fmt.Errorf("open control database: %w", err)
	}
	if _, _, err := Migrate(context.Background(), db, ms); err != nil {
		_ = db.Close()
		return nil, err
	}
	read, err := openReadDB(fileDSN(abs), controlReaders)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open control database for reading: %w", err)
	}
	c := &Control{db: db, read: read, params: app.DefaultPasswordParams}
	for _, opt := range opts {
		opt(c)
	}
	return c, nil
}

// Close closes the control database.
func (c *Control) Close() error { return errors.Join(c.read.Close(), c.db.Close()) }

// controlReaders is how many connections read the control plane at once.
const controlReaders = 4

// Ping checks that the control database answers a query.
func (c *Control) Ping(ctx context.Context) error {
	var one int
	return c.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}
