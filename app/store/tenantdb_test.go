package store

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"todos/app"
)

// wantStats fails the test unless got has total items of which completed.
func wantStats(t *testing.T, got app.TodoStats, total, completed int) {
	t.Helper()
	if got.Total != total || got.Completed != completed {
		t.Fatalf("stats = %+v, want total %d, completed %d", got, total, completed)
	}
}

// wantCounters fails the test unless the control plane has the counts.
// Writes reach the control plane in batches: this flushes the pending one
// first.
func wantCounters(t *testing.T, e *testEnv, tn *app.Tenant, total, completed int) {
	t.Helper()
	e.flushActivity(t)
	got, err := e.control.TenantByID(context.Background(), tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.TodoCount != total || got.CompletedCount != completed {
		t.Fatalf("control counters = %d/%d, want %d/%d", got.TodoCount, got.CompletedCount, total, completed)
	}
	if got.LastActiveAt.Before(tn.LastActiveAt) {
		t.Fatalf("last active %v is before creation %v", got.LastActiveAt, tn.LastActiveAt)
	}
}

func TestTenantDBTodos(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	l := e.acquire(t, tn)

	a, s, err := l.AddTodo(ctx, "Buy milk")
	if err != nil {
		t.Fatal(err)
	}
	wantStats(t, s, 1, 0)
	b, s, _ := l.AddTodo(ctx, "Walk the dog")
	c, s, _ := l.AddTodo(ctx, "Write tests")
	wantStats(t, s, 3, 0)
	if !(a.ID < b.ID && b.ID < c.ID) || a.Completed || a.CreatedAt.IsZero() {
		t.Fatalf("added %+v %+v %+v", a, b, c)
	}
	wantCounters(t, e, tn, 3, 0)

	got, s, err := l.ToggleTodo(ctx, b.ID)
	if err != nil || !got.Completed || got.Title != "Walk the dog" {
		t.Fatalf("ToggleTodo = %+v, %v", got, err)
	}
	wantStats(t, s, 3, 1)
	wantCounters(t, e, tn, 3, 1)
	if got, s, _ = l.ToggleTodo(ctx, b.ID); got.Completed {
		t.Fatal("second toggle did not clear completed")
	}
	wantStats(t, s, 3, 0)
	got, s, _ = l.SetTodoCompleted(ctx, c.ID, true)
	got, s, _ = l.SetTodoCompleted(ctx, c.ID, true) // idempotent
	if !got.Completed {
		t.Fatal("SetTodoCompleted(true) did not complete")
	}
	wantStats(t, s, 3, 1)
	if got, _, err = l.RenameTodo(ctx, a.ID, "Buy oat milk"); err != nil || got.Title != "Buy oat milk" || got.ID != a.ID {
		t.Fatalf("RenameTodo = %+v, %v", got, err)
	}
	if got, err = l.Todo(ctx, a.ID); err != nil || got.Title != "Buy oat milk" || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("Todo = %+v, %v (added %+v)", got, err, a)
	}

	active, s, _ := l.Todos(ctx, app.FilterActive)
	done, _, _ := l.Todos(ctx, app.FilterCompleted)
	all, _, _ := l.Todos(ctx, app.FilterAll)
	if len(active) != 2 || len(done) != 1 || len(all) != 3 || done[0].ID != c.ID || all[0].ID != a.ID || all[2].ID != c.ID {
		t.Fatalf("filters: active %+v, completed %+v, all %+v", active, done, all)
	}
	wantStats(t, s, 3, 1)

	s, err = l.SetAllCompleted(ctx, true)
	wantStats(t, s, 3, 3)
	wantCounters(t, e, tn, 3, 3)
	s, _ = l.SetAllCompleted(ctx, false)
	wantStats(t, s, 3, 0)
	_, _, _ = l.ToggleTodo(ctx, a.ID)
	_, _, _ = l.ToggleTodo(ctx, c.ID)
	_, s, err = l.ClearCompleted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStats(t, s, 1, 0)
	wantCounters(t, e, tn, 1, 0)
	if _, s, err = l.DeleteTodo(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	wantStats(t, s, 0, 0)
	wantCounters(t, e, tn, 0, 0)
	if s, err = l.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	wantStats(t, s, 0, 0)

	d, _, _ := l.AddTodo(ctx, "after delete")
	if d.ID <= c.ID {
		t.Errorf("id %d reused (AUTOINCREMENT expected above %d)", d.ID, c.ID)
	}
}

func TestTenantDBMissingAndInvalid(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	l := e.acquire(t, e.createTenant(t, "acme"))
	_, err := l.Todo(ctx, 999)
	wantCode(t, err, app.ENOTFOUND)
	if app.ErrorMessage(err) != "That item no longer exists." {
		t.Errorf("message = %q", app.ErrorMessage(err))
	}
	_, _, err = l.ToggleTodo(ctx, 999)
	wantCode(t, err, app.ENOTFOUND)
	_, _, err = l.SetTodoCompleted(ctx, 999, true)
	wantCode(t, err, app.ENOTFOUND)
	_, _, err = l.RenameTodo(ctx, 999, "x")
	wantCode(t, err, app.ENOTFOUND)
	_, _, err = l.DeleteTodo(ctx, 999)
	wantCode(t, err, app.ENOTFOUND)
	_, _, err = l.AddTodo(ctx, "")
	wantCode(t, err, app.EINVALID)
	a, _, _ := l.AddTodo(ctx, "x")
	_, _, err = l.RenameTodo(ctx, a.ID, "")
	wantCode(t, err, app.EINVALID)
}

func TestTenantDBTitlesRoundTrip(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	l := e.acquire(t, e.createTenant(t, "acme"))
	titles := []string{
		`<script>alert("x")</script>`,
		`He said "hi" & 'bye' -- ; /* not a comment */`,
		"Robert'); DROP TABLE todos;--",
		"日本語のタスク 😀 ünïcödé ‮rtl",
		"2024-01-02",          // go-libsql turns date-like TEXT into time.Time
		"2024-01-02 10:00:00", // unless it is read as a BLOB
		"2024-01-02T10:00:00Z",
		"line one\nline two\ttab",
		`100% _done_ \ backslash`,
		"  leading and trailing spaces  ",
	}
	for _, title := range titles {
		td, _, err := l.AddTodo(ctx, title)
		if err != nil {
			t.Fatalf("AddTodo(%q): %v", title, err)
		}
		if td.Title != title {
			t.Errorf("AddTodo returned %q, want %q", td.Title, title)
		}
	}
	all, _, err := l.Todos(ctx, app.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	for i, td := range all {
		if td.Title != titles[i] {
			t.Errorf("Todos()[%d].Title = %q, want %q", i, td.Title, titles[i])
		}
	}
	renamed, _, err := l.RenameTodo(ctx, all[0].ID, "2025-12-31")
	if err != nil || renamed.Title != "2025-12-31" {
		t.Errorf("RenameTodo = %q, %v", renamed.Title, err)
	}
}

func TestTenantDBUsers(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	l := e.acquire(t, e.createTenant(t, "acme"))
	owner, err := l.UserByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !app.CheckPassword(owner.PasswordHash, "correct horse") || app.CheckPassword(owner.PasswordHash, "wrong") {
		t.Error("owner password does not check")
	}
	if byID, err := l.UserByID(ctx, owner.ID); err != nil || *byID != *owner {
		t.Errorf("UserByID = %+v, %v; want %+v", byID, err, owner)
	}
	_, err = l.CreateUser(ctx, "owner@example.com", "hash")
	wantCode(t, err, app.ECONFLICT)
	u, err := l.CreateUser(ctx, "second@example.com", "hash")
	if err != nil || u.ID == owner.ID {
		t.Fatalf("CreateUser = %+v, %v", u, err)
	}
	_, err = l.UserByEmail(ctx, "nobody@example.com")
	wantCode(t, err, app.ENOTFOUND)
	_, err = l.UserByID(ctx, 12345)
	wantCode(t, err, app.ENOTFOUND)
}

func TestTenantDBReleaseTwice(t *testing.T) {
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	l, err := e.pool.Acquire(context.Background(), tn)
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
	l.Release()
	e.pool.mu.Lock()
	refs := e.pool.entries[tn.ID].refs
	e.pool.mu.Unlock()
	if refs != 0 {
		t.Fatalf("refs = %d after releasing twice, want 0", refs)
	}
}

// TestTenantDBConcurrentWrites checks that one handle serves concurrent
// requests without "database is locked": 50 goroutines × 20 inserts.
func TestTenantDBConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	l := e.acquire(t, tn)
	const workers, each = 50, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if _, _, err := l.AddTodo(ctx, fmt.Sprintf("w%d-%d", w, i)); err != nil {
					errs <- err
				}
				if i%5 == 0 {
					if _, _, err := l.Todos(ctx, app.FilterAll); err != nil {
						errs <- err
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s, err := l.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStats(t, s, workers*each, 0)
	wantCounters(t, e, tn, workers*each, 0)
}
