package console

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"todos/app"
	"todos/app/store"
)

// Defaults and ceilings of console requests.
const (
	DefaultTimeout   = 5 * time.Second
	DefaultMaxRows   = 500
	DefaultMaxBytes  = 1 << 20
	DefaultMaxMemory = 512 << 20
	DefaultParallel  = 4

	maxTimeout  = time.Minute
	maxMaxRows  = 10000
	maxMaxBytes = 16 << 20
)

// ChildCommand is the hidden command of the todos binary that runs
// ChildMain.
const ChildCommand = "__console"

// Runner runs console statements, each in a child process that is killed
// when its time limit passes. The zero Runner runs the current executable
// with ChildCommand and the defaults above.
type Runner struct {
	// Command is the child's program and arguments; empty means the running
	// executable with ChildCommand.
	Command []string
	// Env is the child's environment; nil means this process's.
	Env []string
	// Timeout applies to requests without one (default DefaultTimeout).
	Timeout time.Duration
	// MaxMemory caps how much a child's address space may grow, in bytes
	// (default DefaultMaxMemory; negative for no cap). Linux only.
	MaxMemory int64
	// Parallel is how many children may run at once (default
	// DefaultParallel); more requests are refused with ERATELIMITED.
	Parallel int

	mu      sync.Mutex
	running int
	started func(pid int) // test hook: called with each child's pid
}

// Run runs req against the SQLite database file at dbPath (absolute) in a
// child process and returns its result. Refusals are EFORBIDDEN errors, SQL
// errors and a passed time limit EINVALID errors, all with a message for the
// admin.
func (r *Runner) Run(ctx context.Context, dbPath string, req app.ConsoleRequest) (*app.ConsoleResult, error) {
	if !filepath.IsAbs(dbPath) {
		return nil, app.WrapError(app.EINTERNAL, "The console needs the path of a local database.", fmt.Errorf("console: path %q is not absolute", dbPath))
	}
	return r.run(ctx, r.request(dbPath, req))
}

// RunRemote runs req as Run does, against the database on a libSQL server
// that access reaches (see remote.go). Its token goes to the child on its
// stdin only. Without write, access should carry a read-only token: only
// then does the server itself refuse writes.
func (r *Runner) RunRemote(ctx context.Context, access store.DirectAccess, req app.ConsoleRequest) (*app.ConsoleResult, error) {
	if access.URL == "" {
		return nil, app.WrapError(app.EINTERNAL, "The console needs the address of the database.", errors.New("console: no remote URL"))
	}
	creq := r.request("", req)
	creq.Remote = &remoteTarget{URL: access.URL, AuthToken: access.AuthToken, ReadOnlyToken: access.ReadOnly && !req.Write}
	return r.run(ctx, creq)
}

// run runs creq in a child process.
func (r *Runner) run(ctx context.Context, creq childRequest) (*app.ConsoleResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, app.WrapError(app.EUNAVAILABLE, "The query was cancelled.", err)
	}
	if !r.acquire() {
		return nil, app.Errorf(app.ERATELIMITED, "Too many console queries are running. Try again in a moment.")
	}
	defer r.release()

	body, err := json.Marshal(creq)
	if err != nil {
		return nil, app.WrapError(app.EINTERNAL, "The console could not start.", err)
	}
	cmd, err := r.command()
	if err != nil {
		return nil, app.WrapError(app.EINTERNAL, "The console could not start.", err)
	}
	stdout := &capped{max: 8*creq.MaxBytes + 1<<20}
	stderr := &capped{max: 64 << 10}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(body), stdout, stderr
	cmd.WaitDelay = time.Second
	startGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, app.WrapError(app.EINTERNAL, "The console could not start.", err)
	}
	if r.started != nil {
		r.started(cmd.Process.Pid)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(creq.Timeout)
	defer timer.Stop()
	select {
	case err = <-done:
	case <-timer.C:
		killGroup(cmd)
		<-done
		return nil, app.Errorf(app.EINVALID, "The query was stopped after %s.", creq.Timeout)
	case <-ctx.Done():
		killGroup(cmd)
		<-done
		return nil, app.WrapError(app.EUNAVAILABLE, "The query was cancelled.", ctx.Err())
	}
	return decodeResponse(stdout, stderr, err, creq)
}

