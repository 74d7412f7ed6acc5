package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	libsql "github.com/tursodatabase/go-libsql"

	"todos/app"
)

// The control plane on a remote primary (a libSQL server namespace or a
// Turso database), shared by several servers.
//
// A server keeps DATA/control.db as an embedded replica of the primary:
// reads are local (tens of microseconds, and they keep working while the
// primary is down), writes are sent to the primary, and each write waits
// until the replica holds it (go-libsql's read-your-writes), so a server
// sees its own changes at once. The replica pulls other servers' changes
// on every SyncReplica (WatchReplica runs it on an interval).
//
// Other commands (the CLI) talk to the primary directly: a replica file
// may be opened by one process only, and the server holds it.
//
// Constraints hold on the primary, where every write runs, but a read
// made before a write in one transaction is served by the replica and
// may be up to one sync old. The control plane's transactions rely on
// constraints (unique names, conditional updates), never on such a read.

// Replica places the control plane on a remote primary (see WithReplica).
type Replica struct {
	// URL is the primary's libSQL URL (http://, https:// or libsql://).
	URL string
	// AuthToken is sent with every request to it (empty: none).
	AuthToken string
	// Direct skips the local replica: every query goes to the primary.
	Direct bool
	// Guard wraps a go-libsql connector so that every call has a deadline
	// (go-libsql has none) and errors name the control plane.
	Guard func(driver.Connector) driver.Connector
}

// WithReplica makes the control plane r's primary: OpenControl migrates the
// primary and keeps the file it is given as an embedded replica of it (or,
// with r.Direct, no file at all).
func WithReplica(r Replica) ControlOption {
	return func(c *Control) { c.replica = &replicaState{cfg: r} }
}

// replicaState is a replica control plane's connection and sync counters.
type replicaState struct {
	cfg       Replica
	conn      *libsql.Connector // the embedded replica; nil when Direct
	mu        sync.Mutex        // guards closed and the start of syncs
	closed    bool              // Close has begun: no more syncs
	inflight  sync.WaitGroup    // running syncs: the replica is closed after them
	syncing   atomic.Bool       // a sync runs (a stuck one blocks the next)
	syncs     atomic.Int64      // successful syncs
	failures  atomic.Int64      // failed or timed-out syncs
	lastOK    atomic.Int64      // unix nanoseconds of the last successful sync
	lastFrame atomic.Int64      // the replica's frame number after it
}

// replicaOpenTimeout bounds opening the replica (a first open copies the
// whole primary) and migrating the primary.
const replicaOpenTimeout = 2 * time.Minute

// replicaSyncTimeout bounds one sync: go-libsql waits forever on a primary
// that stops answering.
const replicaSyncTimeout = 15 * time.Second

// errNotReplica is returned when the control file is a local control plane.
var errNotReplica = errors.New("not a replica")

// ControlUnavailable is the message of a control-plane call that could not
// reach a remote primary (for Replica.Guard).
const ControlUnavailable = "The shared control database is not answering, so this change was not saved. Please try again in a moment."

// openReplicaControl opens the control plane of c.replica: migrates the
// primary, then opens the replica at abs (unless Direct).
func openReplicaControl(c *Control, abs string, ms []Migration) error {
	r := c.replica.cfg
	if r.Guard == nil {
		return errors.New("store: a replica control plane needs a Guard")
	}
	primary, err := openPrimary(r)
	if err != nil {
		return err
	}
	if err := migratePrimary(primary, ms); err != nil {
		_ = primary.Close()
		return err
	}
	if r.Direct {
		c.db, c.read = primary, primary
		return nil
	}
	_ = primary.Close()
	if err := checkReplicaFile(abs); err != nil {
		return err
	}
	opts := []libsql.Option{libsql.WithReadYourWrites(true)}
	if r.AuthToken != "" {
		opts = append(opts, libsql.WithAuthToken(r.AuthToken))
	}
	conn, err := bounded(replicaOpenTimeout, func() (*libsql.Connector, error) {
		return libsql.NewEmbeddedReplicaConnector(abs, r.URL, opts...)
	})
	if err != nil {
		return app.WrapError(app.EUNAVAILABLE, "The shared control database could not be reached to start its local replica.",
			fmt.Errorf("open embedded replica of %s: %w", redactURL(r.URL), err))
	}
	tightenReplicaFiles(abs)
	c.replica.conn = conn
	c.db = oneConnection(r.Guard(conn))
	read := sql.OpenDB(keepOpen{conn})
	read.SetMaxOpenConns(controlReaders)
	read.SetMaxIdleConns(controlReaders)
	c.read = read
	// The replica must hold the migrated schema before anything reads it.
	if err := c.SyncReplica(context.Background()); err != nil {
		_ = c.read.Close()
		// A sync given up at its deadline may still run: close after it.
		_ = c.replica.closeAfterSyncs(c.db.Close)
		return err
	}
	return nil
}

