package store

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"todos/app"
)

// TestMovePendingCopyIsNotAStray: while a move runs, reconcile does not
// report its copy as a stray database (removing it then would race the
// switch); a finished move leaves no record behind.
func TestMovePendingCopyIsNotAStray(t *testing.T) {
	e := newMoveEnv(t)
	ctx := context.Background()
	tn := e.createTenant(t, "acme")
	addTodos(t, e, tn, 2)
	var during DriftReport
	e.tenants.moveCopied = func(ctx context.Context, loc string) error {
		var err error
		during, err = e.tenants.FindDrift(ctx)
		return err
	}
	if _, err := e.tenants.MoveTenant(ctx, "acme", "ams", "cli"); err != nil {
		t.Fatal(err)
	}
	if !during.Listed || len(during.Drift) != 0 {
		t.Fatalf("during a move: listed %v, drift %v", during.Listed, during.Drift)
	}
	if pm, err := e.control.pendingMoves(ctx); err != nil || len(pm) != 0 {
		t.Fatalf("pending moves after the move: %v, %v", pm, err)
	}
}

// TestStaleMovesAreSettled: a move that a crash cut off is reported once
// it is stale and settled by what the record says: not switched, the copy
// goes and the tenant stays; switched, the old database goes.
func TestStaleMovesAreSettled(t *testing.T) {
	e := newMoveEnv(t)
	ctx := context.Background()
	tn := e.createTenant(t, "acme")
	addTodos(t, e, tn, 2)
	// A crash after the copy was adopted, before the switch.
	copyLoc := stageCopyOf(t, e, tn, "t_"+tn.ID[2:]+"_mdeadbeef")
	old := time.Now().Add(-2 * staleMove)
	pm := pendingMove{CopyID: "t_" + tn.ID[2:] + "_mdeadbeef", TenantID: tn.ID, Source: tn.Location, StartedAt: old}
	if err := e.control.addPendingMove(ctx, pm); err != nil {
		t.Fatal(err)
	}
	if err := e.control.setPendingCopy(ctx, pm.CopyID, copyLoc); err != nil {
		t.Fatal(err)
	}
	rep, err := e.tenants.FindDrift(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Drift) != 1 || rep.Drift[0].Kind != DriftStaleMove {
		t.Fatalf("drift = %v", rep.Drift)
	}
	if err := e.tenants.FixDrift(ctx, rep.Drift[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(copyLoc); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the copy of an unswitched move is still there: %v", err)
	}
	if titles := todoTitles(t, e, "acme"); len(titles) != 2 {
		t.Fatalf("todos after settling = %v", titles)
	}

	// A crash after the switch, before the old database was removed.
	copyLoc = stageCopyOf(t, e, tn, "t_"+tn.ID[2:]+"_mfeedface")
	pm = pendingMove{CopyID: "t_" + tn.ID[2:] + "_mfeedface", TenantID: tn.ID, Source: tn.Location, Copy: copyLoc, StartedAt: old}
	if err := e.control.addPendingMove(ctx, pm); err != nil {
		t.Fatal(err)
	}
	if err := e.control.setPendingCopy(ctx, pm.CopyID, copyLoc); err != nil {
		t.Fatal(err)
	}
	if _, err := e.control.switchTenantRegion(ctx, tn.ID, tn.Location, "ams", copyLoc, app.AuditEntry{Actor: "cli", Action: "move", Outcome: app.AuditOK}); err != nil {
		t.Fatal(err)
	}
	e.pool.Evict(tn.ID)
	rep, err = e.tenants.FindDrift(ctx)
	if err != nil || len(rep.Drift) != 1 || rep.Drift[0].Kind != DriftStaleMove {
		t.Fatalf("drift = %v, %v", rep.Drift, err)
	}
	if err := e.tenants.FixDrift(ctx, rep.Drift[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tn.Location); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the old database of a switched move is still there: %v", err)
	}
	if titles := todoTitles(t, e, "acme"); len(titles) != 2 {
		t.Fatalf("todos after settling a switched move = %v", titles)
	}
	if rep, err := e.tenants.FindDrift(ctx); err != nil || len(rep.Drift) != 0 {
		t.Fatalf("drift after settling: %v, %v", rep.Drift, err)
	}
}

// stageCopyOf copies tn's database and has the provider adopt it as dbID,
// as a move does, and returns the copy's location.
func stageCopyOf(t *testing.T, e *testEnv, tn *app.Tenant, dbID string) string {
	t.Helper()
	ctx := context.Background()
	src, err := e.provider.Open(ctx, tn.Location)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	staged, err := e.provider.Stage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.ExecContext(ctx, "VACUUM INTO ?", staged); err != nil {
		t.Fatal(err)
	}
	loc, err := e.provider.Adopt(ctx, dbID, "ams", staged)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
