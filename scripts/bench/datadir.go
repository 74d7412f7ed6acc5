package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// copyTree copies the directory src to dst (which must not exist): every
// regular file, with its mode. The files must not be open for writing: it
// is used on the data of stopped servers, with their -wal files.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) && isSideFile(path) {
			return nil // a -shm or emptied -wal removed by a late close
		} else if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Mkdir(target, info.Mode().Perm())
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		err = copyFile(path, target, info.Mode().Perm())
		if errors.Is(err, fs.ErrNotExist) && isSideFile(path) {
			return nil
		}
		return err
	})
}

// isSideFile reports whether path is a database's -shm or -wal file, which
// a database closed in the background may remove while it is copied; the
// seeding checkpoints every database before it closes, so no data is in
// them.
func isSideFile(path string) bool {
	return strings.HasSuffix(path, "-shm") || strings.HasSuffix(path, "-wal")
}

// copyFile copies one file.
func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// restoreTree replaces dir by its copy saved: dir is moved to dir+".used"
// and removed, saved is moved to dir. Paths inside the data (the product's
// tenant locations) stay valid.
func restoreTree(dir, saved string) error {
	used := dir + ".used"
	if err := os.Rename(dir, used); err != nil {
		return err
	}
	if err := os.Rename(saved, dir); err != nil {
		return err
	}
	return os.RemoveAll(used)
}
