package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"todos/app"
)

// addTodos adds n todos titled "todo N" to tn through the pool.
func (e *testEnv) addTodos(t testing.TB, tn *app.Tenant, n int) {
	t.Helper()
	addPoolTodos(t, e.pool, tn, n)
}

// addPoolTodos adds n todos titled "todo N" to tn through pool.
func addPoolTodos(t testing.TB, pool *TenantPool, tn *app.Tenant, n int) {
	t.Helper()
	tdb, err := pool.Acquire(context.Background(), tn)
	if err != nil {
		t.Fatal(err)
	}
	defer tdb.Release()
	for i := range n {
		if _, _, err := tdb.AddTodo(context.Background(), fmt.Sprintf("todo %d", i)); err != nil {
			t.Fatal(err)
		}
	}
}

// todoTitles returns the titles of tn's todos, in order.
func (e *testEnv) todoTitles(t testing.TB, tn *app.Tenant) []string {
	t.Helper()
	tdb, err := e.pool.Acquire(context.Background(), tn)
	if err != nil {
		t.Fatal(err)
	}
	defer tdb.Release()
	todos, _, err := tdb.Todos(context.Background(), app.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, td := range todos {
		titles = append(titles, td.Title)
	}
	return titles
}

func TestRestoreTenant(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	e.addTodos(t, tn, 20)
	e.flushActivity(t)
	if err := e.tenants.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if size, err := e.tenants.TenantSize(ctx, mustFindAny(t, e, "acme")); err != nil || size == 0 {
		t.Errorf("size in the trash = %d, %v", size, err)
	}
	restored, err := e.tenants.RestoreTenant(ctx, "ACME")
	if err != nil {
		t.Fatal(err)
	}
	if restored.Status != app.TenantActive || !restored.DeletedAt.IsZero() || restored.Location != tn.Location ||
		restored.TodoCount != 20 || restored.ID != tn.ID {
		t.Errorf("restored %+v", restored)
	}
	if files := dirFiles(t, e.trashDir()); len(files) != 0 {
		t.Errorf("trash still holds %q", files)
	}
	if got, err := e.tenants.FindTenantByName(ctx, "acme"); err != nil || got.ID != tn.ID {
		t.Errorf("FindTenantByName after restore = %+v, %v", got, err)
	}
	titles := e.todoTitles(t, restored)
	if len(titles) != 20 || titles[0] != "todo 0" || titles[19] != "todo 19" {
		t.Errorf("todos after restore: %q", titles)
	}
	tdb := e.acquire(t, restored)
	if _, err := tdb.UserByEmail(ctx, "owner@example.com"); err != nil {
		t.Errorf("owner after restore: %v", err)
	}
	tdb.Release()

	_, err = e.tenants.RestoreTenant(ctx, "acme")
	wantCode(t, err, app.EINVALID)
	wantMessage(t, err, "not in the trash")
	_, err = e.tenants.RestoreTenant(ctx, "nope")
	wantCode(t, err, app.ENOTFOUND)
}

// mustFindAny returns the tenant named name, in the trash or not.
func mustFindAny(t *testing.T, e *testEnv, name string) *app.Tenant {
	t.Helper()
	tn, err := e.tenants.FindTenantByNameIncludingTrash(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

func TestPurgeTenant(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	e.createTenant(t, "other")
	e.addTodos(t, tn, 3)
	if err := e.control.RecordConsole(ctx, app.ConsoleEntry{TenantID: tn.ID, Admin: "a@example.com", SQL: "SELECT 1"}); err != nil {
		t.Fatal(err)
	}
	err := e.tenants.PurgeTenant(ctx, "acme")
	wantCode(t, err, app.EINVALID)
	wantMessage(t, err, "only lists in the trash")
	wantCode(t, e.tenants.PurgeTenant(ctx, "nope"), app.ENOTFOUND)

	if err := e.tenants.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if err := e.tenants.PurgeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if files := dirFiles(t, e.trashDir()); len(files) != 0 {
		t.Errorf("trash still holds %q", files)
	}
	if n := recordCount(t, e.control); n != 1 {
		t.Errorf("%d records, want only other's", n)
	}
	if h, _ := e.control.ListConsole(ctx, tn.ID, 10); len(h) != 0 {
		t.Errorf("console history left: %+v", h)
	}
	_, err = e.tenants.FindTenantByNameIncludingTrash(ctx, "acme")
	wantCode(t, err, app.ENOTFOUND)
	wantCode(t, e.tenants.PurgeTenant(ctx, "acme"), app.ENOTFOUND)
	again := e.createTenant(t, "acme") // the name is free
	if titles := e.todoTitles(t, again); len(titles) != 0 {
		t.Errorf("new acme has todos %q", titles)
	}
}

func TestPurgeExpired(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	for _, name := range []string{"old-one", "old-two", "recent", "live"} {
		e.createTenant(t, name)
	}
	for _, name := range []string{"old-one", "old-two", "recent"} {
		if err := e.tenants.DeleteTenant(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	longAgo := time.Now().Add(-31 * 24 * time.Hour).UnixMilli()
	if _, err := e.control.db.Exec("UPDATE tenants SET deleted_at = ? WHERE name LIKE 'old-%'", longAgo); err != nil {
		t.Fatal(err)
	}
	n, err := e.tenants.PurgeExpired(ctx, 30*24*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("PurgeExpired = %d, %v; want 2", n, err)
	}
	page, err := e.tenants.QueryTenants(ctx, app.TenantQuery{Status: app.TenantDeleted})
	if err != nil || page.Total != 1 || page.Tenants[0].Name != "recent" {
		t.Errorf("trash after purge: %+v, %v", pageNames(page), err)
	}
	if files := dirFiles(t, e.trashDir()); len(files) != 1 {
		t.Errorf("trash holds %q, want recent's database only", files)
	}
	if n, err := e.tenants.PurgeExpired(ctx, 30*24*time.Hour); err != nil || n != 0 {
		t.Errorf("second PurgeExpired = %d, %v", n, err)
	}
	if n, err := e.tenants.PurgeExpired(ctx, 0); err != nil || n != 1 {
		t.Errorf("PurgeExpired(0) = %d, %v; want 1", n, err)
	}
	if list, _ := e.tenants.ListTenants(ctx); len(list) != 1 || list[0].Name != "live" {
		t.Errorf("live tenants %+v", list)
	}
}

// TestTrashInterruptedMoves checks that restoring and purging cope with a
// tenant whose record is in the trash but whose move was interrupted.
func TestTrashInterruptedMoves(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	e.addTodos(t, tn, 2)
	<-e.pool.Evict(tn.ID)
	// As if the process died between marking the record and moving the file.
	if ok, err := e.control.markTrashed(ctx, tn.ID, time.Now()); err != nil || !ok {
		t.Fatal(ok, err)
	}
	restored, err := e.tenants.RestoreTenant(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if titles := e.todoTitles(t, restored); len(titles) != 2 {
		t.Errorf("todos %q", titles)
	}
	<-e.pool.Evict(tn.ID)
	if ok, err := e.control.markTrashed(ctx, tn.ID, time.Now()); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if err := e.tenants.PurgeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tn.Location); !os.IsNotExist(err) {
		t.Errorf("database still in service after purge: %v", err)
	}
	if files := dirFiles(t, filepath.Dir(tn.Location)); len(files) != 0 {
		t.Errorf("files left: %q", files)
	}
}
