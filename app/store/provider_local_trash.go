package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"todos/app"
)

// closeWait bounds how long Trash waits for a database closed in this
// process to be closed for real: go-libsql finishes closing a few
// milliseconds after db.Close returns, then removes the -wal file.
const closeWait = 2 * time.Second

// Size returns the size of the database file at location (live or in the
// trash) plus that of its -wal file.
func (p LocalProvider) Size(ctx context.Context, location string) (int64, error) {
	path, err := p.path(location)
	if err != nil {
		if path, err = p.trashPath(location); err != nil {
			return 0, err
		}
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, app.WrapError(app.ENOTFOUND, "This list's database is missing.", err)
	} else if err != nil {
		return 0, err
	}
	size := fi.Size()
	if wal, err := os.Stat(path + "-wal"); err == nil {
		size += wal.Size()
	}
	return size, nil
}

// Trash moves the database file at location and its companions into the
// trash directory. It first waits (up to closeWait) for the -wal file to go,
// the sign that a handle closed just before is closed for real.
func (p LocalProvider) Trash(ctx context.Context, location string) (string, error) {
	live, trash, err := p.pair(location)
	if err != nil {
		return "", err
	}
	waitGone(ctx, live+"-wal", closeWait)
	if err := moveDatabase(live, trash); err != nil {
		return "", err
	}
	return trash, nil
}

// Untrash moves the database file at trashLocation and its companions back
// into Dir.
func (p LocalProvider) Untrash(ctx context.Context, trashLocation string) (string, error) {
	live, trash, err := p.pair(trashLocation)
	if err != nil {
		return "", err
	}
	if err := moveDatabase(trash, live); err != nil {
		return "", err
	}
	return live, nil
}

// pair returns the live and trash paths of the database at location, which
// may be either.
func (p LocalProvider) pair(location string) (live, trash string, err error) {
	path, err := p.path(location)
	if err != nil {
		if path, err = p.trashPath(location); err != nil {
			return "", "", err
		}
	}
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return "", "", err
	}
	trashDir, err := p.trashDir()
	if err != nil {
		return "", "", err
	}
	return filepath.Join(dir, filepath.Base(path)), filepath.Join(trashDir, filepath.Base(path)), nil
}

// moveDatabase renames the database file from and its companions to to. The
// companions go first and the database file last, and a file already moved
// is skipped, so an interrupted move can be completed by running it again.
// It refuses to overwrite a database file at to.
func moveDatabase(from, to string) error {
	fromExists, toExists := exists(from), exists(to)
	switch {
	case fromExists && toExists:
		return app.Errorf(app.ECONFLICT, "Another copy of this list's database is in the way.")
	case !fromExists && !toExists:
		return app.Errorf(app.ENOTFOUND, "This list's database is missing.")
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return err
	}
	moved := false
	for _, suffix := range []string{"-wal", "-shm", "-journal", ""} {
		err := os.Rename(from+suffix, to+suffix)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("move %s: %w", filepath.Base(from+suffix), err)
		}
		moved = moved || err == nil
	}
	if !moved {
		return nil
	}
	return errors.Join(SyncPath(filepath.Dir(from)), SyncPath(filepath.Dir(to)))
}

// exists reports whether a file exists at path.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// waitGone waits until no file exists at path, for at most d.
func waitGone(ctx context.Context, path string, d time.Duration) {
	deadline := time.Now().Add(d)
	for exists(path) && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(2 * time.Millisecond)
	}
}
