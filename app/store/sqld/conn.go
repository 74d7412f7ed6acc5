package sqld

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"todos/app"
)

// connector makes connections to one namespace through go-libsql's remote
// connector: one shared native database (inner), or, with auth, one native
// database per connection made by dial, because go-libsql binds a token to
// a native database and each connection gets a fresh token. Each
// connection runs pragmas when it is made, bounds every call by timeout and
// replaces its stream once when the server has expired it, briefly lost
// the namespace or refused its token (see conn.call).
type connector struct {
	inner   driver.Connector                 // nil when dial is set
	dial    func() (driver.Connector, error) // a native database with a fresh token
	drv     driver.Driver                    // go-libsql's driver, when inner is nil
	pragmas []string
	timeout time.Duration
	// keepStream: a call is never re-run on a new stream (OpenRemoteSession).
	keepStream bool
	// unavailable, when set, replaces the message of EUNAVAILABLE errors
	// (which speak of a list's database) for databases that are not a
	// list's, such as the control plane (see Guard).
	unavailable string
	// native counts calls into the native library still running, and
	// connection closes waiting for them: the native database is closed
	// only when it is back to zero.
	native    sync.WaitGroup
	abandoned atomic.Int64 // calls given up at their deadline, ever
}

// Connect makes a new connection and runs the pragmas on it.
func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	cn := &conn{c: c}
	if err := cn.connect(ctx); err != nil {
		_ = cn.Close()
		return nil, c.translate(err)
	}
	return cn, nil
}

// Driver returns go-libsql's driver.
func (c *connector) Driver() driver.Driver {
	if c.inner == nil {
		return c.drv
	}
	return c.inner.Driver()
}

// Close closes the native database once no native call runs on it. A call
// given up at its deadline may still run (on a server that stopped
// answering): the database is then closed in the background when it ends,
// because closing it under a running call would crash the process.
func (c *connector) Close() error {
	closeInner := func() error {
		if cl, ok := c.inner.(io.Closer); ok {
			return cl.Close()
		}
		return nil
	}
	if c.abandoned.Load() == 0 {
		c.native.Wait() // only calls that are about to return
		return closeInner()
	}
	go func() {
		c.native.Wait()
		_ = closeInner()
	}()
	return nil
}

// conn is one connection (one sqld stream) used by one goroutine at a time,
// as database/sql does.
type conn struct {
	c      *connector
	inner  driver.Conn      // nil until connect succeeds
	native driver.Connector // the connection's own native database (c.dial), or nil
	inTx   bool
	broken bool // a call was given up: database/sql must discard conn
	calls  sync.WaitGroup
}

// The interfaces database/sql uses. conn does not implement
// driver.NamedValueChecker, like go-libsql's connection, so arguments are
// converted the same way.
var (
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
)

