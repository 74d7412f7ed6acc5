package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"

	"todos/app/internal/testfs"
	"todos/app/store"
)

// wantPrivateTree fails unless dir holds something, and dir and every
// directory under it have mode 0700 and every file 0600.
func wantPrivateTree(t *testing.T, dir string) {
	t.Helper()
	testfs.WantModes(t, dir, store.PrivateDirMode, store.PrivateFileMode, "*")
}

// TestFreshDataDirIsPrivate runs the commands that create files, with a
// umask that takes nothing away (so every mode comes from the code): the
// data directory, everything in it, an export and a backup are private.
func TestFreshDataDirIsPrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	root := t.TempDir()
	if err := os.Chmod(root, 0o700); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "data")
	export := filepath.Join(root, "acme.db")
	// Every command tightens the directory when it starts: check after each
	// one what it created. Serve creates the data directory (the other
	// commands refuse one that does not exist).
	steps := [][]string{
		{"serve"},
		{"tenants", "create", "acme", "--email", "o@example.com"},
		{"tenants", "create", "beta", "--email", "o@example.com"},
		{"admin", "create", "boss@example.com"},
		{"tenants", "export", "acme", export},
		{"tenants", "import", "acme2", export},
		{"tenants", "clone", "acme", "acme3"},
		{"tenants", "delete", "beta"},
		{"serve"},
		{"backup", "--out", filepath.Join(root, "backups", "one")},
	}
	for _, step := range steps {
		if step[0] == "serve" {
			serveBriefly(t, dir)
		} else {
			mustRun(t, dir, step...)
		}
		wantPrivateTree(t, root)
	}
	for _, f := range []string{"control.db", secretFile, "tenants", "trash", "../backups/one/control.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestStartTightensALooseDataDir loosens a data directory as an old
// release (or an operator's cp) left it: serve and the other commands
// tighten it at start, and serve logs each path it changed.
func TestStartTightensALooseDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, "tenants", "create", "acme", "--email", "o@example.com")
	serveBriefly(t, dir)
	loosen := func() {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			mode := fs.FileMode(0o644)
			if d.IsDir() {
				mode = 0o755
			}
			if err := os.Chmod(path, mode); !errors.Is(err, fs.ErrNotExist) {
				return err // nil too; a -wal file may go as a close finishes
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	loosen()
	stderr := serveBriefly(t, dir)
	for _, p := range []string{dir, filepath.Join(dir, "control.db"), filepath.Join(dir, secretFile), filepath.Join(dir, "tenants")} {
		if !regexp.MustCompile(`took access away from other users.*path=` + regexp.QuoteMeta(p) + ` from=(0644|0755) to=(0600|0700)`).MatchString(stderr) {
			t.Errorf("no log line for %s:\n%s", p, stderr)
		}
	}
	wantPrivateTree(t, dir)
	loosen()
	mustRun(t, dir, "tenants", "list")
	wantPrivateTree(t, dir)
}

// serveBriefly starts "todos serve" on dir in this process, waits until it
// listens, stops it as SIGINT would and returns what it logged.
func serveBriefly(t *testing.T, dir string) string {
	t.Helper()
	sp := startServe(t, dir, "--shutdown-timeout", "5s")
	if code := sp.stop(t); code != 0 {
		t.Fatalf("serve exited %d: %s", code, sp.stderr.String())
	}
	return sp.stderr.String()
}
