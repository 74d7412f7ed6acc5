package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// servedProcess is "todos serve" running in this test process.
type servedProcess struct {
	port   string
	stderr *syncBuffer
	cancel context.CancelFunc // as SIGINT would
	done   chan int           // the exit code
}

// startServe runs "todos serve" on dir with args and returns once it
// listens.
func startServe(t *testing.T, dir string, args ...string) *servedProcess {
	t.Helper()
	return startServeEnv(t, dir, nil, args...)
}

// startServeEnv is startServe with environment variables vars.
func startServeEnv(t *testing.T, dir string, vars map[string]string, args ...string) *servedProcess {
	t.Helper()
	pr, pw := io.Pipe()
	sp := &servedProcess{stderr: &syncBuffer{}, done: make(chan int, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	sp.cancel = cancel
	go func() {
		sp.done <- Run(ctx, Env{
			Args:  append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, args...),
			Stdin: strings.NewReader(""), Stdout: pw, Stderr: sp.stderr,
			Getenv: func(k string) string { return vars[k] }, Assets: testAssets(t),
		})
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := regexp.MustCompile(`Site:\s+http://localhost:(\d+)/`).FindStringSubmatch(sc.Text()); m != nil {
			sp.port = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if sp.port == "" {
		t.Fatalf("no site URL printed; stderr: %s", sp.stderr.String())
	}
	return sp
}

// stop stops the server as SIGINT would and returns its exit code.
func (sp *servedProcess) stop(t *testing.T) int {
	t.Helper()
	sp.cancel()
	select {
	case code := <-sp.done:
		return code
	case <-time.After(time.Minute): // a bound only a hang reaches
		t.Fatalf("serve did not stop; stderr:\n%s", sp.stderr.String())
		return 0
	}
}

// waitFor calls cond until it holds; it fails the test after a minute,
// a bound that only a missing feature reaches.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
	}
}

// controlExec runs a statement on dir's control database behind the app's
// back, as a crashed process leaves it.
func controlExec(t *testing.T, dir, query string, args ...any) {
	t.Helper()
	db := openWaitingDB(t, filepath.Join(dir, "control.db"))
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// controlCount runs a count query on dir's control database.
func controlCount(t *testing.T, dir, query string) int {
	t.Helper()
	db := openWaitingDB(t, filepath.Join(dir, "control.db"))
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestShutdownThatOverrunsExitsNonZero(t *testing.T) {
	dir := t.TempDir()
	sp := startServe(t, dir, "--shutdown-timeout", "200ms")
	// A request whose body never comes: the server has read its headers
	// (it answers 100 Continue) and waits for the rest.
	conn, err := net.Dial("tcp", "127.0.0.1:"+sp.port)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /signup HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: 100\r\nExpect: 100-continue\r\n\r\n")
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("server answered %q, %v", line, err)
	}
	if code := sp.stop(t); code == 0 {
		t.Errorf("a shutdown that cut a request off exited 0; stderr:\n%s", sp.stderr.String())
	}
	if logs := sp.stderr.String(); !strings.Contains(logs, "cut off") || strings.Contains(logs, `msg=stopped`) {
		t.Errorf("the log does not say requests were cut off:\n%s", logs)
	}
	// The stop was not clean: the next server reconciles the counters.
	if dead, err := deadRuns(dir); err != nil || len(dead) != 1 {
		t.Errorf("deadRuns = %q, %v; want this run's marker", dead, err)
	}
}

func TestCleanStopLeavesNoMarker(t *testing.T) {
	dir := t.TempDir()
	sp := startServe(t, dir)
	if dead, err := deadRuns(dir); err != nil || len(dead) != 0 {
		t.Fatalf("deadRuns while running = %q, %v", dead, err)
	}
	if code := sp.stop(t); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, sp.stderr.String())
	}
	if files, _ := filepath.Glob(filepath.Join(dir, runDir, "*")); len(files) != 0 {
		t.Errorf("a clean stop left %q", files)
	}
}

func TestServerReconcilesCountersAfterAnUncleanStop(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "tenants", "create", "acme", "--email", "o@example.com")
	mustRun(t, dir, "tenants", "create", "beta", "--email", "o@example.com")
	// A server died (kill -9) with the counters of 3 committed todos in
	// its unflushed batch.
	crashed, err := startRunMarker(dir)
	if err != nil {
		t.Fatal(err)
	}
	crashed.close()
	writeBehindTheAppsBack(t, tenantLocation(t, dir, "acme"), 3)
	if out := mustRun(t, dir, "tenants", "list"); listedTodos(out, "acme") != "0" {
		t.Fatalf("before the restart the control plane should lag:\n%s", out)
	}

	sp := startServe(t, dir)
	defer sp.stop(t)
	waitFor(t, "acme's counters to converge without a recount", func() bool {
		return listedTodos(mustRun(t, dir, "tenants", "list"), "acme") == "3"
	})
	waitFor(t, "the dead run's marker to go", func() bool {
		dead, err := deadRuns(dir)
		return err == nil && len(dead) == 0
	})
	if logs := sp.stderr.String(); !strings.Contains(logs, "tenant counters reconciled") {
		t.Errorf("no reconciliation logged:\n%s", logs)
	}
}

func TestServerRemovesAbandonedCreations(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "tenants", "list") // creates the control plane
	// A sign-up killed two minutes ago left its name claimed.
	old := time.Now().Add(-2 * time.Minute).UnixMilli()
	controlExec(t, dir, `INSERT INTO tenants (id, name, region, location, status, created_at, last_active_at)
		VALUES ('t_crashed', 'acme', 'local', '', 'creating', ?, ?)`, old, old)

	sp := startServe(t, dir)
	defer sp.stop(t)
	waitFor(t, "the abandoned creation to be swept", func() bool {
		return strings.Contains(sp.stderr.String(), "removed abandoned creations")
	})
	if n := controlCount(t, dir, "SELECT count(*) FROM tenants WHERE status = 'creating'"); n != 0 {
		t.Errorf("%d 'creating' records left", n)
	}
}
