package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Server kinds: the product and its two comparison servers.
const (
	kindProduct = "product"
	kindFloor   = "floor"
	kindShared  = "shared"
)

// child is a server under test, running as a child process that logs to a
// file.
type child struct {
	kind    string
	addr    string // 127.0.0.1:PORT
	port    int
	logPath string
	// pprofAddr is the product's --pprof-addr, when -profile is set.
	pprofAddr string
	cmd       *exec.Cmd
	done      chan struct{} // closed when the process has exited
	waitErr   error         // its exit status, after done
	stopped   bool          // stop was called: an exit is expected
}

// children are every child started and not yet stopped, to stop them all
// on the way out.
var children struct {
	mu   sync.Mutex
	list []*child
}

// startChild starts a server of kind on a free port of 127.0.0.1 with the
// command line argv(addr), logging to logPath, and waits until its /healthz
// answers 200.
func startChild(ctx context.Context, kind, logPath string, argv func(addr string) []string) (*child, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	args := argv(addr)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout = log
	cmd.Stderr = log
	// Its own process group, so that Ctrl-C reaches only this program, which
	// then stops the servers in order; and SIGTERM if this program dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start %s: %w", kind, err)
	}
	c := &child{kind: kind, addr: addr, port: port, logPath: logPath, cmd: cmd, done: make(chan struct{})}
	go func() {
		c.waitErr = cmd.Wait()
		log.Close()
		close(c.done)
	}()
	children.mu.Lock()
	children.list = append(children.list, c)
	children.mu.Unlock()
	if err := c.waitReady(ctx, 120*time.Second); err != nil {
		_ = c.stop()
		return nil, fmt.Errorf("%s did not start: %w (log: %s)", kind, err, c.logTail())
	}
	return c, nil
}

// freePort returns a TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls GET /healthz until it answers 200, the process exits or
// timeout passes.
func (c *child) waitReady(ctx context.Context, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(timeout)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+c.addr+"/healthz", nil)
		req.Host = "localhost:" + strconv.Itoa(c.port)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-c.done:
			return fmt.Errorf("exited: %v", c.waitErr)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("no answer on /healthz")
		}
	}
}

// stop sends SIGTERM, waits for the process to exit (SIGKILL after 30 s)
// and returns an error unless it exited cleanly.
func (c *child) stop() error {
	children.mu.Lock()
	for i, o := range children.list {
		if o == c {
			children.list = append(children.list[:i], children.list[i+1:]...)
			break
		}
	}
	c.stopped = true
	children.mu.Unlock()
	select {
	case <-c.done:
		return fmt.Errorf("%s had already exited: %v (log: %s)", c.kind, c.waitErr, c.logPath)
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
		return fmt.Errorf("%s did not stop within 30 s of SIGTERM: killed (log: %s)", c.kind, c.logPath)
	}
	if c.waitErr != nil {
		return fmt.Errorf("%s exited with %v after SIGTERM (log: %s)", c.kind, c.waitErr, c.logPath)
	}
	return nil
}

// alive reports an error if the process has exited.
func (c *child) alive() error {
	select {
	case <-c.done:
		return fmt.Errorf("%s exited during the run: %v (log: %s)", c.kind, c.waitErr, c.logTail())
	default:
		return nil
	}
}

// logTail returns the log's path and its last lines, for error messages:
// the log is removed with the data directory unless -keep is given.
func (c *child) logTail() string {
	data, err := os.ReadFile(c.logPath)
	if err != nil {
		return c.logPath
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return c.logPath + ", ending: " + strings.Join(lines, " | ")
}

// stopAllChildren stops every child still running.
func stopAllChildren() []error {
	children.mu.Lock()
	list := append([]*child(nil), children.list...)
	children.mu.Unlock()
	var errs []error
	for _, c := range list {
		if err := c.stop(); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// procStats is a process's resident memory and open file descriptors.
type procStats struct {
	RSSKB int64
	FDs   int
}

// readProcStats reads VmRSS from /proc/PID/status and counts /proc/PID/fd.
func (c *child) readProcStats() (procStats, error) {
	pid := c.cmd.Process.Pid
	var ps procStats
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ps, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				ps.RSSKB, _ = strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return ps, err
	}
	ps.FDs = len(fds)
	return ps, nil
}
