package testfs

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
)

// WantModes fails the test unless dir and every directory under it have
// the permissions dirMode and every file under it fileMode, and unless a
// path matches each of patterns (globs relative to dir). A file removed
// while the tree is walked (a -wal or -shm file of a close finishing) is
// skipped.
func WantModes(t testing.TB, dir string, dirMode, fileMode fs.FileMode, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		if m, _ := filepath.Glob(filepath.Join(dir, p)); len(m) == 0 {
			t.Errorf("no file matches %s under %s", p, dir)
		}
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return err
		}
		want := fileMode
		if d.IsDir() {
			want = dirMode
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %#o, want %#o", path, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
