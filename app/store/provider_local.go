package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"todos/app"
)

// LocalRegion is LocalProvider's region when it is given none.
var LocalRegion = app.Region{Code: "local", Name: "This machine"}

// LocalProvider keeps each tenant database in a file {Dir}/{tenantID}.db.
// The file is named after the generated tenant id, never the name a user
// typed. Its locations are absolute file paths inside Dir. Databases in the
// trash are files {TrashDir}/{tenantID}.db; staged files are
// {Dir}/staging-{random}.tmp, so that adopting one is a rename.
type LocalProvider struct {
	Dir string
	// TrashDir holds trashed databases. It must be on the same file system
	// as Dir. Empty means a directory named "trash" beside Dir.
	TrashDir string
	// Offered lists the regions it offers (--regions); empty means
	// LocalRegion alone. Every region is stored on this machine's disk,
	// in Dir: a tenant's region is recorded in the control plane, not in
	// where its file is.
	Offered []app.Region
}

// Provider is implemented by LocalProvider.
var _ Provider = LocalProvider{}

// Regions returns the offered regions, or LocalRegion.
func (p LocalProvider) Regions() []app.Region {
	if len(p.Offered) == 0 {
		return []app.Region{LocalRegion}
	}
	return p.Offered
}

// checkRegion refuses a region p does not offer.
func (p LocalProvider) checkRegion(region string) error {
	if !hasRegion(p, region) {
		return unknownRegion(p, region)
	}
	return nil
}

// Create makes an empty database file for tenantID (an empty file is a valid
// SQLite database) and returns its absolute path.
func (p LocalProvider) Create(ctx context.Context, tenantID, region string) (string, error) {
	if err := p.checkRegion(region); err != nil {
		return "", err
	}
	if !ValidTenantID(tenantID) {
		return "", fmt.Errorf("local provider: invalid tenant id %q", tenantID)
	}
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, tenantID+".db")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return "", app.WrapError(app.ECONFLICT, "This list's database already exists.", err)
	} else if err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(path)
		return "", err
	}
	if err := SyncPath(dir); err != nil { // make the new name durable
		_ = os.Remove(path)
		return "", err
	}
	return path, nil
}

// Open opens the database file at location. It checks that the file exists
// first, because opening a missing file would silently create an empty one.
// A database in the trash is never opened (EINVALID).
func (p LocalProvider) Open(ctx context.Context, location string) (*sql.DB, error) {
	path, err := p.path(location)
	if _, terr := p.trashPath(location); err != nil && terr == nil {
		return nil, app.Errorf(app.EINVALID, "This list is in the trash. Restore it first.")
	} else if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, app.WrapError(app.ENOTFOUND, "This list's database is missing.", err)
	} else if err != nil {
		return nil, err
	}
	return openDB(fileDSN(path), tenantPageCache)
}

// Remove deletes the database file at location (live, in the trash or
// staged) and its -wal, -shm and -journal companions. Missing files are not
// an error.
func (p LocalProvider) Remove(ctx context.Context, location string) error {
	path, err := p.anyPath(location)
	if err != nil {
		return err
	}
	var errs []error
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// path checks that location is a .db file directly inside Dir, so a bad
// record can never make Open or Remove touch another file.
func (p LocalProvider) path(location string) (string, error) {
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return "", err
	}
	if path, ok := fileIn(location, dir, "", ".db"); ok {
		return path, nil
	}
	return "", fmt.Errorf("local provider: location %q is not a database file in %s", location, dir)
}

// trashPath checks that location is a .db file directly inside the trash.
func (p LocalProvider) trashPath(location string) (string, error) {
	dir, err := p.trashDir()
	if err != nil {
		return "", err
	}
	if path, ok := fileIn(location, dir, "", ".db"); ok {
		return path, nil
	}
	return "", fmt.Errorf("local provider: location %q is not a database file in %s", location, dir)
}

// stagedPath checks that location is a staged file made by Stage.
func (p LocalProvider) stagedPath(location string) (string, error) {
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return "", err
	}
	if path, ok := fileIn(location, dir, stagedPrefix, stagedSuffix); ok {
		return path, nil
	}
	return "", fmt.Errorf("local provider: %q is not a staged file in %s", location, dir)
}

// anyPath checks that location is a live, trashed or staged file.
func (p LocalProvider) anyPath(location string) (string, error) {
	if path, err := p.path(location); err == nil {
		return path, nil
	}
	if path, err := p.trashPath(location); err == nil {
		return path, nil
	}
	return p.stagedPath(location)
}

// trashDir returns the absolute path of the trash directory.
func (p LocalProvider) trashDir() (string, error) {
	if p.TrashDir != "" {
		return filepath.Abs(p.TrashDir)
	}
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(dir), "trash"), nil
}

// fileIn returns the cleaned location if it is an absolute path to a file
// directly inside dir whose name has prefix and suffix (and more).
func fileIn(location, dir, prefix, suffix string) (string, bool) {
	clean := filepath.Clean(location)
	base := filepath.Base(clean)
	ok := filepath.IsAbs(clean) && filepath.Dir(clean) == dir && len(base) > len(prefix)+len(suffix) &&
		strings.HasPrefix(base, prefix) && strings.HasSuffix(base, suffix)
	return clean, ok
}
