package store

import (
	"context"
	"database/sql"
	_ "embed"
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
	db     *sql.DB
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
	c := &Control{db: db, params: app.DefaultPasswordParams}
	for _, opt := range opts {
		opt(c)
	}
	return c, nil
}

// Close closes the control database.
func (c *Control) Close() error { return c.db.Close() }

// Ping checks that the control database answers a query.
func (c *Control) Ping(ctx context.Context) error {
	var one int
	return c.db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}
