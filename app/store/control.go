package store

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
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
	path   string             // absolute path of the database file
	params app.PasswordParams // argon2id costs of admin passwords

	closeOnce sync.Once // Close runs once
	closeErr  error     // and keeps its result

	routingEpoch atomic.Int64 // see control_routing.go
	routingSeen  atomic.Int64 // routing_version at the last poll

	replica *replicaState // set when the control plane is remote (control_replica.go)
}

// ControlOption configures OpenControl.
type ControlOption func(*Control)

// WithPasswordParams sets the argon2id costs used to hash admin passwords
// (app.DefaultPasswordParams when not given).
func WithPasswordParams(p app.PasswordParams) ControlOption {
	return func(c *Control) { c.params = p }
}

// OpenControl opens (creating if needed, mode 0600) the control database
// file at path and migrates it to the latest schema.
func OpenControl(path string, opts ...ControlOption) (*Control, error) {
	ms, err := ParseMigrations(controlSchema)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("control database path: %w", err)
	}
	c := &Control{path: abs, params: app.DefaultPasswordParams}
	for _, opt := range opts {
		opt(c)
	}
	if c.replica != nil {
		if err := openReplicaControl(c, abs, ms); err != nil {
			return nil, err
		}
		return c, nil
	}
	if IsReplicaFile(abs) {
		return nil, app.Errorf(app.ECONFLICT, "%s is a replica of a shared control database: start with --control-url (and --control-auth-token), or move it and its %s file away to start a local control plane.", abs, replicaIndexSuffix)
	}
	// SQLite would create the file with mode 0644; its -wal and -shm files
	// take the mode of the database file.
	if err := createPrivateFile(abs); err != nil {
		return nil, fmt.Errorf("control database: %w", err)
	}
	db, err := openDB(fileDSN(abs))
	if err != nil {
		return nil, fmt.Errorf("open control database: %w", err)
	}
	if _, _, err := Migrate(context.Background(), db, ms); err != nil {
		_ = checkpointAndClose(db, abs)
		return nil, err
	}
	read, err := openReadDB(fileDSN(abs), controlReaders)
	if err != nil {
		_ = checkpointAndClose(db, abs)
		return nil, fmt.Errorf("open control database for reading: %w", err)
	}
	c.db, c.read = db, read
	return c, nil
}

// Close closes the control database: the readers first, then the writer,
// after it has checkpointed the write-ahead log into the database file, so
// that control.db alone holds every committed write (see
// checkpointAndClose). Calls after the first return the first one's result.
func (c *Control) Close() error {
	c.closeOnce.Do(func() {
		switch {
		case c.replica == nil:
			rerr := c.read.Close()
			c.closeErr = errors.Join(rerr, checkpointAndClose(c.db, c.path))
		case c.read == c.db: // the primary, reached directly
			c.closeErr = c.db.Close()
		default: // the replica: its readers share the writer's native database
			rerr := c.read.Close()
			c.closeErr = errors.Join(rerr, c.replica.closeAfterSyncs(c.db.Close))
		}
	})
	return c.closeErr
}

// controlReaders is how many connections read the control plane at once.
const controlReaders = 4

// Ping checks that the control database answers a query.
func (c *Control) Ping(ctx context.Context) error {
	var one int
	return c.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}
