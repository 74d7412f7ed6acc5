package console

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"todos/app"
)

// forever is a query that never ends.
const forever = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"

// gone fails the test unless the process pid no longer exists.
func gone(t *testing.T, pid int) {
	t.Helper()
	if pid == 0 {
		t.Fatal("no child was started")
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("child %d still exists (kill 0: %v)", pid, err)
	}
	if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("process group %d still exists (kill 0: %v)", pid, err)
	}
}

// TestTimeout stops a query that runs forever at the time limit and leaves
// no process behind.
func TestTimeout(t *testing.T) {
	t.Parallel()
	path := newDB(t, "wal")
	r := testRunner()
	var pid int
	r.started = func(p int) { pid = p }
	start := time.Now()
	_, err := r.Run(context.Background(), path, app.ConsoleRequest{SQL: forever, Timeout: time.Second})
	elapsed := time.Since(start)
	wantCode(t, err, app.EINVALID, "The query was stopped after 1s.")
	if elapsed < time.Second || elapsed > 3*time.Second {
		t.Errorf("stopped after %v", elapsed)
	}
	gone(t, pid)
}

// TestTimeoutDefault uses the Runner's time limit when the request has
// none, and the message says which.
func TestTimeoutDefault(t *testing.T) {
	t.Parallel()
	path := newDB(t, "delete")
	r := testRunner()
	r.Timeout = 1500 * time.Millisecond
	_, err := r.Run(context.Background(), path, app.ConsoleRequest{SQL: forever})
	wantCode(t, err, app.EINVALID, "The query was stopped after 1.5s.")
}

// TestTimeoutWrite kills a write that runs too long: nothing of it is
// applied and the database is not left locked.
func TestTimeoutWrite(t *testing.T) {
	t.Parallel()
	path := newDB(t, "wal")
	appDB := openTestDB(t, path)
	r := testRunner()
	var pid int
	r.started = func(p int) { pid = p }
	_, err := r.Run(context.Background(), path, app.ConsoleRequest{
		SQL:     "UPDATE todos SET completed = 1 WHERE (" + forever + ") > 0",
		Write:   true,
		Timeout: time.Second,
	})
	wantCode(t, err, app.EINVALID, "The query was stopped after 1s.")
	gone(t, pid)
	var n int
	if err := appDB.QueryRow("SELECT count(*) FROM todos WHERE completed = 1").Scan(&n); err != nil || n != 1 {
		t.Fatalf("completed = %d, %v; want 1", n, err)
	}
	if _, err := appDB.Exec("UPDATE todos SET completed = 1 WHERE id = 1"); err != nil {
		t.Fatalf("the app cannot write after the kill: %v", err)
	}
}

// TestCancel kills the child when the request's context ends.
func TestCancel(t *testing.T) {
	t.Parallel()
	path := newDB(t, "delete")
	r := testRunner()
	var pid int
	r.started = func(p int) { pid = p }
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := r.Run(ctx, path, app.ConsoleRequest{SQL: forever})
	wantCode(t, err, app.EUNAVAILABLE, "The query was cancelled.")
	gone(t, pid)
}

// TestMemoryLimit refuses a query that needs more memory than allowed
// without harming the server.
func TestMemoryLimit(t *testing.T) {
	t.Parallel()
	path := newDB(t, "delete")
	r := testRunner()
	r.MaxMemory = 256 << 20
	_, err := r.Run(context.Background(), path, app.ConsoleRequest{SQL: "SELECT length(randomblob(900000000))"})
	wantCode(t, err, app.EINVALID, "The query needed more memory than the console allows (256 MiB).")
}

// TestParallelLimit refuses requests beyond the Runner's Parallel.
func TestParallelLimit(t *testing.T) {
	t.Parallel()
	path := newDB(t, "delete")
	r := testRunner()
	r.Parallel = 1
	started := make(chan struct{})
	var once sync.Once
	r.started = func(int) { once.Do(func() { close(started) }) }
	done := make(chan error)
	go func() {
		_, err := r.Run(context.Background(), path, app.ConsoleRequest{SQL: forever, Timeout: time.Second})
		done <- err
	}()
	<-started
	_, err := r.Run(context.Background(), path, app.ConsoleRequest{SQL: "SELECT 1"})
	wantCode(t, err, app.ERATELIMITED, "Too many console queries")
	<-done
	if _, err := r.Run(context.Background(), path, app.ConsoleRequest{SQL: "SELECT 1"}); err != nil {
		t.Fatalf("after the first: %v", err)
	}
}

