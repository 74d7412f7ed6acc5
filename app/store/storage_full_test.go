package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/testfs"
)

// newTestEnvIn builds a testEnv whose control plane and tenants live in dir.
func newTestEnvIn(t *testing.T, dir string, capacity int) *testEnv {
	t.Helper()
	c, err := OpenControl(filepath.Join(dir, "control.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	p := &testProvider{Provider: LocalProvider{Dir: filepath.Join(dir, "tenants")}}
	pool := NewTenantPool(p, tenantMigrations(t), c, capacity)
	t.Cleanup(func() { _ = pool.Close() })
	return &testEnv{dir: dir, control: c, provider: p, pool: pool, tenants: NewTenants(c, p, pool, testParams)}
}

// checkIntegrity fails unless PRAGMA integrity_check of the tenant's
// database (opened on its own) says ok.
func checkTenantIntegrity(t *testing.T, tn *app.Tenant) {
	t.Helper()
	db, err := openPlain(fileDSN(tn.Location))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v", res, err)
	}
}

// TestFullDiskRefusesWritesWithEFULLAndKeepsReads fills the disk under an
// open tenant: every kind of write fails with EFULL (not an internal
// error), reads keep working, and once space is freed writes work again
// with nothing lost.
func TestFullDiskRefusesWritesWithEFULLAndKeepsReads(t *testing.T) {
	ctx := context.Background()
	e := newTestEnvIn(t, testfs.Mount(t, "2m"), 4)
	tn := e.createTenant(t, "acme")
	db := e.acquire(t, tn)
	key := app.NewIdempotencyKey()
	before, _, _, err := db.AddTodoOnce(ctx, key, "before")
	if err != nil {
		t.Fatal(err)
	}
	free := testfs.Fill(t, e.dir)

	_, _, err = db.AddTodo(ctx, "while full")
	wantCode(t, err, app.EFULL)
	_, _, _, err = db.AddTodoOnce(ctx, app.NewIdempotencyKey(), "while full")
	wantCode(t, err, app.EFULL)
	// A retry of a stored submission writes nothing: it is answered.
	if again, _, replayed, err := db.AddTodoOnce(ctx, key, "before"); err != nil || !replayed || again.ID != before.ID {
		t.Fatalf("retry on a full disk: %+v replayed=%v %v", again, replayed, err)
	}
	if app.ErrorMessage(err) != app.StorageFullMessage {
		t.Errorf("message = %q", app.ErrorMessage(err))
	}
	_, err = db.SetAllCompleted(ctx, true)
	wantCode(t, err, app.EFULL)
	wantCode(t, db.CommitSession(ctx, "new-session", []byte("x"), time.Now().Add(time.Hour)), app.EFULL)
	wantCode(t, e.control.SessionStore().CommitCtx(ctx, "admin-session", []byte("x"), time.Now().Add(time.Hour)), app.EFULL)

	todos, stats, err := db.Todos(ctx, app.FilterAll)
	if err != nil || len(todos) != 1 || todos[0].Title != "before" || stats.Total != 1 {
		t.Fatalf("read on a full disk: %v %+v %v", todos, stats, err)
	}

	free()
	if _, _, err := db.AddTodo(ctx, "after"); err != nil {
		t.Fatalf("write after freeing space: %v", err)
	}
	if todos, _, _ := db.Todos(ctx, app.FilterAll); len(todos) != 2 {
		t.Fatalf("after freeing: %v", todos)
	}
	db.Release()
	<-e.pool.Evict(tn.ID)
	checkTenantIntegrity(t, tn)
}

// TestFullDiskColdOpenServesReads opens a tenant that is not in the pool
// while the disk is full: a normal open needs room for the write-ahead
// log's index (-shm) and fails, so the pool opens it in exclusive locking
// mode, which keeps the index in memory. Reads work, writes are EFULL, and
// the first write that succeeds after space is freed hands the tenant back
// to a normal open.
func TestFullDiskColdOpenServesReads(t *testing.T) {
	ctx := context.Background()
	e := newTestEnvIn(t, testfs.Mount(t, "2m"), 4)
	tn := e.createTenant(t, "acme")
	db, err := e.pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AddTodo(ctx, "kept"); err != nil {
		t.Fatal(err)
	}
	db.Release()
	<-e.pool.Evict(tn.ID) // closed: its -wal and -shm are gone
	free := testfs.Fill(t, e.dir)

	db, err = e.pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatalf("cold open on a full disk: %v", err)
	}
	todos, _, err := db.Todos(ctx, app.FilterAll)
	if err != nil || len(todos) != 1 || todos[0].Title != "kept" {
		t.Fatalf("cold read on a full disk: %v %v", todos, err)
	}
	if _, err := db.UserByEmail(ctx, "owner@example.com"); err != nil {
		t.Fatalf("user lookup on a full disk: %v", err)
	}
	_, _, err = db.AddTodo(ctx, "refused")
	wantCode(t, err, app.EFULL)

	free()
	if _, _, err := db.AddTodo(ctx, "after"); err != nil {
		t.Fatalf("write after freeing space: %v", err)
	}
	db.Release()
	// The exclusive handle is closed after that write: the next open is a
	// normal one, which another connection can read beside.
	db, err = e.pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Release()
	other, err := openPlain(fileDSN(tn.Location))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var n int
	if err := other.QueryRow("SELECT count(*) FROM todos").Scan(&n); err != nil || n != 2 {
		t.Fatalf("second connection beside the reopened tenant: n=%d, %v", n, err)
	}
	db.Release()
	<-e.pool.Evict(tn.ID)
	checkTenantIntegrity(t, tn)
}
