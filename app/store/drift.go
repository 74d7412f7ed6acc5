package store

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"todos/app"
)

// Drift between the control plane and the provider: databases that no
// tenant record points to (a compensation that failed, a crash between a
// move's switch and its removal of the old database), and tenant records
// whose database is gone. `todos tenants reconcile` reports it and, with
// --fix, repairs it (FixDrift).

// DriftKind says what is out of step.
type DriftKind string

// Kinds of drift.
const (
	// DriftOrphan is a database that no tenant record points to.
	DriftOrphan DriftKind = "orphan"
	// DriftMissing is a tenant record whose database does not exist.
	DriftMissing DriftKind = "missing"
	// DriftStaleMove is a region move that never finished (a crash, or a
	// switch whose outcome was not known): its source may still refuse
	// writes and its copy may remain.
	DriftStaleMove DriftKind = "stale-move"
)

// staleMove is how old a recorded move must be before reconcile takes it
// for one that will never finish (a move takes seconds).
const staleMove = 15 * time.Minute

// Drift is one difference between the control plane and the provider.
type Drift struct {
	Kind     DriftKind
	Location string // the database's location (the record's, for DriftMissing)
	TenantID string // the tenant the database is named after
	Tenant   string // its name, when a record exists
	Status   app.TenantStatus
	Move     pendingMove // for DriftStaleMove
}

// String describes d for a person.
func (d Drift) String() string {
	switch {
	case d.Kind == DriftStaleMove:
		return fmt.Sprintf("tenant %s: a move to another region started %s never finished (source %s, copy %s)",
			d.Tenant, d.Move.StartedAt.UTC().Format(time.RFC3339), d.Move.Source, cmp.Or(d.Move.Copy, "not made"))
	case d.Kind == DriftMissing:
		return fmt.Sprintf("tenant %s (%s): its database %s does not exist", d.Tenant, d.Status, d.Location)
	case d.Tenant != "":
		return fmt.Sprintf("database %s: tenant %s points to another database (left over by a move or a restore)", d.Location, d.Tenant)
	}
	return fmt.Sprintf("database %s: no tenant record (tenant id %s)", d.Location, d.TenantID)
}

// DriftReport is what FindDrift found.
type DriftReport struct {
	Drift []Drift
	// Listed is false when the provider cannot list its databases (a
	// libSQL server's admin API has no such call): only missing databases
	// were looked for.
	Listed    bool
	Checked   int   // tenant records checked
	Unchecked int   // tenant records whose database could not be asked about
	FirstErr  error // why the first of them could not
}

// StoredDatabase is a database a provider holds, live or in the trash.
type StoredDatabase struct {
	Location   string
	DatabaseID string // its own name: the tenant id, or a move's copy id
	TenantID   string // the tenant it is named after
}

// DatabaseLister is implemented by providers that can list every tenant
// database they hold (staged files excluded).
type DatabaseLister interface {
	ListDatabases(ctx context.Context) ([]StoredDatabase, error)
}

// FindDrift compares every tenant record with the provider's databases.
// Records of creations in progress are left to RemoveAbandoned, and those
// in the trash whose database is gone to the trash's retention purge (that
// is where FixDrift puts them).
func (s *Tenants) FindDrift(ctx context.Context) (DriftReport, error) {
	var rep DriftReport
	records, err := s.control.queryTenants(ctx, "1 = 1 ORDER BY name")
	if err != nil {
		return rep, err
	}
	byID := make(map[string]*app.Tenant, len(records))
	for _, t := range records {
		byID[t.ID] = t
		if t.Status == tenantCreating || t.Status == app.TenantDeleted || t.Location == "" {
			continue
		}
		rep.Checked++
		_, err := s.provider.Size(ctx, t.Location)
		switch app.ErrorCode(err) {
		case "":
		case app.ENOTFOUND:
			rep.Drift = append(rep.Drift, Drift{Kind: DriftMissing, Location: t.Location, TenantID: t.ID, Tenant: t.Name, Status: t.Status})
		default:
			rep.Checked--
			rep.Unchecked++
			if rep.FirstErr == nil {
				rep.FirstErr = fmt.Errorf("tenant %s: %w", t.Name, err)
			}
		}
	}
	moves, err := s.control.pendingMoves(ctx)
	if err != nil {
		return rep, err
	}
	// The copies and sources of recorded moves are theirs to settle
	// (running, or reported below as stale moves), never strays.
	moving := map[string]bool{}
	for _, pm := range moves {
		moving[pm.CopyID], moving[pm.Source] = true, true
		if time.Since(pm.StartedAt) < staleMove {
			continue
		}
		d := Drift{Kind: DriftStaleMove, Location: pm.Source, TenantID: pm.TenantID, Move: pm}
		if t := byID[pm.TenantID]; t != nil {
			d.Tenant, d.Status = t.Name, t.Status
		}
		rep.Drift = append(rep.Drift, d)
	}
	lister, ok := ProviderAs[DatabaseLister](s.provider)
	if !ok {
		return rep, nil
	}
	rep.Listed = true
	dbs, err := lister.ListDatabases(ctx)
	if err != nil {
		return rep, err
	}
	for _, db := range dbs {
		t := byID[db.TenantID]
		switch {
		case moving[db.DatabaseID] || moving[db.Location]:
		case t == nil:
			rep.Drift = append(rep.Drift, Drift{Kind: DriftOrphan, Location: db.Location, TenantID: db.TenantID})
		case t.Status == tenantCreating || t.Location == db.Location:
		default:
			rep.Drift = append(rep.Drift, Drift{Kind: DriftOrphan, Location: db.Location, TenantID: db.TenantID, Tenant: t.Name, Status: t.Status})
		}
	}
	return rep, nil
}