// TestRunErrors covers requests that fail before or outside SQL.
func TestRunErrors(t *testing.T) {
	t.Parallel()
	path := newDB(t, "delete")
	tests := []struct {
		name, path, sql, code, msg string
	}{
		{"relative path", "tenant.db", "SELECT 1", app.EINTERNAL, "local database"},
		{"missing file", filepath.Join(t.TempDir(), "none.db"), "SELECT 1", app.ENOTFOUND, "not found"},
		{"empty", path, "  -- nothing\n ; ", app.EINVALID, "Type a SQL statement to run."},
		{"explain alone", path, "EXPLAIN", app.EINVALID, "EXPLAIN needs a statement"},
		{"syntax error", path, "SELEC 1", app.EINVALID, `near "SELEC": syntax error`},
		{"no such table", path, "SELECT * FROM nope", app.EINVALID, "no such table: nope"},
		{"runtime error", path, "SELECT abs(-9223372036854775808)", app.EINVALID, "integer overflow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := run(t, tc.path, tc.sql, false)
			wantCode(t, err, tc.code, tc.msg)
		})
	}
	// A missing file is not created, even in write mode.
	missing := filepath.Join(t.TempDir(), "none.db")
	_, err := run(t, missing, "CREATE TABLE x (a)", true)
	wantCode(t, err, app.ENOTFOUND, "not found")
	if entries := snapshot(t, filepath.Dir(missing)); len(entries) > 0 {
		t.Fatalf("files created: %v", entries)
	}
}

// TestNewConsole runs a statement through the app.Console adapter.
func TestNewConsole(t *testing.T) {
	t.Parallel()
	path := newDB(t, "delete")
	c := NewConsole(testRunner(), func(tn *app.Tenant) (string, error) { return tn.Location, nil })
	res, err := c.RunConsole(context.Background(), &app.Tenant{Name: "acme", Location: path}, app.ConsoleRequest{SQL: "SELECT count(*) FROM todos"})
	if err != nil || joinRows(res.Rows) != "3" {
		t.Fatalf("%v, %v", res, err)
	}
	if res.Duration <= 0 {
		t.Errorf("duration %v", res.Duration)
	}
	notLocal := NewConsole(testRunner(), func(*app.Tenant) (string, error) {
		return "", app.Errorf(app.EINVALID, "not local")
	})
	_, err = notLocal.RunConsole(context.Background(), &app.Tenant{}, app.ConsoleRequest{SQL: "SELECT 1"})
	wantCode(t, err, app.EINVALID, "not local")
}

// TestDecodeResponse covers what a child may leave on stdout.
func TestDecodeResponse(t *testing.T) {
	req := childRequest{MaxMemory: 1 << 20}
	out := func(s string) *capped { c := &capped{max: 1 << 20}; c.buf.WriteString(s); return c }
	res, err := decodeResponse(out("noise\n{\"result\":{\"Columns\":[\"a\"]}}\n"), out(""), nil, req)
	if err != nil || res.Columns[0] != "a" {
		t.Fatalf("%v, %v", res, err)
	}
	_, err = decodeResponse(out(`{"error":{"code":"forbidden","message":"no"}}`), out(""), nil, req)
	wantCode(t, err, app.EFORBIDDEN, "no")
	_, err = decodeResponse(out(`{"error":{"code":"invalid","message":"out of memory"}}`), out(""), nil, req)
	wantCode(t, err, app.EINVALID, "more memory than the console allows (1 MiB)")
	_, err = decodeResponse(out(""), out("panic: boom"), errors.New("exit status 2"), req)
	wantCode(t, err, app.EINTERNAL, "The console stopped unexpectedly.")
	big := &capped{max: 4}
	_, _ = big.Write([]byte(`{"result":{}}`))
	_, err = decodeResponse(big, out(""), nil, req)
	wantCode(t, err, app.EINTERNAL, "stopped unexpectedly")
}
