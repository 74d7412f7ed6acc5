package testfs

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CopyDBFiles copies every *.db file under from to the same place under
// to, without its -wal, -shm or -journal files: what an operator copying
// the database files by hand gets. It returns the copied paths, relative
// to from.
func CopyDBFiles(t testing.TB, from, to string) []string {
	t.Helper()
	var copied []string
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".db") {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(to, rel)), 0o700); err != nil {
			return err
		}
		copied = append(copied, rel)
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return copied
}
