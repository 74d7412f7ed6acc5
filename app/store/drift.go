package store

import (
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
)

// Drift is one difference between the control plane and the provider.
type Drift struct {
	Kind     DriftKind
	Location string // the database's location (the record's, for DriftMissing)
	TenantID string // the tenant the database is named after
	Tenant   string // its name, when a record exists
	Status   app.TenantStatus
}

// String describes d for a person.
func (d Drift) String() string {
	switch {
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
	Listed  bool
	Checked int // tenant records checked
}

// StoredDatabase is a database a provider holds, live or in the trash.
type StoredDatabase struct {
	Location string
	TenantID string // the tenant it is named after
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
			return rep, fmt.Errorf("tenant %s: %w", t.Name, err)
		}
	}
	lister, ok := providerAs[DatabaseLister](s.provider)
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
	case DriftOrphan:
		if t != nil && (t.Location == d.Location || t.Status == tenantCreating) {
			return app.Errorf(app.ECONFLICT, "Tenant %s now uses %s: not removed.", t.Name, d.Location)
		}
		return s.provider.Remove(ctx, d.Location)
	case DriftMissing:
		if t == nil || t.Location != d.Location {
			return app.Errorf(app.ECONFLICT, "Tenant %s changed since it was checked: run reconcile again.", d.Tenant)
		}
		if _, err := s.control.markTrashed(ctx, t.ID, time.Now()); err != nil {
			return err
		}
		s.pool.Evict(t.ID)
		return nil
	}
	return fmt.Errorf("unknown drift %q", d.Kind)
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
				out = append(out, StoredDatabase{Location: filepath.Join(d, e.Name()), TenantID: id})
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
	if !validTenantID(id) {
		return ""
	}
	return id
}