// openPrimary returns a one-connection guarded handle on r's primary.
func openPrimary(r Replica) (*sql.DB, error) {
	dsn := r.URL
	if r.AuthToken != "" {
		u, err := url.Parse(r.URL)
		if err != nil {
			return nil, fmt.Errorf("control URL: %w", err)
		}
		q := u.Query()
		q.Set("authToken", r.AuthToken)
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	inner, err := OpenConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("open control primary %s: %w", redactURL(r.URL), err)
	}
	db := oneConnection(r.Guard(inner))
	// A remote stream idle for ~10 s is expired by the server.
	db.SetConnMaxIdleTime(4 * time.Second)
	return db, nil
}

// migratePrimary migrates the primary. Two servers starting together may
// both try: the second one's statements then fail on the tables the first
// created, and its next attempt finds the schema current.
func migratePrimary(db *sql.DB, ms []Migration) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Second)
		}
		ctx, cancel := context.WithTimeout(context.Background(), replicaOpenTimeout)
		_, _, err = Migrate(ctx, db, ms)
		cancel()
		if err == nil || app.ErrorCode(err) == app.ECONFLICT {
			return err
		}
	}
	return err
}

// checkReplicaFile refuses a control file that is a local control plane:
// go-libsql would fail to open it as a replica, and its tenants are not
// on the primary.
func checkReplicaFile(abs string) error {
	st, err := os.Stat(abs)
	if errors.Is(err, fs.ErrNotExist) || err == nil && st.Size() == 0 {
		_ = os.Remove(abs)
		return nil
	} else if err != nil {
		return err
	}
	if _, err := os.Stat(abs + replicaIndexSuffix); err == nil {
		return nil
	}
	return app.WrapError(app.ECONFLICT, fmt.Sprintf(
		"%s is a local control database, not a replica of the shared one: move it (and its -wal file) away to start with the shared control plane, or start without --control-url.", abs), errNotReplica)
}

// replicaIndexSuffix names the file go-libsql keeps next to a replica.
const replicaIndexSuffix = "-client_wal_index"

// IsReplicaFile reports whether the control file at path is an embedded
// replica of a remote control plane.
func IsReplicaFile(path string) bool {
	_, err := os.Stat(path + replicaIndexSuffix)
	return err == nil
}

// tightenReplicaFiles gives the replica's files mode 0600: go-libsql
// creates them 0644 (the data directory, 0700, already keeps others out).
func tightenReplicaFiles(abs string) {
	for _, suffix := range []string{"", replicaIndexSuffix, "-wal", "-shm"} {
		_ = os.Chmod(abs+suffix, PrivateFileMode)
	}
}

