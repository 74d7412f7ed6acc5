package web

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// Name patterns of the temporary files in Config.TempDir: uploads being
// received and exports being sent.
const (
	uploadFilePattern = "todos-upload-*.db"
	exportFilePattern = "todos-export-*.db"
)

// PrepareTempDir makes dir ready to be Config.TempDir: it creates it (mode
// 0700, and tightens an existing one to 0700) and removes the temporary
// files an earlier process left behind (it was killed during an upload or
// a download). Nothing else in dir is touched. It returns how many files
// it removed.
func PrepareTempDir(dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var errs []error
	removed := 0
	for _, e := range entries {
		if e.IsDir() || !isLeftover(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// isLeftover reports whether name is one of this package's temporary files.
func isLeftover(name string) bool {
	for _, pattern := range []string{uploadFilePattern, exportFilePattern} {
		prefix, suffix, _ := strings.Cut(pattern, "*")
		if strings.HasPrefix(name, prefix) && strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}
