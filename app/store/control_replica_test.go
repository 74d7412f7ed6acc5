package store_test

import (
	"bytes"
	"context"
	"database/sql/driver"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"todos/app"
	"todos/app/internal/sqldtest"
	"todos/app/store"
	"todos/app/store/sqld"
)

// cheapPasswords keeps admin creation fast in tests.
var cheapPasswords = store.WithPasswordParams(app.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1})

// openReplica opens a control plane in a new data directory as an embedded
// replica (or, direct, a connection) of the namespace "control" on srv.
func openReplica(t *testing.T, srv *sqldtest.Server, direct bool) (*store.Control, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "control.db")
	c, err := store.OpenControl(path, cheapPasswords, store.WithReplica(replicaOf(srv, direct)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, path
}

func replicaOf(srv *sqldtest.Server, direct bool) store.Replica {
	return store.Replica{URL: srv.NamespaceURL("control"), Direct: direct,
		Guard: func(inner driver.Connector) driver.Connector {
			return sqld.Guard(inner, 0, store.ControlUnavailable)
		}}
}

// TestControlReplicasShareOnePrimary: two servers' replicas of one primary
// see their own writes at once and each other's after a sync, share one
// secret, and the CLI's direct connection sees both.
func TestControlReplicasShareOnePrimary(t *testing.T) {
	srv := sqldtest.Start(t)
	srv.CreateNamespace("control")
	ctx := context.Background()
	a, pathA := openReplica(t, srv, false)
	b, _ := openReplica(t, srv, false)

	if _, err := a.CreateAdmin(ctx, "one@example.com", "a long enough password"); err != nil {
		t.Fatal(err)
	}
	// Read your writes: at once, from the local replica.
	if _, err := a.AdminByEmail(ctx, "one@example.com"); err != nil {
		t.Fatalf("the writer does not see its own write: %v", err)
	}
	if err := b.SyncReplica(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AdminByEmail(ctx, "one@example.com"); err != nil {
		t.Fatalf("the other server does not see the write after a sync: %v", err)
	}
	if st := b.ReplicaStats(); !st.Replica || st.Syncs == 0 || st.Failures != 0 || st.LastSync.IsZero() {
		t.Errorf("stats after a sync: %+v", st)
	}

	sa, err := a.SharedSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := b.SharedSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sa) != 32 || !bytes.Equal(sa, sb) {
		t.Fatalf("the servers' secrets differ (%d bytes): forms made by one would be refused by the other", len(sa))
	}

	cli, _ := openReplica(t, srv, true)
	if n, err := cli.CountAdmins(ctx); err != nil || n != 1 {
		t.Fatalf("direct connection: %d admins, %v", n, err)
	}
	if cli.ReplicaStats().Replica {
		t.Error("a direct connection reports a replica")
	}

	// The replica's files are private.
	for _, suffix := range []string{"", "-client_wal_index"} {
		st, err := os.Stat(pathA + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(pathA+suffix), st.Mode().Perm())
		}
	}
}

// TestControlReplicaWithPrimaryDown: with the primary stopped, reads keep
// working from the replica, writes fail with a message that says so and
// nothing is half-written, syncs fail and are counted; once the primary is
// back, both work again without reopening.
func TestControlReplicaWithPrimaryDown(t *testing.T) {
	srv := sqldtest.Start(t)
	srv.CreateNamespace("control")
	ctx := context.Background()
	a, _ := openReplica(t, srv, false)
	if _, err := a.CreateAdmin(ctx, "one@example.com", "a long enough password"); err != nil {
		t.Fatal(err)
	}

	srv.Stop()
	if n, err := a.CountAdmins(ctx); err != nil || n != 1 {
		t.Fatalf("read with the primary down: %d, %v", n, err)
	}
	_, err := a.CreateAdmin(ctx, "two@example.com", "a long enough password")
	if app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "shared control database is not answering") {
		t.Fatalf("write with the primary down: code %s, message %q (%v)", app.ErrorCode(err), app.ErrorMessage(err), err)
	}
	if err := a.SyncReplica(ctx); app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Fatalf("sync with the primary down: %v", err)
	}
	if st := a.ReplicaStats(); st.Failures == 0 {
		t.Errorf("a failed sync was not counted: %+v", st)
	}

	srv.Restart()
	if _, err := a.CreateAdmin(ctx, "two@example.com", "a long enough password"); err != nil {
		t.Fatalf("write after the primary came back: %v", err)
	}
	if n, err := a.CountAdmins(ctx); err != nil || n != 2 {
		t.Fatalf("after the primary came back: %d admins, %v", n, err)
	}
	if err := a.SyncReplica(ctx); err != nil {
		t.Fatalf("sync after the primary came back: %v", err)
	}
}

// TestControlReplicaRefusesTheWrongFile: a local control database is not
// silently replaced by (or opened as) a replica, and a replica is not
// opened as a local control plane, which would fork it from the primary.
func TestControlReplicaRefusesTheWrongFile(t *testing.T) {
	srv := sqldtest.Start(t)
	srv.CreateNamespace("control")
	dir := t.TempDir()
	path := filepath.Join(dir, "control.db")
	local, err := store.OpenControl(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := local.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = store.OpenControl(path, store.WithReplica(replicaOf(srv, false)))
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "is a local control database") {
		t.Fatalf("a local control.db opened as a replica: %v", err)
	}

	a, rpath := openReplica(t, srv, false)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = store.OpenControl(rpath)
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "--control-url") {
		t.Fatalf("a replica opened as a local control plane: %v", err)
	}
	// Reopened as a replica, it carries on.
	again, err := store.OpenControl(rpath, store.WithReplica(replicaOf(srv, false)))
	if err != nil {
		t.Fatal(err)
	}
	_ = again.Close()
}

// TestControlReplicaClosedDuringSync: closing the control plane while a
// sync waits for a primary that is down does not free the replica under
// the sync (which aborted the process), and later syncs are refused.
func TestControlReplicaClosedDuringSync(t *testing.T) {
	srv := sqldtest.Start(t)
	srv.CreateNamespace("control")
	path := filepath.Join(t.TempDir(), "control.db")
	c, err := store.OpenControl(path, store.WithReplica(replicaOf(srv, false)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	synced := make(chan error, 1)
	go func() { synced <- c.SyncReplica(context.Background()) }()
	runtime.Gosched() // the sync starts (or, if Close is first, is refused)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-synced; err == nil {
		t.Fatal("a sync with the primary down succeeded")
	}
	if err := c.SyncReplica(context.Background()); app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Fatalf("a sync after Close: %v", err)
	}
}
