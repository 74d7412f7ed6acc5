package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The fault suite (fault_*_test.go) runs the real binary and hurts it: kill
// -9 under writes and during sign-ups, a full disk, SIGTERM under writes,
// churn through a small pool. Each case has a short variant, run by
// "go test ./..." and CI, and a long one (more tenants, more rounds, several
// kill cycles) run only with TODOS_FAULT_LONG=1. "go test -short" skips
// the suite.
const faultLongEnv = "TODOS_FAULT_LONG"

// faultLong reports whether the long variants run.
func faultLong() bool { return os.Getenv(faultLongEnv) == "1" }

// faultSize returns short, or long when the long variants run.
func faultSize[T any](short, long T) T {
	if faultLong() {
		return long
	}
	return short
}

// faultBin is the binary the fault suite runs, built once per test process.
var faultBin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// TestMain runs the package's tests and removes the fault suite's binary.
func TestMain(m *testing.M) {
	code := m.Run()
	if faultBin.dir != "" {
		_ = os.RemoveAll(faultBin.dir)
	}
	os.Exit(code)
}

// faultBinary returns the built binary; it skips the test under -short.
func faultBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("fault suite: builds and runs the binary")
	}
	faultBin.once.Do(func() {
		faultBin.dir, faultBin.err = os.MkdirTemp("", "todos-fault-")
		if faultBin.err != nil {
			return
		}
		faultBin.path = filepath.Join(faultBin.dir, "todos")
		build := exec.Command("go", "build", "-o", faultBin.path, ".")
		build.Dir = "../.."
		if out, err := build.CombinedOutput(); err != nil {
			faultBin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if faultBin.err != nil {
		t.Fatal(faultBin.err)
	}
	return faultBin.path
}

// faultServer is "todos serve" running as a child process.
type faultServer struct {
	t      *testing.T
	cmd    *exec.Cmd
	port   string
	logs   *syncBuffer
	exited chan struct{} // closed when the process has exited
	err    error         // its exit status, once exited is closed
}

var siteLine = regexp.MustCompile(`Site:\s+http://localhost:(\d+)/`)

// startFaultServer starts the binary serving dir on a free port of
// 127.0.0.1 with extra args and returns it once it listens. The process is
// killed when the test ends if it still runs.
func startFaultServer(t *testing.T, bin, dir string, args ...string) *faultServer {
	t.Helper()
	return startFaultServerOn(t, bin, dir, "127.0.0.1:0", args...)
}

// restart starts the binary again on s's port, as a restarted server keeps
// its address: pages loaded before keep working (their CSRF tokens are
// bound to the host and port).
func (s *faultServer) restart(bin, dir string, args ...string) *faultServer {
	s.t.Helper()
	return startFaultServerOn(s.t, bin, dir, "127.0.0.1:"+s.port, args...)
}

// startFaultServerOn is startFaultServer listening on addr.
func startFaultServerOn(t *testing.T, bin, dir, addr string, args ...string) *faultServer {
	t.Helper()
	s := &faultServer{t: t, logs: &syncBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", addr, "--data", dir}, args...)...)
	s.cmd.Stderr = s.logs
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := siteLine.FindStringSubmatch(sc.Text()); m != nil {
			s.port = m[1]
			break
		}
	}
	go func() {
		_, _ = io.Copy(io.Discard, stdout)
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	if s.port == "" {
		<-s.exited
		t.Fatalf("the server printed no address (%v); its log:\n%s", s.err, s.logs.String())
	}
	return s
}

// pid returns the server's process id.
func (s *faultServer) pid() int { return s.cmd.Process.Pid }

// kill9 kills the server with SIGKILL and waits until it is gone.
func (s *faultServer) kill9() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatal(err)
	}
	<-s.exited
}

// term stops the server with SIGTERM and returns its exit status (nil: a
// clean stop). A server still running two minutes later, far past its
// shutdown timeout, is killed and fails the test.
func (s *faultServer) term() error {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case <-s.exited:
		return s.err
	case <-time.After(2 * time.Minute):
		_ = s.cmd.Process.Kill()
		<-s.exited
		s.t.Fatalf("the server did not stop on SIGTERM; its log:\n%s", s.logs.String())
		return nil
	}
}

// logTail returns the last n lines of the server's log, for failure
// messages.
func (s *faultServer) logTail(n int) string {
	lines := strings.Split(strings.TrimRight(s.logs.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// procSample is what /proc says about a process at one moment.
type procSample struct {
	rssKB     int64 // VmRSS
	fds       int   // open file descriptors
	tenantDBs int   // tenant databases (*.db files) open
	tenantFDs int   // descriptors of tenant files (*.db, -wal, -shm)
	sockets   int   // descriptors of sockets
}

// otherFDs is the descriptors that are not of tenant files.
func (s procSample) otherFDs() int { return s.fds - s.tenantFDs }

// sampleProc reads the RSS and open files of process pid; tenantsDir is
// where its tenant databases are.
func sampleProc(pid int, tenantsDir string) (procSample, error) {
	var s procSample
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	for line := range strings.Lines(string(status)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			s.rssKB, _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
	fdDir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		return s, err
	}
	s.fds = len(entries)
	dbs := map[string]bool{}
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		switch {
		case err != nil:
		case strings.HasPrefix(target, "socket:"):
			s.sockets++
		case filepath.Dir(target) == tenantsDir:
			s.tenantFDs++
			if strings.HasSuffix(target, ".db") {
				dbs[target] = true
			}
		}
	}
	s.tenantDBs = len(dbs)
	return s, nil
}

// procPeak is the largest of each value over several samples.
type procPeak struct {
	rssKB     int64
	otherFDs  int // descriptors that are not of tenant files
	sockets   int
	tenantDBs int
	tenantFDs int
	samples   int
}

// add takes a sample into account.
func (p *procPeak) add(s procSample) {
	p.rssKB = max(p.rssKB, s.rssKB)
	p.otherFDs = max(p.otherFDs, s.otherFDs())
	p.sockets = max(p.sockets, s.sockets)
	p.tenantDBs = max(p.tenantDBs, s.tenantDBs)
	p.tenantFDs = max(p.tenantFDs, s.tenantFDs)
	p.samples++
}

// String describes the peak for logs and failure messages.
func (p procPeak) String() string {
	return fmt.Sprintf("%d samples; at most %d MiB resident, %d tenant databases open (%d descriptors), %d other descriptors (%d sockets)",
		p.samples, p.rssKB>>10, p.tenantDBs, p.tenantFDs, p.otherFDs, p.sockets)
}

// walSizes returns the size of every -wal file in tenantsDir, by file.
func walSizes(t *testing.T, tenantsDir string) map[string]int64 {
	t.Helper()
	wals, err := filepath.Glob(filepath.Join(tenantsDir, "*.db-wal"))
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int64{}
	for _, w := range wals {
		if info, err := os.Stat(w); err == nil {
			sizes[filepath.Base(w)] = info.Size()
		}
	}
	return sizes
}