// connect replaces the native connection with a new one and runs the
// pragmas on it.
func (cn *conn) connect(ctx context.Context) error {
	cn.closeInner()
	var native driver.Connector // owned by this connection, or nil
	var inner driver.Conn
	err := cn.bounded(ctx, func(driver.Conn) error {
		from := cn.c.inner
		if cn.c.dial != nil {
			var err error
			if native, err = cn.c.dial(); err != nil {
				return err
			}
			from = native
		}
		var err error
		inner, err = from.Connect(ctx)
		return err
	}, func() {
		if inner != nil {
			_ = inner.Close()
		}
		closeNative(native)
	})
	if err != nil {
		if !cn.broken { // else abandon frees them
			if inner != nil {
				_ = inner.Close()
			}
			closeNative(native)
		}
		return err
	}
	cn.inner, cn.native = inner, native
	for _, p := range cn.c.pragmas {
		err := cn.bounded(ctx, func(inner driver.Conn) error {
			// As a query: sqld applies a refused "PRAGMA name=value" sent
			// as a query, not one sent as an execute.
			rows, err := inner.(driver.QueryerContext).QueryContext(ctx, p, nil)
			if err != nil {
				return err
			}
			dest := make([]driver.Value, len(rows.Columns()))
			for rows.Next(dest) == nil {
			}
			return rows.Close()
		}, nil)
		if err != nil && isUnsupportedStatement(err) {
			// sqld refuses to run "PRAGMA name=value" but SQLite has
			// applied it while compiling it: read it back.
			err = cn.checkPragma(ctx, p)
		}
		if err != nil && strings.Contains(err.Error(), "Operation was blocked") {
			// A namespace whose writes are blocked (a region move copies
			// it) refuses pragmas, even reading them; no write can happen
			// on it, and the move reads plain tables.
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

// checkPragma reads back the setting that p ("PRAGMA name=value", value
// a number, ON or OFF) sets on this stream and fails unless it holds.
func (cn *conn) checkPragma(ctx context.Context, p string) error {
	name, value, ok := strings.Cut(strings.TrimPrefix(p, "PRAGMA "), "=")
	if !ok {
		return fmt.Errorf("sqld: cannot check %q", p)
	}
	want := map[string]string{"ON": "1", "OFF": "0"}[strings.ToUpper(strings.TrimSpace(value))]
	if want == "" {
		want = strings.TrimSpace(value)
	}
	var got string
	err := cn.bounded(ctx, func(inner driver.Conn) error {
		rows, err := inner.(driver.QueryerContext).QueryContext(ctx, "PRAGMA "+strings.TrimSpace(name), nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]driver.Value, len(rows.Columns()))
		if err := rows.Next(dest); err != nil {
			return err
		}
		got = fmt.Sprint(dest[0])
		for rows.Next(dest) == nil { // read to the end (see rows.go)
		}
		return nil
	}, nil)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("sqld: %s did not take effect (it reads %s)", p, got)
	}
	return nil
}

// isUnsupportedStatement reports whether err is sqld's answer to a
// statement it will not run ("PRAGMA name=value").
func isUnsupportedStatement(err error) bool {
	return err != nil && strings.Contains(err.Error(), "unsupported statement")
}

// closeInner closes the native connection, at once or, when a call given
// up on it still runs, once that call ends.
func (cn *conn) closeInner() {
	inner, native := cn.inner, cn.native
	cn.inner, cn.native = nil, nil
	if inner == nil {
		return
	}
	cn.c.native.Add(1)
	closeIt := func() {
		defer cn.c.native.Done()
		cn.calls.Wait()
		_ = inner.Close()
		closeNative(native)
	}
	if cn.broken {
		go closeIt()
		return
	}
	closeIt()
}

// bounded runs f, a native call on the current native connection (nil
// while connecting), and waits for it until timeout or ctx's deadline,
// whichever comes first. When it gives up, conn is broken (the
// call may still be running on it), the error is EUNAVAILABLE, and
// abandon, when not nil, runs after f returns to free what f made.
func (cn *conn) bounded(ctx context.Context, f func(driver.Conn) error, abandon func()) error {
	if cn.broken {
		return driver.ErrBadConn
	}
	inner := cn.inner
	timeout := cn.c.timeout
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout = time.Until(dl)
	}
	done := make(chan error, 1)
	cn.calls.Add(1)
	cn.c.native.Add(1)
	go func() {
		defer cn.c.native.Done()
		defer cn.calls.Done()
		done <- f(inner)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var why error
	select {
	case err := <-done:
		return err
	case <-timer.C:
		why = fmt.Errorf("sqld: no answer within %s", timeout)
	case <-ctx.Done():
		why = fmt.Errorf("sqld: call abandoned: %w", context.Cause(ctx))
	}
	cn.broken = true
	cn.c.abandoned.Add(1)
	cn.c.native.Add(1) // what abandon frees needs the native database open
	cn.calls.Add(1)    // and so does the connection's own one (closeInner)
	go func() {
		defer cn.c.native.Done()
		defer cn.calls.Done()
		<-done
		if abandon != nil {
			abandon()
		}
	}()
	return unavailable(why)
}

// call runs f on the native connection through bounded. Outside a
// transaction, an answer that the stream expired (sqld drops a stream idle
// for ~10 s, and forgets every stream when it restarts) or that the namespace does not exist (sqld says so for a
// moment while it loads an evicted namespace) means the statement did not
// run: f is run once more on a new connection. Errors are then translated
// into app errors where they have a meaning for the user.
func (cn *conn) call(ctx context.Context, f func(driver.Conn) error, abandon func()) error {
	if cn.inner == nil {
		return driver.ErrBadConn
	}
	err := cn.bounded(ctx, f, abandon)
	if err != nil && !cn.inTx && !cn.c.keepStream && (isStreamExpired(err) || isNoNamespace(err) || isTokenRefused(err)) {
		if cerr := cn.connect(ctx); cerr != nil {
			return cn.c.translate(cerr)
		}
		err = cn.bounded(ctx, f, abandon)
	}
	return cn.c.translate(err)
}

// ExecContext runs one statement.
func (cn *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	var res driver.Result
	err := cn.call(ctx, func(inner driver.Conn) error {
		var err error
		res, err = inner.(driver.ExecerContext).ExecContext(ctx, query, args)
		return err
	}, nil)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// QueryContext runs one query; its result is read to the end before it
// is closed (see rows). A WAL checkpoint asked of the server (the
// pool asks one before it closes a database) is answered as SQLite answers
// on a database not in WAL mode, (0, -1, -1): the server owns its log, and
// a client has none to checkpoint.
func (cn *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if isCheckpoint(query) {
		return &staticRows{columns: []string{"busy", "log", "checkpointed"}, row: []driver.Value{int64(0), int64(-1), int64(-1)}}, nil
	}
	var inner driver.Rows
	err := cn.call(ctx, func(c driver.Conn) error {
		var err error
		inner, err = c.(driver.QueryerContext).QueryContext(ctx, query, args)
		return err
	}, func() {
		if inner != nil {
			_ = inner.Close()
		}
	})
	if err != nil {
		return nil, err
	}
	return &rows{cn: cn, inner: inner}, nil
}

// PrepareContext checks that query is one statement and returns a
// statement that runs it on cn (go-libsql prepares nothing on the server;
// a statement kept across a reconnection would point at a closed native
// connection).
func (cn *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if !cn.IsValid() {
		return nil, driver.ErrBadConn
	}
	s, err := cn.inner.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	_ = s.Close()
	return &stmt{cn: cn, query: query}, nil
}

// Prepare is PrepareContext without a context.
func (cn *conn) Prepare(query string) (driver.Stmt, error) {
	return cn.PrepareContext(context.Background(), query)
}

// BeginTx starts a transaction (go-libsql supports only the default
// options).
func (cn *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	var tx driver.Tx
	err := cn.call(ctx, func(inner driver.Conn) error {
		var err error
		tx, err = inner.(driver.ConnBeginTx).BeginTx(ctx, opts)
		return err
	}, nil)
	if err != nil {
		return nil, err
	}
	cn.inTx = true
	return &connTx{cn: cn, inner: tx}, nil
}

// Begin is BeginTx with default options.
func (cn *conn) Begin() (driver.Tx, error) {
	return cn.BeginTx(context.Background(), driver.TxOptions{})
}

// Close closes the native connection (see closeInner).
func (cn *conn) Close() error {
	cn.closeInner()
	return nil
}

// IsValid reports whether database/sql may use cn again.
func (cn *conn) IsValid() bool { return !cn.broken && cn.inner != nil }

// ResetSession refuses a broken connection before its reuse.
func (cn *conn) ResetSession(context.Context) error {
	if !cn.IsValid() {
		return driver.ErrBadConn
	}
	return nil
}

// connTx is a transaction on cn; its end is bounded like every call.
type connTx struct {
	cn    *conn
	inner driver.Tx
}

// Commit commits the transaction. If the server does not answer in time,
// the error is EUNAVAILABLE and the outcome is unknown.
func (t *connTx) Commit() error {
	defer func() { t.cn.inTx = false }()
	return t.cn.call(context.Background(), func(driver.Conn) error { return t.inner.Commit() }, nil)
}

// Rollback rolls the transaction back.
func (t *connTx) Rollback() error {
	defer func() { t.cn.inTx = false }()
	return t.cn.call(context.Background(), func(driver.Conn) error { return t.inner.Rollback() }, nil)
}

// stmt is a statement that runs its query on cn at each execution.
type stmt struct {
	cn    *conn
	query string
}

// Close does nothing: nothing was prepared on the server.
func (s *stmt) Close() error { return nil }

// NumInput returns -1: database/sql does not check the argument count.
func (s *stmt) NumInput() int { return -1 }

// Exec runs the statement.
func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

// Query runs the query.
func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

// ExecContext runs the statement.
func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.cn.ExecContext(ctx, s.query, args)
}

// QueryContext runs the query.
func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.cn.QueryContext(ctx, s.query, args)
}

