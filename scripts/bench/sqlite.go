package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	_ "github.com/tursodatabase/go-libsql" // registers the "libsql" driver
)

// durablePragmas are the per-connection settings of every database the
// comparison servers open: the product's durability (WAL, synchronous=FULL,
// see app/store/open.go) and its other pragmas, so that opening a file costs
// the same. Each runs as a query whose rows are read: go-libsql's Exec fails
// on a pragma that returns a row.
var durablePragmas = []string{
	"PRAGMA busy_timeout=5000",
	"PRAGMA journal_mode=WAL",
	"PRAGMA synchronous=FULL",
	"PRAGMA foreign_keys=ON",
	"PRAGMA trusted_schema=OFF",
}

// openFile opens the SQLite file at path with go-libsql as a *sql.DB with
// exactly one connection, set up with durablePragmas. One connection per
// file is what the product does: several connections of one process writing
// one file fail with "database is locked" (shared/notes/engine.md).
func openFile(path string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	dsn := "file:" + (&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath()
	probe, err := sql.Open("libsql", dsn)
	if err != nil {
		return nil, err
	}
	dc, ok := probe.Driver().(driver.DriverContext)
	_ = probe.Close() // sql.Open connects lazily: nothing native was opened
	if !ok {
		return nil, errors.New("libsql driver has no OpenConnector")
	}
	inner, err := dc.OpenConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A *sql.DB made with sql.OpenDB closes the native database when it is
	// closed; one made with sql.Open would leak it.
	db := sql.OpenDB(&pragmaConnector{inner: inner})
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// pragmaConnector runs durablePragmas on every connection it makes and
// closes the native database with the *sql.DB.
type pragmaConnector struct{ inner driver.Connector }

// Connect makes a connection and sets it up.
func (c *pragmaConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		_ = conn.Close()
		return nil, errors.New("libsql connection cannot run queries")
	}
	for _, p := range durablePragmas {
		if err := drainQuery(ctx, q, p); err != nil {
			_ = conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// Driver returns the wrapped driver.
func (c *pragmaConnector) Driver() driver.Driver { return c.inner.Driver() }

// Close closes the native database.
func (c *pragmaConnector) Close() error {
	if cl, ok := c.inner.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

// drainQuery runs query and reads all its rows.
func drainQuery(ctx context.Context, q driver.QueryerContext, query string) error {
	rows, err := q.QueryContext(ctx, query, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", query, err)
	}
	defer rows.Close()
	dest := make([]driver.Value, len(rows.Columns()))
	for {
		if err := rows.Next(dest); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: %w", query, err)
		}
	}
}

// execAll runs each statement of a ";"-separated script with no semicolons
// inside its statements: go-libsql's Exec runs only the first statement of
// a string.
func execAll(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, script string) error {
	for _, stmt := range strings.Split(script, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", strings.TrimSpace(stmt), err)
		}
	}
	return nil
}

// closeFile checkpoints db's write-ahead log into its file, then closes it.
// go-libsql finishes a close in the background, after Close returns, and
// may only then fold the log in and remove -wal and -shm; checkpointed
// first, the file is whole when Close returns and a copy made right after
// (copyTree) cannot race with it.
func closeFile(db *sql.DB) {
	var busy, frames, done int
	_ = db.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done)
	_ = db.Close()
}
