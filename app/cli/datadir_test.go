package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// wantPrivateTree fails unless dir and every directory under it have mode
// 0700 and every file 0600.
func wantPrivateTree(t *testing.T, dir string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) { // a -wal or -shm file removed by a close finishing
			return nil
		} else if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %#o, want %#o", path, got, want)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Errorf("%s is empty", dir)
	}
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
	// one what it created.
	steps := [][]string{
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
	pr, pw := io.Pipe()
	var errb syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, Env{
			Args:  []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--shutdown-timeout", "5s"},
			Stdin: strings.NewReader(""), Stdout: pw, Stderr: &errb,
			Getenv: func(string) string { return "" }, Assets: testAssets(t),
		})
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() && !strings.Contains(sc.Text(), "Site:") {
	}
	go io.Copy(io.Discard, pr)
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	return errb.String()
}
