package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pathWithout returns a PATH of one directory holding bash, dirname and
// go (and what else names) but no C compiler, plus a fake id that says
// the user is not root, so that scripts/test.sh cannot install anything.
func pathWithout(t *testing.T, names ...string) string {
	t.Helper()
	bin := t.TempDir()
	for _, n := range append([]string{"bash", "dirname", "go"}, names...) {
		p, err := exec.LookPath(n)
		if err != nil {
			t.Skipf("%s: %v", n, err)
		}
		if err := os.Symlink(p, filepath.Join(bin, n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(bin, "id"), []byte("#!/bin/sh\necho 1000\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestScriptsSayWhenGccIsMissing: without a C compiler, scripts/test.sh
// says in one line why it installs gcc (and, unable to install as a
// non-root user without sudo, names gcc among the packages), and
// scripts/bench.sh stops with a one-line hint before cgo's error.
func TestScriptsSayWhenGccIsMissing(t *testing.T) {
	bin := pathWithout(t)
	cmd := exec.Command("../../scripts/test.sh")
	cmd.Env = append(os.Environ(), "PATH="+bin)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "gcc not found: go-libsql is built with cgo and needs a C compiler; installing gcc with apt-get\n") ||
		!strings.Contains(string(out), "cannot apt-get install gcc libc6-dev chromium") {
		t.Errorf("scripts/test.sh without gcc: %v\n%s", err, out)
	}

	cmd = exec.Command("../../scripts/bench.sh", "-smoke")
	cmd.Env = append(os.Environ(), "PATH="+bin, "CC=")
	out, err = cmd.CombinedOutput()
	want := `bench: no C compiler (gcc): go-libsql links with cgo; install one with "apt-get install gcc" (scripts/test.sh does)` + "\n"
	if err == nil || string(out) != want {
		t.Errorf("scripts/bench.sh without gcc: %v\n%q\nwant %q", err, out, want)
	}
}
