package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"todos/app"
)

// MoveTenant moves the active tenant name to the region toRegion and audits
// it (done or failed) as done by actor:
//
//  1. it refuses an unknown region, the tenant's own region, and a tenant
//     that is suspended, in the trash or being created;
//  2. it holds the tenant: it waits for the requests using its database
//     (up to evictTimeout, else EUNAVAILABLE and nothing moved), closes it,
//     and refuses every request for it in this process with EUNAVAILABLE
//     ("being moved") until the move ends, so no write can land in the old
//     database after the copy was taken. A write is refused, never lost:
//     one committed before the hold is in the copy, one tried during it
//     fails and can be retried;
//  3. it copies the database into a staged file (VACUUM INTO, or the
//     provider's Snapshot) and has the provider adopt it in toRegion under a
//     new database name (the tenant id and a random suffix), so the old
//     database stays untouched until the switch; sessions are kept, so
//     users stay signed in;
//  4. it verifies the copy: the same tables with the same row counts as the
//     source, the same user_version, and PRAGMA integrity_check "ok";
//  5. it switches the tenant's record (region and location) and writes the
//     audit entry in one control-plane transaction, which bumps routing;
//  6. it removes the old database. It is removed, not moved to the trash:
//     the point of a move is that the data leave the old region, the copy
//     was verified first, and a trashed database that no tenant record
//     points to would never be purged. If the removal fails the move still
//     stands and TenantMove.Leftover names what to remove.
//
// Any failure before the switch removes the copy and leaves the tenant
// exactly as it was. The copy is made even when both regions are one place
// (the local provider keeps every region in its one directory; a single
// libSQL server given --regions keeps them all as namespaces of one
// server): there the record alone says where a tenant lives, but one path
// for every provider means the copy, its checks and the audit are the same
// everywhere, and on Turso, whose database names are unique across groups,
// the new name is what lets the copy exist beside the source.
//
// The hold covers this process only: run moves from the admin app of the
// instance serving the tenant (on Fly, its request is replayed there), or
// with the server stopped.
func (s *Tenants) MoveTenant(ctx context.Context, name, toRegion, actor string) (app.TenantMove, error) {
	m, err := s.moveTenant(ctx, name, toRegion, actor)
	if err != nil {
		e := app.AuditEntry{Actor: actor, Action: "move", Tenant: name, Detail: m.Detail(),
			Outcome: app.AuditFailed, Error: app.ErrorMessage(err)}
		if aerr := s.control.RecordAudit(context.WithoutCancel(ctx), e); aerr != nil {
			slog.Error("store: could not audit a failed move", "tenant", name, "err", aerr)
		}
	}
	return m, err
}

