package store_test

import (
	"context"
	"database/sql/driver"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/sqldtest"
	"todos/app/store"
	"todos/app/store/sqld"
)

// TestMoveWithUnknownOutcomeKeepsBoth: when the shared control database
// stops answering during a move's switch, the move cannot know whether
// its switch landed: it says so, and keeps both databases and its record
// for reconcile, instead of removing the copy the record may point to.
func TestMoveWithUnknownOutcomeKeepsBoth(t *testing.T) {
	srv := sqldtest.Start(t)
	srv.CreateNamespace("control")
	dir := t.TempDir()
	control, err := store.OpenControl(filepath.Join(dir, "control.db"), cheapPasswords, store.WithReplica(store.Replica{
		URL: srv.NamespaceURL("control"),
		Guard: func(inner driver.Connector) driver.Connector {
			return sqld.Guard(inner, 2*time.Second, store.ControlUnavailable)
		}}))
	if err != nil {
		t.Fatal(err)
	}
	schema, err := os.ReadFile("../../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := store.ParseMigrations(string(schema))
	if err != nil {
		t.Fatal(err)
	}
	regions := []app.Region{{Code: "local", Name: "Here"}, {Code: "ams", Name: "Amsterdam"}}
	p := store.LocalProvider{Dir: filepath.Join(dir, "tenants"), Offered: regions}
	pool := store.NewTenantPool(p, ms, control, 4)
	t.Cleanup(func() { _ = pool.Close(); _ = control.Close() })
	tenants := store.NewTenants(control, p, pool, app.PasswordParams{Time: 1, Memory: 64, Threads: 1})
	ctx := context.Background()
	tn, _, err := tenants.CreateTenant(ctx, app.CreateTenantInput{Name: "acme", Region: "local", OwnerEmail: "o@example.com", OwnerPassword: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	var copyLoc string
	var resume func()
	store.SetMoveCopied(tenants, func(ctx context.Context, loc string) error {
		copyLoc = loc
		resume = srv.Pause() // the switch that follows gets no answer
		return nil
	})
	_, err = tenants.MoveTenant(ctx, "acme", "ams", "cli")
	resume()
	if app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "may or may not have been recorded") {
		t.Fatalf("move with the control database gone: %v", err)
	}
	for _, f := range []string{tn.Location, copyLoc} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s was removed although the switch may have landed: %v", filepath.Base(f), err)
		}
	}
	if n, err := store.PendingMoves(control); err != nil || n != 1 {
		t.Errorf("recorded moves after an unknown outcome: %d, %v (want 1, for reconcile)", n, err)
	}
}