// SyncReplica pulls the primary's new changes into the replica, within
// replicaSyncTimeout. A sync still running (on a primary that stopped
// answering) makes later calls fail at once instead of piling up. Without
// a replica it does nothing.
func (c *Control) SyncReplica(ctx context.Context) error {
	rs := c.replica
	if rs == nil || rs.conn == nil {
		return nil
	}
	if !rs.syncing.CompareAndSwap(false, true) {
		rs.failures.Add(1)
		return app.Errorf(app.EUNAVAILABLE, "The shared control database has not answered the previous sync yet.")
	}
	rs.mu.Lock()
	if rs.closed {
		rs.mu.Unlock()
		rs.syncing.Store(false)
		return app.Errorf(app.EUNAVAILABLE, "The control database is closed.")
	}
	rs.inflight.Add(1)
	rs.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		defer rs.inflight.Done()
		defer rs.syncing.Store(false)
		rep, err := rs.conn.Sync()
		if err == nil {
			rs.lastFrame.Store(int64(rep.FrameNo))
		}
		done <- err
	}()
	timer := time.NewTimer(replicaSyncTimeout)
	defer timer.Stop()
	var err error
	select {
	case err = <-done:
	case <-timer.C:
		err = fmt.Errorf("no answer within %s", replicaSyncTimeout)
	case <-ctx.Done():
		err = context.Cause(ctx)
	}
	if err != nil {
		rs.failures.Add(1)
		return app.WrapError(app.EUNAVAILABLE, "The shared control database could not be synced; this server serves its last copy.", err)
	}
	rs.syncs.Add(1)
	rs.lastOK.Store(time.Now().UnixNano())
	return nil
}

// WatchReplica syncs the replica every interval until ctx ends, so that
// other servers' changes (new tenants, suspensions) reach this one within
// about interval. Every sync's result goes to report (nil after a
// success; report may be nil); after a failure the replica keeps serving
// reads and the next tick retries.
func (c *Control) WatchReplica(ctx context.Context, interval time.Duration, report func(error)) {
	if c.replica == nil || c.replica.conn == nil {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := c.SyncReplica(ctx)
		if ctx.Err() == nil && report != nil {
			report(err)
		}
	}
}

// closeAfterSyncs stops new syncs and runs closeFn once the running one,
// if any, has returned: closing the native database under a sync crashes
// the process. A sync stuck on a primary that stopped answering is waited
// for replicaSyncTimeout; then closeFn runs in the background when it
// returns, and closeAfterSyncs returns nil.
func (rs *replicaState) closeAfterSyncs(closeFn func() error) error {
	rs.mu.Lock()
	rs.closed = true
	rs.mu.Unlock()
	done := make(chan struct{})
	go func() {
		rs.inflight.Wait()
		close(done)
	}()
	timer := time.NewTimer(replicaSyncTimeout)
	defer timer.Stop()
	select {
	case <-done:
		return closeFn()
	case <-timer.C:
		go func() {
			<-done
			_ = closeFn()
		}()
		return nil
	}
}

// ReplicaStats describes a replica control plane's syncs.
type ReplicaStats struct {
	Replica  bool      // the control plane is an embedded replica
	Syncs    int64     // successful syncs since start
	Failures int64     // failed syncs since start
	LastSync time.Time // the last successful one (zero: none)
	Frame    int64     // the replica's frame number after it
}

// ReplicaStats returns the replica's sync counters (Replica false when the
// control plane is a local file or reached directly).
func (c *Control) ReplicaStats() ReplicaStats {
	rs := c.replica
	if rs == nil || rs.conn == nil {
		return ReplicaStats{}
	}
	s := ReplicaStats{Replica: true, Syncs: rs.syncs.Load(), Failures: rs.failures.Load(), Frame: rs.lastFrame.Load()}
	if ns := rs.lastOK.Load(); ns != 0 {
		s.LastSync = time.Unix(0, ns)
	}
	return s
}

// IsRemote reports whether the control plane lives on a remote primary
// (as a replica or reached directly) rather than in a local file.
func (c *Control) IsRemote() bool { return c.replica != nil }

// keepOpen is a connector whose Close does nothing: the read handle shares
// the replica's native database with the writer, which closes it.
type keepOpen struct{ driver.Connector }

// Close does nothing.
func (keepOpen) Close() error { return nil }

// bounded runs f and waits for it at most d. When d passes first, f goes on
// in the background and what it returns later is closed if it can be.
func bounded[T any](d time.Duration, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-timer.C:
		go func() {
			r := <-done
			if cl, ok := any(r.v).(interface{ Close() error }); ok && r.err == nil {
				_ = cl.Close()
			}
		}()
		var zero T
		return zero, fmt.Errorf("no answer within %s", d)
	}
}

// redactURL returns u without its query string and user information, where
// tokens may be.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(invalid URL)"
	}
	p.RawQuery, p.User = "", nil
	return p.String()
}
