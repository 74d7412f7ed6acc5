package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"todos/app"
)

// moveRegions are the regions of a newMoveEnv: two, on one disk.
var moveRegions = []app.Region{{Code: "local", Name: "This machine"}, {Code: "ams", Name: "Amsterdam"}}

// newMoveEnv is a testEnv whose local provider offers moveRegions.
func newMoveEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t, 4)
	e.provider.Provider = LocalProvider{Dir: filepath.Join(e.dir, "tenants"), Offered: moveRegions}
	return e
}

// addTodos adds n todos to tn, the even ones completed, and a session.
func addTodos(t *testing.T, e *testEnv, tn *app.Tenant, n int) {
	t.Helper()
	ctx := context.Background()
	tdb, err := e.pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	defer tdb.Release()
	for i := range n {
		td, _, err := tdb.AddTodo(ctx, "todo "+string(rune('a'+i)))
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if _, _, err := tdb.ToggleTodo(ctx, td.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tdb.CommitSession(ctx, "session-key", []byte("data"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
}

// todoTitles returns the titles of tn's todos, as its host would find it.
func todoTitles(t *testing.T, e *testEnv, name string) []string {
	t.Helper()
	ctx := context.Background()
	tn, err := e.tenants.FindTenantByName(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	tdb, err := e.pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	defer tdb.Release()
	todos, _, err := tdb.Todos(ctx, app.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, td := range todos {
		titles = append(titles, td.Title)
	}
	return titles
}

// lastAudit returns the newest audit entry.
func lastAudit(t *testing.T, e *testEnv) app.AuditEntry {
	t.Helper()
	entries, _, err := e.control.ListAudit(context.Background(), app.AuditFilter{Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit: %v, %d entries", err, len(entries))
	}
	return entries[0]
}

func TestMoveTenantCopiesVerifiesSwitchesAndAudits(t *testing.T) {
	e := newMoveEnv(t)
	ctx := context.Background()
	tn := e.createTenant(t, "acme")
	addTodos(t, e, tn, 5)
	before := todoTitles(t, e, "acme")

	m, err := e.tenants.MoveTenant(ctx, "acme", "ams", "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if m.From != "local" || m.To != "ams" || m.Tenant == nil || m.Leftover != "" {
		t.Fatalf("move = %+v", m)
	}
	counts := map[string]int64{}
	for _, tr := range m.Tables {
		counts[tr.Table] = tr.Rows
	}
	if counts["todos"] != 5 || counts["users"] != 1 || counts["sessions"] != 1 {
		t.Fatalf("row counts = %v", m.Tables)
	}
	got, err := e.control.TenantByName(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if got.Region != "ams" || got.Location == tn.Location || got.ID != tn.ID {
		t.Fatalf("record after the move: region %q location %q (was %q)", got.Region, got.Location, tn.Location)
	}
	if _, err := os.Stat(tn.Location); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("old database still there: %v", err)
	}
	if _, err := os.Stat(got.Location); err != nil {
		t.Fatalf("new database: %v", err)
	}
	if after := todoTitles(t, e, "acme"); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("todos after the move = %v, want %v", after, before)
	}
	// Users stay signed in: the session moved too.
	tdb, err := e.pool.Acquire(ctx, got)
	if err != nil {
		t.Fatal(err)
	}
	_, found, err := tdb.FindSession(ctx, "session-key")
	tdb.Release()
	if err != nil || !found {
		t.Fatalf("session after the move: found %v, %v", found, err)
	}
	a := lastAudit(t, e)
	if a.Action != "move" || a.Actor != "admin@example.com" || a.Tenant != "acme" || a.Outcome != app.AuditOK ||
		!strings.Contains(a.Detail, "from local to ams") || !strings.Contains(a.Detail, "todos 5") {
		t.Fatalf("audit = %+v", a)
	}
	if staged := stagedFiles(t, filepath.Join(e.dir, "tenants")); len(staged) > 0 {
		t.Fatalf("staged files left: %v", staged)
	}

	// And back: a new copy, a new name.
	back, err := e.tenants.MoveTenant(ctx, "acme", "local", "cli")
	if err != nil {
		t.Fatal(err)
	}
	if back.Tenant.Region != "local" || back.Tenant.Location == got.Location {
		t.Fatalf("moved back: %+v", back.Tenant)
	}
	if after := todoTitles(t, e, "acme"); len(after) != 5 {
		t.Fatalf("todos after moving back = %v", after)
	}
}

func TestMoveTenantRefusals(t *testing.T) {
	e := newMoveEnv(t)
	ctx := context.Background()
	tn := e.createTenant(t, "acme")
	addTodos(t, e, tn, 2)
	e.createTenant(t, "sleepy")
	if err := e.tenants.SuspendTenant(ctx, "sleepy"); err != nil {
		t.Fatal(err)
	}
	e.createTenant(t, "gone")
	if err := e.tenants.DeleteTenant(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, region, code, msg string
	}{
		{"acme", "mars", app.EINVALID, `Unknown region "mars". Valid regions: local, ams.`},
		{"acme", "local", app.EINVALID, "already in region local"},
		{"sleepy", "ams", app.EINVALID, "suspended"},
		{"gone", "ams", app.ENOTFOUND, ""},
		{"nobody", "ams", app.ENOTFOUND, ""},
	} {
		state := e.state(t)
		_, err := e.tenants.MoveTenant(ctx, tc.name, tc.region, "cli")
		wantCode(t, err, tc.code)
		if !strings.Contains(app.ErrorMessage(err), tc.msg) {
			t.Errorf("move %s to %s: message %q, want it to contain %q", tc.name, tc.region, app.ErrorMessage(err), tc.msg)
		}
		e.wantState(t, state)
		if a := lastAudit(t, e); a.Action != "move" || a.Outcome != app.AuditFailed || a.Tenant != tc.name {
			t.Errorf("audit of a refused move = %+v", a)
		}
	}
	if got, _ := e.control.TenantByName(ctx, "acme"); got.Region != "local" || got.Location != tn.Location {
		t.Fatalf("record changed: %+v", got)
	}
}

func TestMoveTenantFailedVerifyLeavesTenantIntact(t *testing.T) {
	e := newMoveEnv(t)
	ctx := context.Background()
	tn := e.createTenant(t, "acme")
	addTodos(t, e, tn, 4)
	var copyLoc string
	e.tenants.moveCopied = func(ctx context.Context, loc string) error {
		copyLoc = loc
		db, err := e.provider.Open(ctx, loc)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.ExecContext(ctx, "DELETE FROM todos WHERE id = 1") // a copy that lost a row
		return err
	}
	_, err := e.tenants.MoveTenant(ctx, "acme", "ams", "admin@example.com")
	wantCode(t, err, app.EINTERNAL)
	if !strings.Contains(app.ErrorMessage(err), "row counts differ") {
		t.Fatalf("error = %v", err)
	}
	if copyLoc == "" || copyLoc == tn.Location {
		t.Fatalf("copy location %q", copyLoc)
	}
	if _, err := os.Stat(copyLoc); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the failed copy is still there: %v", err)
	}
	got, err := e.control.TenantByName(ctx, "acme")
	if err != nil || got.Region != "local" || got.Location != tn.Location || got.Status != app.TenantActive {
		t.Fatalf("record after a failed move: %+v, %v", got, err)
	}
	if titles := todoTitles(t, e, "acme"); len(titles) != 4 {
		t.Fatalf("todos after a failed move = %v", titles)
	}
	if a := lastAudit(t, e); a.Outcome != app.AuditFailed || !strings.Contains(a.Error, "row counts differ") {
		t.Fatalf("audit = %+v", a)
	}
	if staged := stagedFiles(t, filepath.Join(e.dir, "tenants")); len(staged) > 0 {
		t.Fatalf("staged files left: %v", staged)
	}
}

// A write is never lost to a move: one in flight when the move starts
// commits first and is copied; one tried during the copy is refused.
func TestMoveTenantWritesAreCopiedOrRefused(t *testing.T) {
	e := newMoveEnv(t)
	ctx := context.Background()
	tn := e.createTenant(t, "acme")

	inFlight, err := e.pool.Acquire(ctx, tn) // a request that holds the database
	if err != nil {
		t.Fatal(err)
	}
	var during error
	e.tenants.moveCopied = func(ctx context.Context, loc string) error {
		_, during = addOne(e, tn, "during the move")
		return nil
	}
	done := make(chan error, 1)
	go func() {
		_, err := e.tenants.MoveTenant(ctx, "acme", "ams", "cli")
		done <- err
	}()
	if _, _, err := inFlight.AddTodo(ctx, "in flight"); err != nil {
		t.Fatal(err)
	}
	inFlight.Release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	wantCode(t, during, app.EUNAVAILABLE)
	if _, err := addOne(e, mustFind(t, e, "acme"), "after the move"); err != nil {
		t.Fatal(err)
	}
	titles := todoTitles(t, e, "acme")
	if strings.Join(titles, ",") != "in flight,after the move" && strings.Join(titles, ",") != "after the move,in flight" {
		t.Fatalf("todos = %v", titles)
	}
}

// mustFind returns the live tenant name as the host would find it.
func mustFind(t *testing.T, e *testEnv, name string) *app.Tenant {
	t.Helper()
	tn, err := e.tenants.FindTenantByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

// A request that keeps the database longer than evictTimeout makes the
// move give up, untouched, rather than copy under a write still to come.
func TestMoveTenantGivesUpOnABusyTenant(t *testing.T) {
	if testing.Short() {
		t.Skip("waits evictTimeout")
	}
	e := newMoveEnv(t)
	ctx := context.Background()
	tn := e.createTenant(t, "acme")
	busy, err := e.pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	state := e.state(t)
	_, err = e.tenants.MoveTenant(ctx, "acme", "ams", "cli")
	wantCode(t, err, app.EUNAVAILABLE)
	e.wantState(t, state)
	if _, _, err := busy.AddTodo(ctx, "late write"); err != nil {
		t.Fatal(err)
	}
	busy.Release()
	if titles := todoTitles(t, e, "acme"); len(titles) != 1 {
		t.Fatalf("todos after a refused move = %v", titles)
	}
	if got, _ := e.control.TenantByName(ctx, "acme"); got.Region != "local" || got.Location != tn.Location {
		t.Fatalf("record changed: %+v", got)
	}
}