// moveTenant is MoveTenant but for the audit of a failure.
func (s *Tenants) moveTenant(ctx context.Context, name, toRegion, actor string) (app.TenantMove, error) {
	m := app.TenantMove{To: toRegion}
	t, err := s.liveTenant(ctx, name)
	if err != nil {
		return m, err
	}
	m.From = t.Region
	if !hasRegion(s.provider, toRegion) {
		return m, unknownRegion(s.provider, toRegion)
	}
	unlock := s.locks.lock(t.ID)
	defer unlock()
	if t, err = s.control.TenantByID(ctx, t.ID); err != nil { // as of now
		return m, err
	}
	m.From = t.Region
	switch {
	case t.Status == app.TenantSuspended:
		return m, app.Errorf(app.EINVALID, "The list %q is suspended. Resume it before moving it.", t.Name)
	case t.Region == toRegion:
		return m, app.Errorf(app.EINVALID, "The list %q is already in region %s.", t.Name, toRegion)
	}
	closed, release := s.pool.hold(t.ID)
	defer release()
	select { // unlike a trash, a move cannot let a late write go on in the old database
	case <-closed:
	case <-time.After(evictTimeout):
		return m, app.Errorf(app.EUNAVAILABLE, "The list %q is still busy with a request. Nothing was moved: try again in a moment.", t.Name)
	}
	// The move is recorded before anything is made, so that a crash
	// leaves a trace `todos tenants reconcile --fix` resolves (and that
	// reconcile does not take the copy for a stray database meanwhile).
	dbID, err := movedID(t.ID)
	if err != nil {
		return m, err
	}
	if err := s.control.addPendingMove(ctx, pendingMove{CopyID: dbID, TenantID: t.ID, Source: t.Location, StartedAt: time.Now()}); err != nil {
		return m, err
	}
	unknown := false // the switch's outcome is not known: keep every trace
	defer func() {
		if unknown {
			return
		}
		if err := s.control.deletePendingMove(context.WithoutCancel(ctx), dbID); err != nil {
			slog.Error("store: could not forget a finished move", "tenant", t.ID, "copy", dbID, "err", err)
		}
	}()
	// Other servers (sharing the control plane) may still write to the old
	// database until they see the switch: where the engine can, it refuses
	// them from now on, and they get an error instead of a lost write.
	moved := false // the record points to the copy
	if wb, ok := ProviderAs[WriteBlocker](s.provider); ok {
		if err := wb.BlockWrites(ctx, t.Location, true); err != nil {
			return m, err
		}
		defer func() {
			if !moved && !unknown {
				if err := wb.BlockWrites(context.WithoutCancel(ctx), t.Location, false); err != nil {
					slog.Error("store: could not unblock the writes of a tenant whose move failed", "tenant", t.ID,
						"location", t.Location, "err", err)
				}
			}
		}()
	}
	loc, tables, err := s.copyVerified(ctx, t, toRegion, dbID)
	if err != nil {
		return m, err
	}
	m.Tables = tables
	ctx = context.WithoutCancel(ctx) // the copy is made: finish, or remove it
	e := app.AuditEntry{Actor: actor, Action: "move", Tenant: t.Name, Detail: m.Detail()}
	switched, err := s.control.switchTenantRegion(ctx, t.ID, t.Location, toRegion, loc, e)
	if err != nil {
		// On a remote control plane the commit may have landed although
		// the call failed (its answer timed out): ask again before
		// removing anything.
		cur, rerr := s.control.freshTenantByID(ctx, t.ID)
		switch {
		case rerr != nil:
			unknown = true
			return m, app.WrapError(app.EUNAVAILABLE, fmt.Sprintf("The move of %q may or may not have been recorded: the control database did not answer. "+
				"Both databases are kept; in 15 minutes `todos tenants reconcile --fix` settles it by what the record says.", t.Name), err)
		case cur.Location == loc:
			switched, err = true, nil
			s.control.routingChanged()
		}
	}
	if err == nil && !switched {
		err = fmt.Errorf("move %s: its record changed during the move", t.Name)
	}
	if err != nil {
		s.removeCopy(ctx, loc)
		return m, err
	}
	moved = true
	if err := s.provider.Remove(ctx, t.Location); err != nil {
		slog.Error("store: a moved tenant's old database could not be removed", "tenant", t.ID,
			"location", t.Location, "err", err)
		m.Leftover = t.Location
	}
	m.Tenant, err = s.control.TenantByID(ctx, t.ID)
	return m, err
}

// copyVerified copies t's database, which the caller holds closed, into
// region under a new database name, checks the copy against it (see
// verifyCopy) and returns the copy's location and row counts. On failure
// nothing of the copy remains.
func (s *Tenants) copyVerified(ctx context.Context, t *app.Tenant, region, dbID string) (string, []app.TableRows, error) {
	src, err := s.provider.Open(ctx, t.Location)
	if err != nil {
		return "", nil, err
	}
	defer src.Close()
	staged, err := s.provider.Stage(ctx)
	if err != nil {
		return "", nil, err
	}
	if err := s.copyInto(ctx, src, staged); err != nil {
		s.removeStaged(ctx, staged)
		return "", nil, fmt.Errorf("copy the database of %s: %w", t.Name, err)
	}
	loc, err := s.provider.Adopt(ctx, dbID, region, staged)
	if err != nil {
		s.removeStaged(ctx, staged)
		return "", nil, err
	}
	err = s.control.setPendingCopy(ctx, dbID, loc)
	if err == nil && s.moveCopied != nil {
		err = s.moveCopied(ctx, loc)
	}
	var tables []app.TableRows
	if err == nil {
		tables, err = s.verifyCopy(ctx, src, loc)
	}
	if err != nil {
		s.removeCopy(ctx, loc)
		return "", nil, err
	}
	return loc, tables, nil
}

// copyInto writes a copy of the database behind src into the empty staged
// file at path, as snapshot does.
func (s *Tenants) copyInto(ctx context.Context, src *sql.DB, path string) error {
	if sn, ok := s.provider.(Snapshotter); ok {
		return sn.Snapshot(ctx, src, path)
	}
	_, err := src.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}

// removeCopy removes a copy that will not be used, even if ctx is
// cancelled, and logs a failure.
func (s *Tenants) removeCopy(ctx context.Context, location string) {
	if err := s.provider.Remove(context.WithoutCancel(ctx), location); err != nil {
		slog.Error("store: could not remove the copy of a failed move", "location", location, "err", err)
	}
}

// movedID returns the database name of a copy of tenant id's database:
// the id, "_m" and 8 random hex digits (44 characters for the store's ids,
// within what every provider takes).
func movedID(id string) (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	moved := id + "_m" + hex.EncodeToString(b)
	if !ValidTenantID(moved) {
		return "", fmt.Errorf("move: tenant id %q is too long to name a copy", id)
	}
	return moved, nil
}
