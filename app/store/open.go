package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"

	_ "github.com/tursodatabase/go-libsql" // registers the "libsql" driver
)

// driverName is the database/sql name of the go-libsql driver.
const driverName = "libsql"

// localPragmas run on every new connection to a local database file. Each is
// sent as a query whose rows are read and discarded: go-libsql's Exec fails on
// pragmas that return a row.
//
// WAL with synchronous=FULL keeps every committed write after a power loss at
// ~0.3 ms per write; busy_timeout covers the rare second handle on a file
// (tests, tools); foreign_keys is off by default in SQLite.
var localPragmas = []pragma{
	{sql: "PRAGMA busy_timeout=5000"}, // first, so the others wait for locks too
	{sql: "PRAGMA journal_mode=WAL", want: "wal"},
	{sql: "PRAGMA synchronous=FULL"},
	{sql: "PRAGMA foreign_keys=ON"},
	// Views and triggers in a tenant's database (an imported one, or one
	// changed in the console's write mode) may not call functions with side
	// effects when the app reads or writes it.
	{sql: "PRAGMA trusted_schema=OFF"},
}

// tenantPageCache bounds the page cache of each tenant's connection (SQLite's
// default is 2 MB): a server keeps up to --pool-size tenants open, and their
// caches together must fit the machine. Pages beyond it come from the
// operating system's file cache.
var tenantPageCache = pragma{sql: "PRAGMA cache_size=-512"} // KiB

// pragma is a statement run on each new connection; when want is set, the
// first column of its first row must equal it (case-insensitively).
type pragma struct {
	sql  string
	want string
}

// openDB opens the local database at dsn ("file:/abs/path.db") as a *sql.DB
// with exactly one connection, set up by localPragmas. One connection per
// handle is deliberate: go-libsql gives "database is locked" errors when
// several connections of one process write to the same file, and one
// connection serialises a tenant's statements at ~0.3 ms each.
func openDB(dsn string, extra ...pragma) (*sql.DB, error) {
	inner, err := OpenConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	return oneConnection(&setupConnector{inner: inner, pragmas: append(append([]pragma{}, localPragmas...), extra...)}), nil
}

// oneConnection returns a *sql.DB of c that keeps exactly one connection,
// never closed while the *sql.DB is open.
func oneConnection(c driver.Connector) *sql.DB {
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db
}

// openReadDB opens the local database at dsn (already created and in WAL
// mode) for reading only, with up to conns connections: in WAL mode readers
// neither wait for the writer nor stop it. Every connection is query_only,
// so a mistaken write fails instead of racing the writer connection.
func openReadDB(dsn string, conns int) (*sql.DB, error) {
	inner, err := OpenConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	pragmas := append([]pragma{}, localPragmas...)
	pragmas = append(pragmas, pragma{sql: "PRAGMA query_only=1"})
	db := sql.OpenDB(&setupConnector{inner: inner, pragmas: pragmas})
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// OpenConnector returns go-libsql's connector for dsn. A *sql.DB made from
// it with sql.OpenDB closes the native database when it is closed; one made
// with sql.Open never does, and leaks the file.
func OpenConnector(dsn string) (driver.Connector, error) {
	probe, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	dc, ok := probe.Driver().(driver.DriverContext)
	_ = probe.Close() // sql.Open connects lazily: nothing native was opened
	if !ok {
		return nil, errors.New("store: libsql driver has no OpenConnector")
	}
	return dc.OpenConnector(dsn)
}

// openPlain opens dsn with one connection and no set-up pragmas, for
// databases the app only inspects (an import being checked, an in-memory
// reference schema).
func openPlain(dsn string) (*sql.DB, error) {
	c, err := OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	// An uploaded file is not trusted: its views and triggers may not call
	// side-effect functions while it is checked.
	// One connection: an in-memory database lives as long as its connection.
	return oneConnection(&setupConnector{inner: c, pragmas: []pragma{{sql: "PRAGMA trusted_schema=OFF"}}}), nil
}

// setupConnector wraps a driver connector and runs its pragmas on every
// connection it makes. It closes the wrapped connector (the native database)
// when the *sql.DB is closed.
type setupConnector struct {
	inner   driver.Connector
	pragmas []pragma
}

// Connect makes a new connection and runs the pragmas on it.
func (c *setupConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		_ = conn.Close()
		return nil, errors.New("store: libsql connection cannot run queries")
	}
	for _, p := range c.pragmas {
		if err := runPragma(ctx, q, p); err != nil {
			_ = conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// Driver returns the wrapped connector's driver.
func (c *setupConnector) Driver() driver.Driver { return c.inner.Driver() }

// Close closes the wrapped connector, which closes the native database.
func (c *setupConnector) Close() error {
	if cl, ok := c.inner.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

// runPragma runs p as a query, reads all its rows and checks the first value.
func runPragma(ctx context.Context, q driver.QueryerContext, p pragma) error {
	rows, err := q.QueryContext(ctx, p.sql, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", p.sql, err)
	}
	defer rows.Close()
	var first any
	dest := make([]driver.Value, len(rows.Columns()))
	for n := 0; ; n++ {
		err := rows.Next(dest)
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("%s: %w", p.sql, err)
		}
		if n == 0 && len(dest) > 0 {
			first = dest[0]
		}
	}
	if p.want != "" && !strings.EqualFold(fmt.Sprint(first), p.want) {
		return fmt.Errorf("%s: got %v, want %s", p.sql, first, p.want)
	}
	return nil
}

// fileDSN returns the go-libsql data source name of an absolute file path.
// go-libsql reads "file:" names as URIs, so '%', '?', '#' and spaces in the
// path are escaped; otherwise "q?x.db" would open a file named "q".
func fileDSN(path string) string {
	return "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()
}

// checkpointAndClose closes a local database after moving its write-ahead
// log into the database file and truncating the log, so that the .db file
// alone holds every committed write once it returns: a copy of it made
// after a clean shutdown is complete, and the next open has no log to read.
//
// go-libsql finishes closing a database natively some time after db.Close
// returns (SQLite's own checkpoint on the last close runs then): a process
// that exits right after Close, as every command does, leaves the data in
// the -wal file. And a log left behind makes every open rebuild the log's
// index by reading all of it (measured: cold opens went from under 5 ms to
// 180 ms at p99 once tenants had a few dozen commits).
//
// A checkpoint that cannot finish (a reader in another process, such as a
// backup, past busy_timeout) is logged, not an error: nothing is lost, the
// log is simply checkpointed by a later close. what names the database in
// that log line.
func checkpointAndClose(db *sql.DB, what string) error {
	var busy, logFrames, checkpointed int
	err := db.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &checkpointed)
	if err != nil || busy != 0 {
		slog.Warn("store: the write-ahead log could not be checkpointed before close; its data stays in the -wal file until a later close",
			"database", what, "busy", busy != 0, "err", err)
	}
	return db.Close()
}
