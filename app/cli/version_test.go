package cli

import (
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeBuild(t *testing.T) {
	vcs := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "todos", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	clean := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "todos", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "vcs.modified", Value: "false"}}}
	none := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "todos", Version: "(devel)"}}
	for _, tt := range []struct {
		name, ld string
		info     *debug.BuildInfo
		ok       bool
		want     string
	}{
		{"vcs, modified", "", vcs, true, "todos v1.4.0\ncommit 0123456789abcdef0123456789abcdef01234567 (modified: built with uncommitted changes), committed 2026-12-01T10:00:00Z\nbuilt with go1.26.0\n"},
		{"vcs, clean, devel", "", clean, true, "todos devel\ncommit 0123456789abcdef0123456789abcdef01234567\nbuilt with go1.26.0\n"},
		{"ldflags version wins", "2.0.0", clean, true, "todos 2.0.0\ncommit 0123456789abcdef0123456789abcdef01234567\nbuilt with go1.26.0\n"},
		{"no vcs", "", none, true, "todos devel\ncommit unknown: built without VCS information (outside a git checkout, by \"go run\", or with -buildvcs=false)\nbuilt with go1.26.0\n"},
		{"no build info", "", nil, false, "todos unknown\ncommit unknown: this binary carries no build information\n"},
	} {
		if got := describeBuild(tt.ld, tt.info, tt.ok); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
	code, out, _ := run(t, []string{"version"}, "", nil)
	if code != 0 || !strings.HasPrefix(out, "todos ") || !strings.Contains(out, "\ncommit ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, stderr := run(t, []string{"version", "extra"}, "", nil); code != 2 || !strings.Contains(stderr, `unexpected argument "extra"`) {
		t.Errorf("version extra: %d %q", code, stderr)
	}
}

// TestVersionOfABuiltBinary builds the binary in this checkout: "todos
// version" prints the commit git has checked out, from the build info the
// Go toolchain recorded.
func TestVersionOfABuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	head, err := exec.Command("git", "-C", "../..", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout, or no git: %v", err)
	}
	// -buildvcs=true: GOFLAGS may turn stamping off (it does on some CI
	// machines); the command line wins over it.
	bin := filepath.Join(t.TempDir(), "todos")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "\ncommit " + strings.TrimSpace(string(head)); !strings.Contains(string(out), want) {
		t.Errorf("version:\n%s\nwant %q", out, want)
	}
}
