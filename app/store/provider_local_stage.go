package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"todos/app"
)

// Names of staged files: {Dir}/staging-{32 hex digits}.tmp.
const (
	stagedPrefix = "staging-"
	stagedSuffix = ".tmp"
)

// StagedFile checks that path names a file made by Stage in Dir and
// returns it cleaned; anything else gives EINVALID. The remote providers,
// whose staged files live in a LocalProvider, check paths with it.
func (p LocalProvider) StagedFile(path string) (string, error) {
	staged, err := p.stagedPath(path)
	if err != nil {
		return "", app.WrapError(app.EINVALID, "Only a file prepared by this server can become a list's database.", err)
	}
	return staged, nil
}

// Stage creates an empty file {Dir}/staging-{random}.tmp and returns its
// path. An empty file is a valid target of VACUUM INTO.
func (p LocalProvider) Stage(ctx context.Context) (string, error) {
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	path := filepath.Join(dir, stagedPrefix+hex.EncodeToString(b)+stagedSuffix)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	return path, f.Close()
}

// RemoveStaged deletes the files {Dir}/staging-*.tmp (and their companions)
// last modified more than olderThan ago.
func (p LocalProvider) RemoveStaged(ctx context.Context, olderThan time.Duration) (int, error) {
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	var errs []error
	n := 0
	for _, e := range entries {
		name := e.Name()
		if _, ok := fileIn(filepath.Join(dir, name), dir, stagedPrefix, stagedSuffix); !ok {
			continue
		}
		if fi, err := e.Info(); err != nil || time.Since(fi.ModTime()) < olderThan {
			continue
		}
		if err := p.Remove(ctx, filepath.Join(dir, name)); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// Adopt gives the staged file at path the name {Dir}/{tenantID}.db. A hard
// link makes the new name without ever replacing an existing file; the
// staged name is then removed.
func (p LocalProvider) Adopt(ctx context.Context, tenantID, region, path string) (string, error) {
	if err := p.checkRegion(region); err != nil {
		return "", err
	}
	if !ValidTenantID(tenantID) {
		return "", fmt.Errorf("local provider: invalid tenant id %q", tenantID)
	}
	staged, err := p.stagedPath(path)
	if err != nil {
		return "", err
	}
	target := filepath.Join(filepath.Dir(staged), tenantID+".db")
	if err := os.Link(staged, target); errors.Is(err, fs.ErrExist) {
		return "", app.WrapError(app.ECONFLICT, "This list's database already exists.", err)
	} else if err != nil {
		return "", fmt.Errorf("adopt %s: %w", filepath.Base(staged), err)
	}
	if err := os.Remove(staged); err != nil {
		_ = os.Remove(target)
		return "", err
	}
	if err := SyncPath(filepath.Dir(target)); err != nil {
		return "", err
	}
	return target, nil
}
