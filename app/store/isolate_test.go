package store

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// isolatedEnv tells a re-run of this test binary which test runs in it
// (see isolate).
const isolatedEnv = "TODOS_STORE_ISOLATED_TEST"

// isolate runs test t in a child process: this test binary, running t
// alone. go-libsql aborts the whole process on some values (a Rust panic,
// not a Go one), which would kill every test at once with no name on it;
// isolated, an abort fails t alone, with the panic's message. In the child,
// isolate returns true and t goes on; in the parent it runs the child,
// reports its outcome as t's and returns false.
func isolate(t *testing.T) bool {
	t.Helper()
	if os.Getenv(isolatedEnv) == t.Name() {
		return true
	}
	var pattern []string
	for _, part := range strings.Split(t.Name(), "/") {
		pattern = append(pattern, "^"+regexp.QuoteMeta(part)+"$")
	}
	cmd := exec.Command(os.Args[0], "-test.run="+strings.Join(pattern, "/"), "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), isolatedEnv+"="+t.Name(), "GORACE=atexit_sleep_ms=0")
	out, err := cmd.CombinedOutput()
	text := string(out)
	switch {
	case strings.Contains(text, "panicked at"):
		t.Fatalf("the process aborted (go-libsql panic):\n%s", excerpt(text, "panicked at", 600))
	case err != nil:
		t.Fatalf("failed in its own process: %v\n%s", err, text)
	case !strings.Contains(text, "--- PASS: "+t.Name()):
		t.Fatalf("did not run in its own process:\n%s", text)
	}
	return false
}

// excerpt returns up to n bytes of s from the first mark on.
func excerpt(s, mark string, n int) string {
	if i := strings.Index(s, mark); i >= 0 {
		s = s[i:]
	}
	if len(s) > n {
		s = s[:n]
	}
	return s
}
