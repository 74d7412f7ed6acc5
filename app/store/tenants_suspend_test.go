package store

import (
	"context"
	"strings"
	"testing"

	"todos/app"
)

func TestSuspendResume(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	tdb := e.acquire(t, tn)
	if _, _, err := tdb.AddTodo(ctx, "keep me"); err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	e.flushActivity(t)

	if err := e.tenants.SuspendTenant(ctx, " ACME "); err != nil {
		t.Fatal(err)
	}
	got, err := e.tenants.FindTenantByName(ctx, "acme") // still found: the web shows it suspended
	if err != nil || got.Status != app.TenantSuspended || got.TodoCount != 1 {
		t.Fatalf("suspended tenant = %+v, %v", got, err)
	}
	err = e.tenants.SuspendTenant(ctx, "acme")
	wantCode(t, err, app.EINVALID)
	wantMessage(t, err, "already suspended")

	if err := e.tenants.ResumeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.tenants.FindTenantByName(ctx, "acme"); got.Status != app.TenantActive {
		t.Errorf("resumed tenant %+v", got)
	}
	err = e.tenants.ResumeTenant(ctx, "acme")
	wantCode(t, err, app.EINVALID)
	wantMessage(t, err, "not suspended")
	l := e.acquire(t, tn)
	if todos, _, err := l.Todos(ctx, app.FilterAll); err != nil || len(todos) != 1 || todos[0].Title != "keep me" {
		t.Errorf("todos after suspend and resume = %+v, %v", todos, err)
	}
	l.Release()

	for _, name := range []string{"nope", "bad name!"} {
		wantCode(t, e.tenants.SuspendTenant(ctx, name), app.ENOTFOUND)
		wantCode(t, e.tenants.ResumeTenant(ctx, name), app.ENOTFOUND)
	}
	if err := e.tenants.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	err = e.tenants.SuspendTenant(ctx, "acme")
	wantCode(t, err, app.EINVALID)
	wantMessage(t, err, "in the trash")
	wantCode(t, e.tenants.ResumeTenant(ctx, "acme"), app.EINVALID)
}

func TestDeleteSuspendedTenant(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	e.createTenant(t, "acme")
	if err := e.tenants.SuspendTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if err := e.tenants.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	restored, err := e.tenants.RestoreTenant(ctx, "acme")
	if err != nil || restored.Status != app.TenantActive {
		t.Errorf("restored = %+v, %v", restored, err)
	}
}

// wantMessage fails the test unless err's user message contains part.
func wantMessage(t *testing.T, err error, part string) {
	t.Helper()
	if msg := app.ErrorMessage(err); !strings.Contains(msg, part) {
		t.Errorf("message %q does not contain %q", msg, part)
	}
}
