package store

import (
	"context"
	"sync"
	"testing"

	"todos/app"
)

// acmeDB returns the open database of a new tenant acme.
func acmeDB(t *testing.T) *TenantDB {
	t.Helper()
	e := newTestEnv(t, 4)
	return e.acquire(t, e.createTenant(t, "acme"))
}

// addOnce adds title under key and fails the test on an error.
func addOnce(t *testing.T, tdb *TenantDB, key, title string) app.Todo {
	t.Helper()
	td, _, _, err := tdb.AddTodoOnce(context.Background(), key, title)
	if err != nil {
		t.Fatal(err)
	}
	return td
}

// wantRows fails the test unless table in tdb's database has want rows.
func wantRows(t *testing.T, tdb *TenantDB, table string, want int) {
	t.Helper()
	if n := countRows(t, tdb, "SELECT count(*) FROM "+table); n != want {
		t.Fatalf("%s = %d rows, want %d", table, n, want)
	}
}

// TestAddTodoOnceReplaysAKnownKey sends one submission twice: one row, and
// the second answer is the first one's item.
func TestAddTodoOnceReplaysAKnownKey(t *testing.T) {
	ctx := context.Background()
	tdb := acmeDB(t)
	key := app.NewIdempotencyKey()
	first, stats, replayed, err := tdb.AddTodoOnce(ctx, key, "buy milk")
	if err != nil || replayed || stats.Total != 1 {
		t.Fatalf("first: %+v %+v replayed=%v %v", first, stats, replayed, err)
	}
	again, stats, replayed, err := tdb.AddTodoOnce(ctx, key, "buy milk")
	if err != nil || !replayed || again != first || stats.Total != 1 {
		t.Fatalf("retry: %+v (want %+v) %+v replayed=%v %v", again, first, stats, replayed, err)
	}
	wantRows(t, tdb, "todos", 1)
}

// TestAddTodoOnceConcurrentSubmitsAddOne sends one key from many
// goroutines at once: exactly one adds, the others get its item.
func TestAddTodoOnceConcurrentSubmitsAddOne(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	key := app.NewIdempotencyKey()
	const n = 8
	var wg sync.WaitGroup
	ids := make([]int64, n)
	added := make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tdb, err := e.pool.Acquire(ctx, tn)
			if err != nil {
				errs[i] = err
				return
			}
			defer tdb.Release()
			td, _, replayed, err := tdb.AddTodoOnce(ctx, key, "once")
			ids[i], added[i], errs[i] = td.ID, !replayed, err
		}()
	}
	wg.Wait()
	adds := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if ids[i] != ids[0] || ids[i] == 0 {
			t.Fatalf("ids = %v", ids)
		}
		if added[i] {
			adds++
		}
	}
	if adds != 1 {
		t.Fatalf("%d submissions added, want 1", adds)
	}
	wantRows(t, e.acquire(t, tn), "todos", 1)
}

// TestAddTodoOnceOtherTitleIsNew: a key sent again with another title (the
// user changed the text after an error) adds that item, and a retry of the
// first title is still answered with the first item.
func TestAddTodoOnceOtherTitleIsNew(t *testing.T) {
	ctx := context.Background()
	tdb := acmeDB(t)
	key := app.NewIdempotencyKey()
	first := addOnce(t, tdb, key, "milk")
	other, _, replayed, err := tdb.AddTodoOnce(ctx, key, "bread")
	if err != nil || replayed || other.ID == first.ID || other.Title != "bread" {
		t.Fatalf("other title: %+v replayed=%v %v", other, replayed, err)
	}
	again, _, replayed, err := tdb.AddTodoOnce(ctx, key, "milk")
	if err != nil || !replayed || again.ID != first.ID {
		t.Fatalf("retry of the first: %+v replayed=%v %v", again, replayed, err)
	}
	wantRows(t, tdb, "todos", 2)
}

// TestAddTodoOnceAfterDeleteAddsNothing: the retry of a submission whose
// item was deleted since does not bring it back.
func TestAddTodoOnceAfterDeleteAddsNothing(t *testing.T) {
	ctx := context.Background()
	tdb := acmeDB(t)
	key := app.NewIdempotencyKey()
	td := addOnce(t, tdb, key, "gone soon")
	if _, _, err := tdb.DeleteTodo(ctx, td.ID); err != nil {
		t.Fatal(err)
	}
	again, stats, replayed, err := tdb.AddTodoOnce(ctx, key, "gone soon")
	if err != nil || !replayed || again.ID != 0 || stats.Total != 0 {
		t.Fatalf("retry after delete: %+v %+v replayed=%v %v", again, stats, replayed, err)
	}
}

// TestAddTodoOnceRefusesMalformedKeys: only keys of the product's form are
// stored.
func TestAddTodoOnceRefusesMalformedKeys(t *testing.T) {
	tdb := acmeDB(t)
	for _, key := range []string{"", "short", "has space in it!!", "\xff\xfe" + app.NewIdempotencyKey(), string(make([]byte, 65))} {
		_, _, _, err := tdb.AddTodoOnce(context.Background(), key, "title")
		wantCode(t, err, app.EINVALID)
	}
	wantRows(t, tdb, "todos", 0)
}

// TestAddTodoOnceForgetsOldKeys: keys older than a day are removed by a
// later submission (every idempotencyPruneEvery-th item), so the table
// stays small; such a key is new again.
func TestAddTodoOnceForgetsOldKeys(t *testing.T) {
	tdb := acmeDB(t)
	old := app.NewIdempotencyKey()
	addOnce(t, tdb, old, "yesterday")
	if _, err := tdb.db.Exec("UPDATE idempotency_keys SET created_at = created_at - ?",
		(idempotencyKeyLife + 1e9).Milliseconds()); err != nil {
		t.Fatal(err)
	}
	for i := 2; i < idempotencyPruneEvery; i++ {
		addOnce(t, tdb, app.NewIdempotencyKey(), "today")
	}
	wantRows(t, tdb, "idempotency_keys", idempotencyPruneEvery-1) // not pruned yet
	addOnce(t, tdb, app.NewIdempotencyKey(), "today")             // item idempotencyPruneEvery
	wantRows(t, tdb, "idempotency_keys", idempotencyPruneEvery-1) // the old key removed
}
