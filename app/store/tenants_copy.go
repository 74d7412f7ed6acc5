package store

import (
	"context"
	"fmt"
	"io"
	"os"

	"todos/app"
)

// TenantSize returns the size in bytes of t's database (live or in the
// trash), its write-ahead log included. It does not open the database.
func (s *Tenants) TenantSize(ctx context.Context, t *app.Tenant) (int64, error) {
	return s.provider.Size(ctx, t.Location)
}

// CloneTenant copies the live tenant source into a new tenant named target
// in the same region. The copy is a consistent snapshot taken while source
// keeps serving requests (see snapshot), or, when the provider is a
// Brancher, a branch its servers make (see branchTenant). It keeps
// source's users, so its owner can sign in to the clone; its sessions are
// not carried over (adopt or branch clears them). A taken target name
// gives ECONFLICT.
func (s *Tenants) CloneTenant(ctx context.Context, source, target string) (*app.Tenant, error) {
	src, err := s.liveTenant(ctx, source)
	if err != nil {
		return nil, err
	}
	name, err := app.NormalizeTenantName(target)
	if err != nil {
		return nil, err
	}
	if b, ok := ProviderAs[Brancher](s.provider); ok {
		return s.branchTenant(ctx, b, src, name)
	}
	return s.createFromFile(ctx, name, src.Region, func(ctx context.Context) (string, error) {
		return s.snapshot(ctx, src)
	})
}

// ExportTenant writes a consistent snapshot of the live tenant name's
// database, a plain SQLite file, to w and returns how many bytes it wrote.
// The copy holds no sessions. Tenants in the trash give ENOTFOUND.
func (s *Tenants) ExportTenant(ctx context.Context, name string, w io.Writer) (int64, error) {
	return s.exportScrubbed(ctx, name, w, scrubCopy)
}

// exportScrubbed writes a snapshot of the live tenant name's database to w
// after each of scrubs has changed the staged copy.
func (s *Tenants) exportScrubbed(ctx context.Context, name string, w io.Writer,
	scrubs ...func(context.Context, string) error) (int64, error) {
	t, err := s.liveTenant(ctx, name)
	if err != nil {
		return 0, err
	}
	path, err := s.snapshot(ctx, t)
	if err != nil {
		return 0, err
	}
	defer s.removeStaged(ctx, path)
	for _, scrub := range scrubs {
		if err := scrub(ctx, path); err != nil {
			return 0, err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}

// snapshot copies t's database into a new staged file with VACUUM INTO (or,
// when the provider is a Snapshotter, with its Snapshot) and returns its
// path. The statement runs on the pool's handle, so it queues
// with the tenant's requests on its one connection and reads one
// transaction's view: every write committed before it started is in the
// copy, none that commits later, and writers simply wait for it. The copy is
// compact and in rollback-journal mode, a single self-contained file.
func (s *Tenants) snapshot(ctx context.Context, t *app.Tenant) (string, error) {
	path, err := s.provider.Stage(ctx)
	if err != nil {
		return "", err
	}
	if err := s.vacuumInto(ctx, t, path); err != nil {
		s.removeStaged(ctx, path)
		return "", err
	}
	return path, nil
}

// vacuumInto writes a copy of t's database to the empty file at path, on
// the pool's handle.
func (s *Tenants) vacuumInto(ctx context.Context, t *app.Tenant, path string) error {
	tdb, err := s.pool.Acquire(ctx, t)
	if err != nil {
		return err
	}
	defer tdb.Release()
	if sn, ok := s.provider.(Snapshotter); ok {
		if err := sn.Snapshot(ctx, tdb.db, path); err != nil {
			return fmt.Errorf("copy the database of %s: %w", t.Name, err)
		}
		return nil
	}
	if _, err := tdb.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("copy the database of %s: %w", t.Name, err)
	}
	return nil
}

// scrubCopy removes what a copy of a tenant's database must not carry (its
// sessions, password reset links and the deleted items kept for undo) from
// the staged file at path. A file of a schema older than those (an upload
// not yet migrated) has none.
func scrubCopy(ctx context.Context, path string) error {
	db, err := openPlain(fileDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := clearPasswordResets(ctx, db); err != nil {
		return err
	}
	if err := clearCopyTable(ctx, db, "deleted_todos", "deleted items"); err != nil {
		return err
	}
	var tables int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sessions'").Scan(&tables); err != nil {
		return fmt.Errorf("read the schema of a copy: %w", err)
	}
	if tables == 0 {
		return db.Close()
	}
	if err := clearSessions(ctx, db); err != nil {
		return fmt.Errorf("clear the sessions of a copy: %w", err)
	}
	return db.Close()
}