// FixDrift repairs d: an orphan database is removed (after checking again
// that no record points to it); a tenant whose database is missing is moved
// to the trash, so that its address says it was deleted instead of failing,
// and the trash's retention purges the record (a database put back at its
// location can be restored until then).
func (s *Tenants) FixDrift(ctx context.Context, d Drift) error {
	t, err := s.control.oneTenant(ctx, "id = ?", d.TenantID)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return err
	}
	switch d.Kind {
	case DriftStaleMove:
		return s.fixStaleMove(ctx, t, d.Move)
	case DriftOrphan:
		if t != nil && (t.Location == d.Location || t.Status == tenantCreating) {
			return app.Errorf(app.ECONFLICT, "Tenant %s now uses %s: not removed.", t.Name, d.Location)
		}
		return s.provider.Remove(ctx, d.Location)
	case DriftMissing:
		if t == nil || t.Location != d.Location {
			return app.Errorf(app.ECONFLICT, "Tenant %s changed since it was checked: run reconcile again.", d.Tenant)
		}
		// Ask once more: only a database the provider still says is
		// missing is given up on.
		if _, err := s.provider.Size(ctx, t.Location); app.ErrorCode(err) != app.ENOTFOUND {
			return app.Errorf(app.ECONFLICT, "Tenant %s's database answered this time (%v): left as it is.", t.Name, err)
		}
		if _, err := s.control.markTrashed(ctx, t.ID, time.Now()); err != nil {
			return err
		}
		s.pool.Evict(t.ID)
		return nil
	}
	return fmt.Errorf("unknown drift %q", d.Kind)
}

// fixStaleMove finishes or undoes the move pm that never ended, by what
// t's record says: switched to the copy, the source is removed; not
// switched, the copy is removed and the source takes writes again.
func (s *Tenants) fixStaleMove(ctx context.Context, t *app.Tenant, pm pendingMove) error {
	if t != nil && pm.Copy != "" && t.Location == pm.Copy {
		if err := s.provider.Remove(ctx, pm.Source); err != nil {
			return err
		}
	} else {
		if pm.Copy != "" {
			if err := s.provider.Remove(ctx, pm.Copy); err != nil {
				return err
			}
		}
		if wb, ok := ProviderAs[WriteBlocker](s.provider); ok && t != nil && t.Location == pm.Source {
			if err := wb.BlockWrites(ctx, pm.Source, false); err != nil && app.ErrorCode(err) != app.ENOTFOUND {
				return err
			}
		}
	}
	return s.control.deletePendingMove(ctx, pm.CopyID)
}

// LocalProvider implements DatabaseLister.
var _ DatabaseLister = LocalProvider{}

// ListDatabases lists the tenant database files in Dir and in the trash.
func (p LocalProvider) ListDatabases(ctx context.Context) ([]StoredDatabase, error) {
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return nil, err
	}
	trash, err := p.trashDir()
	if err != nil {
		return nil, err
	}
	var out []StoredDatabase
	for _, d := range []string{dir, trash} {
		entries, err := os.ReadDir(d)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			return nil, err
		}
		for _, e := range entries {
			base, ok := strings.CutSuffix(e.Name(), ".db")
			if !ok || !e.Type().IsRegular() {
				continue // staged files, -wal and -shm companions, directories
			}
			if id := TenantIDOf(base); id != "" {
				out = append(out, StoredDatabase{Location: filepath.Join(d, e.Name()), DatabaseID: base, TenantID: id})
			}
		}
	}
	return out, nil
}

// TenantIDOf returns the tenant id a database is named after: its name, or
// the part before "_m" for the copy a region move made ("" when name is not
// a tenant's database name).
func TenantIDOf(name string) string {
	if !strings.HasPrefix(name, "t_") {
		return ""
	}
	id := name
	if i := strings.Index(name, "_m"); i > 0 {
		id = name[:i]
	}
	if !ValidTenantID(id) {
		return ""
	}
	return id
}
