package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Modes of a data directory's contents. The directory holds session
// tokens, password hashes and every tenant's data: only the user the server
// runs as may read any of it.
const (
	PrivateDirMode  fs.FileMode = 0o700
	PrivateFileMode fs.FileMode = 0o600
)

// ModeChange is a path whose permissions SecureDataDir tightened.
type ModeChange struct {
	Path     string
	From, To fs.FileMode
}

// SecureDataDir creates the data directory dir (mode 0700) if it is
// missing, then takes every permission for group and others away from it
// and from every directory and regular file below it: directories end up
// at most 0700 and files at most 0600. Owner bits are never added.
// Symbolic links are neither followed nor changed. It returns the paths it
// changed; a path it could not change (owned by another user) is an error
// that names it, returned after every other path was done.
//
// SQLite creates a database's -wal, -shm and -journal files with the mode
// of the database file, so database files created 0600 keep them private;
// this repairs files made before that rule, or copied in by hand.
func SecureDataDir(dir string) ([]ModeChange, error) {
	if err := os.MkdirAll(dir, PrivateDirMode); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	var changes []ModeChange
	var errs []error
	walkErr := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if path == dir { // the root may be a symbolic link to the real directory
			st, err := os.Stat(path)
			if err != nil {
				errs = append(errs, err)
				return fs.SkipDir
			}
			return tighten(path, st.Mode(), &changes, &errs)
		}
		if !d.Type().IsDir() && !d.Type().IsRegular() {
			return nil // symbolic links, sockets, devices
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) { // removed meanwhile
			return nil
		} else if err != nil {
			errs = append(errs, err)
			return nil
		}
		return tighten(path, info.Mode(), &changes, &errs)
	})
	if walkErr != nil {
		errs = append(errs, walkErr)
	}
	return changes, errors.Join(errs...)
}

// tighten takes group and other permissions away from the directory or
// file at path, whose mode is mode, and records what it did.
func tighten(path string, mode fs.FileMode, changes *[]ModeChange, errs *[]error) error {
	from := mode.Perm()
	to := from &^ 0o077
	if to == from {
		return nil
	}
	if err := os.Chmod(path, to); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		*errs = append(*errs, fmt.Errorf("restrict %s to its owner: %w", path, err))
		return nil
	}
	*changes = append(*changes, ModeChange{Path: path, From: from, To: to})
	return nil
}

// createPrivateFile creates an empty file at path with mode 0600 unless a
// file is there already (which is left as it is). An empty file is a valid
// SQLite database, so SQLite then opens it instead of creating it with its
// own default mode (0644).
func createPrivateFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, PrivateFileMode)
	if err != nil {
		return err
	}
	return f.Close()
}