// named numbers positional arguments.
func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

// staticRows is a result of one row made here.
type staticRows struct {
	columns []string
	row     []driver.Value
	done    bool
}

// Columns returns the column names.
func (r *staticRows) Columns() []string { return r.columns }

// Close does nothing.
func (r *staticRows) Close() error { return nil }

// Next returns the row once, then io.EOF.
func (r *staticRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	copy(dest, r.row)
	return nil
}

// isCheckpoint reports whether query asks for a WAL checkpoint.
func isCheckpoint(query string) bool {
	q := strings.ToLower(strings.Join(strings.Fields(query), ""))
	return strings.HasPrefix(q, "pragmawal_checkpoint")
}

// isStreamExpired reports whether err says the server no longer has the
// connection's stream: it expired it (idle ~10 s), or it restarted since
// and does not know the stream's baton. The statement did not run.
func isStreamExpired(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "STREAM_EXPIRED") || strings.Contains(s, "invalid baton")
}

// isTokenRefused reports whether err is the server's 401: it refused the
// connection's token (expired, or not signed by its key) or got none. The
// statement did not run.
func isTokenRefused(err error) bool {
	return err != nil && strings.Contains(err.Error(), "status=401")
}

// closeNative closes a connection's own native database, if any.
func closeNative(native driver.Connector) {
	if cl, ok := native.(io.Closer); ok {
		_ = cl.Close()
	}
}