// request fills in the defaults of req and bounds it.
func (r *Runner) request(dbPath string, req app.ConsoleRequest) childRequest {
	c := childRequest{Path: dbPath, SQL: req.SQL, Write: req.Write,
		MaxRows: req.MaxRows, MaxBytes: req.MaxBytes, Timeout: req.Timeout, MaxMemory: r.MaxMemory}
	if c.Timeout <= 0 {
		c.Timeout = r.Timeout
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	c.Timeout = min(c.Timeout, maxTimeout)
	if c.MaxRows <= 0 {
		c.MaxRows = DefaultMaxRows
	}
	c.MaxRows = min(c.MaxRows, maxMaxRows)
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	c.MaxBytes = min(c.MaxBytes, maxMaxBytes)
	switch {
	case c.MaxMemory == 0:
		c.MaxMemory = DefaultMaxMemory
	case c.MaxMemory < 0:
		c.MaxMemory = 0
	}
	return c
}

// command returns the child's command.
func (r *Runner) command() (*exec.Cmd, error) {
	args := r.Command
	if len(args) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		args = []string{exe, ChildCommand}
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = r.Env
	return cmd, nil
}

// acquire takes one of the Parallel slots, or reports that none is free.
func (r *Runner) acquire() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	limit := r.Parallel
	if limit <= 0 {
		limit = DefaultParallel
	}
	if r.running >= limit {
		return false
	}
	r.running++
	return true
}

// release gives back a slot taken by acquire.
func (r *Runner) release() {
	r.mu.Lock()
	r.running--
	r.mu.Unlock()
}

// decodeResponse turns what a finished child wrote into a result or error.
// waitErr is the child's exit status.
func decodeResponse(stdout, stderr *capped, waitErr error, req childRequest) (*app.ConsoleResult, error) {
	var resp childResponse
	if stdout.over || json.Unmarshal(lastLine(stdout.buf.Bytes()), &resp) != nil || resp.Result == nil && resp.Error == nil {
		logged := stderr.buf.String()
		if req.Remote != nil && req.Remote.AuthToken != "" {
			logged = strings.ReplaceAll(logged, req.Remote.AuthToken, "…")
		}
		return nil, childFailure(logged, waitErr, req)
	}
	if e := resp.Error; e != nil {
		var cause error
		if e.Detail != "" {
			cause = fmt.Errorf("console child: %s", e.Detail)
		}
		if e.Message == "out of memory" { // SQLite's own message
			return nil, app.Errorf(app.EINVALID, "%s", outOfMemory(req))
		}
		return nil, &app.Error{Code: e.Code, Message: e.Message, Err: cause}
	}
	return resp.Result, nil
}

// lastLine returns the last line of b: the child's response, even if a
// library printed something before it.
func lastLine(b []byte) []byte {
	b = bytes.TrimRight(b, "\n")
	return b[bytes.LastIndexByte(b, '\n')+1:]
}

// childFailure explains a child that died without a response. Two causes
// are the query's own: text go-libsql cannot read (it aborts on TEXT that is
// not UTF-8) and running out of memory.
func childFailure(stderr string, waitErr error, req childRequest) error {
	cause := fmt.Errorf("console child: %v: %s", waitErr, clip(strings.TrimSpace(stderr), 2000))
	switch {
	case strings.Contains(stderr, "Utf8Error"):
		return app.WrapError(app.EINVALID, "The result holds text that is not valid UTF-8 (a value or a column name), which the database driver cannot read. "+
			"Select such columns as CAST(column AS BLOB) AS name, and a pragma's output from its table (SELECT * FROM pragma_integrity_check).", cause)
	case strings.Contains(stderr, "out of memory"), strings.Contains(stderr, "memory allocation"):
		return app.WrapError(app.EINVALID, outOfMemory(req), cause)
	}
	return app.WrapError(app.EINTERNAL, "The console stopped unexpectedly.", cause)
}

// outOfMemory is the message for a query that ran out of memory.
func outOfMemory(req childRequest) string {
	if req.MaxMemory <= 0 {
		return "The query ran out of memory."
	}
	return fmt.Sprintf("The query needed more memory than the console allows (%s).", humanBytes(int(req.MaxMemory)))
}

// capped is a buffer that keeps at most max bytes and notes when more came.
type capped struct {
	buf  bytes.Buffer
	max  int
	over bool
}

// Write implements io.Writer; it never fails, so the child never blocks.
func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); len(p) > room {
		c.over = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}
