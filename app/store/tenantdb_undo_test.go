package store

import (
	"bytes"
	"context"
	"testing"
	"time"

	"todos/app"
)

// deletedRows counts the rows kept aside for undo in tdb's database.
func deletedRows(t *testing.T, tdb *TenantDB) int {
	t.Helper()
	var n int
	if err := tdb.db.QueryRow("SELECT count(*) FROM deleted_todos").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// ageDeletions moves every deletion of tdb's database back past the undo
// window, as if it had been made long ago.
func ageDeletions(t *testing.T, tdb *TenantDB) {
	t.Helper()
	if _, err := tdb.db.Exec("UPDATE deleted_todos SET deleted_at = deleted_at - ?", app.UndoWindow.Milliseconds()+1); err != nil {
		t.Fatal(err)
	}
}

func TestUndoDeleteBringsItemBackInPlace(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	l := e.acquire(t, e.createTenant(t, "acme"))
	a, _, _ := l.AddTodo(ctx, "first")
	b, _, _ := l.AddTodo(ctx, "second")
	if _, _, err := l.SetTodoCompleted(ctx, b.ID, true); err != nil {
		t.Fatal(err)
	}
	c, _, _ := l.AddTodo(ctx, "third")

	del, stats, err := l.DeleteTodo(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantStats(t, stats, 2, 0)
	if !del.Undoable() || del.Count != 1 || del.Title != "second" || del.Expires.IsZero() {
		t.Fatalf("deletion = %+v", del)
	}
	n, stats, err := l.Undo(ctx, del.Token)
	if err != nil || n.Count != 1 || n.FirstID != b.ID {
		t.Fatalf("undo = %+v, %v", n, err)
	}
	wantStats(t, stats, 3, 1)
	todos, _, _ := l.Todos(ctx, app.FilterAll)
	if len(todos) != 3 || todos[0].ID != a.ID || todos[1].ID != b.ID || !todos[1].Completed || todos[1].Title != "second" || todos[2].ID != c.ID {
		t.Fatalf("after undo: %+v", todos)
	}
	if deletedRows(t, l) != 0 {
		t.Error("an undone deletion is still kept aside")
	}
	_, _, err = l.Undo(ctx, del.Token)
	wantCode(t, err, app.ENOTFOUND)
	_, _, err = l.Undo(ctx, "not a token")
	wantCode(t, err, app.ENOTFOUND)
	_, _, err = l.Undo(ctx, app.NewUndoToken())
	wantCode(t, err, app.ENOTFOUND)
}

func TestUndoClearCompleted(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	l := e.acquire(t, tn)
	for _, title := range []string{"a", "b", "c", "d"} {
		td, _, _ := l.AddTodo(ctx, title)
		if title != "c" {
			_, _, _ = l.SetTodoCompleted(ctx, td.ID, true)
		}
	}
	del, stats, err := l.ClearCompleted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStats(t, stats, 1, 0)
	if del.Count != 3 || del.Title != "a" {
		t.Fatalf("deletion = %+v", del)
	}
	if n, stats, err := l.Undo(ctx, del.Token); err != nil || n.Count != 3 {
		t.Fatalf("undo = %+v, %v", n, err)
	} else {
		wantStats(t, stats, 4, 3)
	}
	wantCounters(t, e, tn, 4, 3)

	// Nothing completed: nothing to undo.
	if _, err := l.SetAllCompleted(ctx, false); err != nil {
		t.Fatal(err)
	}
	if del, _, err := l.ClearCompleted(ctx); err != nil || del.Undoable() {
		t.Fatalf("clearing nothing = %+v, %v", del, err)
	}
}

func TestUndoAfterTheWindowFails(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	l := e.acquire(t, e.createTenant(t, "acme"))
	a, _, _ := l.AddTodo(ctx, "old")
	b, _, _ := l.AddTodo(ctx, "new")
	old, _, _ := l.DeleteTodo(ctx, a.ID)
	ageDeletions(t, l)
	_, _, err := l.Undo(ctx, old.Token)
	wantCode(t, err, app.ENOTFOUND)
	if app.ErrorMessage(err) != "Too late to undo: the deleted items are gone for good." {
		t.Errorf("message = %q", app.ErrorMessage(err))
	}
	// The next deletion removes the expired one for good.
	if _, _, err := l.DeleteTodo(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if n := deletedRows(t, l); n != 1 {
		t.Errorf("kept aside = %d, want only the new deletion", n)
	}
}

func TestUndoGivesATakenIDANewOne(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	l := e.acquire(t, e.createTenant(t, "acme"))
	a, _, _ := l.AddTodo(ctx, "mine")
	del, _, _ := l.DeleteTodo(ctx, a.ID)
	// A write from the console takes the id meanwhile.
	if _, err := l.db.Exec("INSERT INTO todos (id, title, completed, created_at, updated_at) VALUES (?, 'console', 0, 0, 0)", a.ID); err != nil {
		t.Fatal(err)
	}
	if n, stats, err := l.Undo(ctx, del.Token); err != nil || n.Count != 1 {
		t.Fatalf("undo = %+v, %v", n, err)
	} else {
		wantStats(t, stats, 2, 0)
	}
	todos, _, _ := l.Todos(ctx, app.FilterAll)
	if len(todos) != 2 || todos[0].Title != "console" || todos[1].Title != "mine" || todos[1].ID <= a.ID {
		t.Fatalf("after undo: %+v", todos)
	}
}

func TestExpiredDeletionsPurgedByTimer(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	l, err := e.pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := l.AddTodo(ctx, "a")
	b, _, _ := l.AddTodo(ctx, "b")
	_, _, _ = l.DeleteTodo(ctx, a.ID)
	ageDeletions(t, l)
	_, _, _ = l.DeleteTodo(ctx, b.ID)
	if n := deletedRows(t, l); n != 1 {
		t.Fatalf("kept aside = %d, want 1", n)
	}
	ageDeletions(t, l)
	// The timer's work, run now.
	e.pool.purgeEntry(l.entry)
	if n := deletedRows(t, l); n != 0 {
		t.Errorf("after the timer: %d kept aside", n)
	}

	// Within its window a deletion survives a close, and can be undone;
	// one whose window ended while the database was closed goes with the
	// timer of the next open.
	c, _, _ := l.AddTodo(ctx, "c")
	d, _, _ := l.AddTodo(ctx, "d")
	delC, _, _ := l.DeleteTodo(ctx, c.ID)
	l.Release()
	<-e.pool.Evict(tn.ID)
	l = e.acquire(t, tn)
	if n, _, err := l.Undo(ctx, delC.Token); err != nil || n.Count != 1 {
		t.Fatalf("undo after a close = %+v, %v", n, err)
	}
	_, _, _ = l.DeleteTodo(ctx, d.ID)
	ageDeletions(t, l)
	l.Release()
	<-e.pool.Evict(tn.ID)
	l = e.acquire(t, tn)
	e.pool.purgeEntry(l.entry)
	if n := deletedRows(t, l); n != 0 {
		t.Errorf("after the next open's timer: %d kept aside", n)
	}
}

// Rows of deleted_todos that no deletion of this program would write (the
// console can): a deleted_at that is text or far in the future counts as
// expired; ids taken twice, or by a restored row, get new ids and nothing
// is lost.
func TestUndoOfCraftedRows(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	l := e.acquire(t, e.createTenant(t, "acme"))
	a, _, _ := l.AddTodo(ctx, "a")
	del, _, _ := l.DeleteTodo(ctx, a.ID)
	now := time.Now().UnixMilli()
	for _, row := range []struct {
		id        int64
		title     string
		deletedAt any
	}{
		{a.ID, "same id twice", now},
		{a.ID + 1, "next id", now},
		{a.ID + 2, "text time", "x"},
		{a.ID + 3, "future time", now + 24*3600*1000},
	} {
		if _, err := l.db.Exec("INSERT INTO deleted_todos (token, id, title, completed, created_at, updated_at, deleted_at) VALUES (?, ?, ?, 0, 0, 0, ?)",
			del.Token, row.id, row.title, row.deletedAt); err != nil {
			t.Fatal(err)
		}
	}
	u, stats, err := l.Undo(ctx, del.Token)
	if err != nil || u.Count != 3 {
		t.Fatalf("undo = %+v, %v", u, err)
	}
	wantStats(t, stats, 3, 0)
	todos, _, _ := l.Todos(ctx, app.FilterAll)
	var titles []string
	for _, td := range todos {
		titles = append(titles, td.Title)
	}
	if len(titles) != 3 || titles[0] != "a" || titles[1] != "next id" || titles[2] != "same id twice" {
		t.Errorf("restored = %q", titles)
	}
	if n := deletedRows(t, l); n != 0 {
		t.Errorf("kept aside after undo = %d", n)
	}

	// Expired by their times, whatever the token: the next delete removes them.
	for _, at := range []any{"x", now + 24*3600*1000} {
		if _, err := l.db.Exec("INSERT INTO deleted_todos (token, id, title, completed, created_at, updated_at, deleted_at) VALUES ('t', 99, 'old', 0, 0, 0, ?)", at); err != nil {
			t.Fatal(err)
		}
	}
	_, _, _ = l.DeleteTodo(ctx, todos[0].ID)
	if n := deletedRows(t, l); n != 1 {
		t.Errorf("kept aside = %d, want only the new deletion", n)
	}
}

func TestCopiesLeaveOutDeletedItems(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	l := e.acquire(t, e.createTenant(t, "acme"))
	a, _, _ := l.AddTodo(ctx, "secret plan")
	_, _, _ = l.AddTodo(ctx, "kept")
	if _, _, err := l.DeleteTodo(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	var export bytes.Buffer
	if _, err := e.tenants.ExportTenant(ctx, "acme", &export); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := openExport(t, export.Bytes()).QueryRow("SELECT count(*) FROM deleted_todos").Scan(&n); err != nil || n != 0 {
		t.Errorf("export keeps %d deleted items (%v)", n, err)
	}
	clone, err := e.tenants.CloneTenant(ctx, "acme", "acme2")
	if err != nil {
		t.Fatal(err)
	}
	if n := deletedRows(t, e.acquire(t, clone)); n != 0 {
		t.Errorf("clone keeps %d deleted items", n)
	}
}
