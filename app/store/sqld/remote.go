package sqld

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"

	"todos/app/store"
)

// OpenRemote returns a handle on the libSQL database at dsn (a URL such as
// https://host?authToken=…), with the guards this package puts on a
// namespace (see the package doc): one connection, closed after
// idleTimeout idle, every call bounded by callTimeout (EUNAVAILABLE when
// it passes), an expired stream replaced once, each result read to its
// end. Each new connection runs pragmas. Other providers whose data plane
// speaks sqld's protocol (Turso) open their databases with it.
func OpenRemote(dsn string, callTimeout, idleTimeout time.Duration, pragmas ...string) (*sql.DB, error) {
	if callTimeout <= 0 {
		callTimeout = DefaultCallTimeout
	}
	if idleTimeout <= 0 {
		idleTimeout = DefaultIdleConnTimeout
	}
	inner, err := store.OpenConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqld: open remote database: %w", err)
	}
	db := sql.OpenDB(&connector{inner: inner, pragmas: pragmas, timeout: callTimeout})
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(idleTimeout)
	db.SetConnMaxLifetime(0)
	return db, nil
}

// OpenRemoteSession is OpenRemote for a session whose state lives in its
// server stream: a transaction begun with a BEGIN statement, pragmas the
// caller set (the SQL console's query_only). Its one connection is never
// re-made behind the caller's back: a stream the server expired or lost
// fails the call, where OpenRemote would run it again on a new stream
// without that state. Every call is bounded by callTimeout.
func OpenRemoteSession(dsn string, callTimeout time.Duration) (*sql.DB, error) {
	if callTimeout <= 0 {
		callTimeout = DefaultCallTimeout
	}
	inner, err := store.OpenConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqld: open remote database: %w", err)
	}
	db := sql.OpenDB(&connector{inner: inner, timeout: callTimeout, keepStream: true})
	db.SetMaxOpenConns(1)
	return db, nil
}

// ReplayFile copies the local SQLite file at path into dst, a handle on an
// empty remote database (from OpenRemote), in one transaction, as Adopt
// does into a namespace (see replay).
func ReplayFile(ctx context.Context, path string, dst *sql.DB) error {
	src, err := openLocalReadOnly(path)
	if err != nil {
		return err
	}
	defer src.Close()
	return copyInto(ctx, src, dst)
}

// copyInto copies src's database into dst in one transaction of dst.
func copyInto(ctx context.Context, src querier, dst *sql.DB) error {
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := copyDatabase(ctx, src, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// SnapshotFile writes a consistent copy of the remote database behind db
// into the empty local file at path, as Snapshot does for a namespace. The
// caller checks that path is one of its staged files.
func SnapshotFile(ctx context.Context, db *sql.DB, path string) error {
	src, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer src.Rollback() // it only read
	dst, err := openLocalWritable(path)
	if err != nil {
		return err
	}
	defer dst.Close()
	if err := copyInto(ctx, src, dst); err != nil {
		return fmt.Errorf("snapshot: write %s: %w", path, err)
	}
	return dst.Close()
}

// OpenRemoteFunc is OpenRemote for a database whose DSN changes over time
// (it carries a token that is renewed): dsn is asked for each new
// connection, and a DSN that changed opens a new native database for the
// connections from then on; the old one is closed once its last
// connection is. Connections are short-lived (idleTimeout), so a renewed
// token is in use within idleTimeout of a request that needs one.
func OpenRemoteFunc(ctx context.Context, dsn func(context.Context) (string, error), callTimeout, idleTimeout time.Duration, pragmas ...string) (*sql.DB, error) {
	if callTimeout <= 0 {
		callTimeout = DefaultCallTimeout
	}
	if idleTimeout <= 0 {
		idleTimeout = DefaultIdleConnTimeout
	}
	first, err := dsn(ctx)
	if err != nil {
		return nil, err
	}
	r := &renewingConnector{dsn: dsn, pragmas: pragmas, timeout: callTimeout}
	if err := r.renew(first); err != nil {
		return nil, err
	}
	db := sql.OpenDB(r)
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(idleTimeout)
	db.SetConnMaxLifetime(0)
	return db, nil
}

// renewingConnector makes connections through the connector of the
// current DSN (a generation), opening a new one when the DSN changes.
type renewingConnector struct {
	dsn     func(context.Context) (string, error)
	pragmas []string
	timeout time.Duration

	mu     sync.Mutex
	cur    *generation
	closed bool
}

// generation is the connector of one DSN and its open connections.
type generation struct {
	dsn     string
	c       *connector
	conns   int
	retired bool // no new connections: closed when conns is 0
}

// renew makes a connector for dsn the current one, unless it already is,
// and retires the previous one. r.mu must not be held.
func (r *renewingConnector) renew(dsn string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur != nil && r.cur.dsn == dsn {
		return nil
	}
	inner, err := store.OpenConnector(dsn)
	if err != nil {
		return fmt.Errorf("sqld: open remote database: %w", err)
	}
	old := r.cur
	r.cur = &generation{dsn: dsn, c: &connector{inner: inner, pragmas: r.pragmas, timeout: r.timeout}}
	if old != nil {
		old.retired = true
		if old.conns == 0 {
			_ = old.c.Close()
		}
	}
	return nil
}

// Connect asks for the current DSN and makes a connection with it.
func (r *renewingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dsn, err := r.dsn(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.renew(dsn); err != nil {
		return nil, err
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, errors.New("sqld: database is closed")
	}
	g := r.cur
	g.conns++
	r.mu.Unlock()
	cn, err := g.c.Connect(ctx)
	if err != nil {
		r.release(g)
		return nil, err
	}
	return &generationConn{conn: cn.(*conn), r: r, g: g}, nil
}

// release notes that a connection of g is closed, and closes g's
// connector if it is retired and this was its last connection.
func (r *renewingConnector) release(g *generation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	g.conns--
	if g.retired && g.conns == 0 {
		_ = g.c.Close()
	}
}

// Driver returns go-libsql's driver.
func (r *renewingConnector) Driver() driver.Driver {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur.c.Driver()
}

// Close retires the current connector (closed once its connections are).
func (r *renewingConnector) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	if g := r.cur; g != nil && !g.retired {
		g.retired = true
		if g.conns == 0 {
			return g.c.Close()
		}
	}
	return nil
}

// generationConn is a connection of one generation; it tells the
// generation when it closes.
type generationConn struct {
	*conn
	r    *renewingConnector
	g    *generation
	once sync.Once
}

// Close closes the connection and releases its generation.
func (c *generationConn) Close() error {
	err := c.conn.Close()
	c.once.Do(func() { c.r.release(c.g) })
	return err
}

// Guard returns a connector that makes its connections from inner (any
// go-libsql connector: remote, or an embedded replica whose writes go to a
// remote primary) with this package's guards: every call bounded by
// callTimeout (DefaultCallTimeout when zero), an expired stream replaced
// once, results read to their end. EUNAVAILABLE errors carry message,
// which names the database for the person who will read it. Closing the
// returned connector closes inner.
func Guard(inner driver.Connector, callTimeout time.Duration, message string) driver.Connector {
	if callTimeout <= 0 {
		callTimeout = DefaultCallTimeout
	}
	return &connector{inner: inner, timeout: callTimeout, unavailable: message}
}
