package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"todos/app"
)

// DefaultImportLimit is the largest database file ImportTenant accepts when
// the input sets no limit.
const DefaultImportLimit = 50 << 20

// ImportTenant creates the tenant in.Name in in.Region from an uploaded
// database file. The upload is copied to a staged file (refused beyond the
// size limit), checked by checkImport (an intact SQLite file with the tenant
// schema of a version this program knows), then adopted and migrated to the
// latest version, all or nothing as CreateTenant. Every refusal is an
// EINVALID error that says why, and leaves no file and no record behind.
func (s *Tenants) ImportTenant(ctx context.Context, in app.ImportInput) (*app.Tenant, error) {
	name, err := app.NormalizeTenantName(in.Name)
	if err != nil {
		return nil, err
	}
	if !hasRegion(s.provider, in.Region) {
		return nil, app.Errorf(app.EINVALID, "Please choose a region: %s.", s.regionCodes())
	}
	if in.File == nil {
		return nil, app.Errorf(app.EINVALID, "Please choose a database file to import.")
	}
	limit := in.MaxBytes
	if limit <= 0 {
		limit = DefaultImportLimit
	}
	return s.createFromFile(ctx, name, in.Region, func(ctx context.Context) (string, error) {
		path, err := s.receive(ctx, in.File, limit)
		if err != nil {
			return "", err
		}
		if err := checkImport(ctx, path, s.pool.migrations); err != nil {
			s.removeStaged(ctx, path)
			return "", err
		}
		return path, nil
	})
}

// receive copies at most limit bytes of r into a new staged file and returns
// its path. A longer r gives EINVALID and leaves no file.
func (s *Tenants) receive(ctx context.Context, r io.Reader, limit int64) (string, error) {
	path, err := s.provider.Stage(ctx)
	if err != nil {
		return "", err
	}
	n, err := copyToFile(path, io.LimitReader(r, limit+1))
	switch {
	case err != nil:
		err = app.WrapError(app.EINVALID, "The file could not be received. Please try again.", err)
	case n > limit:
		err = app.Errorf(app.EINVALID, "The file is larger than the %s limit.", formatLimit(limit))
	}
	if err != nil {
		s.removeStaged(ctx, path)
		return "", err
	}
	return path, nil
}

// copyToFile writes r to the existing file at path, flushed to disk.
func copyToFile(path string, r io.Reader) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	return n, errors.Join(err, f.Close())
}

// formatLimit writes a size limit for people: "50 MB", "64 KB", "100 bytes".
func formatLimit(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