// isNoNamespace reports whether err is the server's 404 for a namespace
// it does not have.
func isNoNamespace(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "status=404") && strings.Contains(s, "doesn't exist")
}

// translate is the package's translate with c's own message for
// EUNAVAILABLE, if it has one.
func (c *connector) translate(err error) error {
	err = translate(err)
	if c.unavailable != "" && app.ErrorCode(err) == app.EUNAVAILABLE {
		return app.WrapError(app.EUNAVAILABLE, c.unavailable, err)
	}
	return err
}

// translate turns driver errors that mean something to a user into app
// errors, keeping the cause; other errors are returned unchanged.
func translate(err error) error {
	var ae *app.Error
	if err == nil || errors.Is(err, driver.ErrBadConn) || errors.As(err, &ae) {
		return err
	}
	s := err.Error()
	switch {
	case isNoNamespace(err):
		return app.WrapError(app.ENOTFOUND, "This list's database is missing.", err)
	case isTokenRefused(err):
		// A key that does not match the server's, or a clock far off.
		return app.WrapError(app.EUNAVAILABLE, "This list's database server refused our credentials. Please try again later.", err)
	case strings.Contains(s, movingReason):
		return app.WrapError(app.EUNAVAILABLE, "This list is being moved to another region. Please try again in a moment.", err)
	case strings.Contains(s, "Operation was blocked"):
		return app.WrapError(app.EINVALID, "This list's database is blocked on its server (in the trash). Restore it first.", err)
	case strings.Contains(s, "error sending request") || strings.Contains(s, "Connection refused") ||
		strings.Contains(s, "error trying to connect") || strings.Contains(s, "status=5") ||
		strings.Contains(s, "status=429"):
		return unavailable(err)
	}
	return err
}
