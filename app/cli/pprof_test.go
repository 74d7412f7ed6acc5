package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestPprofAddrMustBeLoopback(t *testing.T) {
	dir := t.TempDir()
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "192.0.2.1:6060", "example.com:6060", "127.0.0.1"} {
		code, _, stderr := run(t, []string{"serve", "--data", dir, "--pprof-addr", addr}, "", nil)
		if code != 2 || !strings.Contains(stderr, "invalid --pprof-addr") {
			t.Errorf("--pprof-addr %s: exit %d, %q; want it refused", addr, code, stderr)
		}
	}
	code, _, stderr := run(t, []string{"serve", "--data", dir}, "", map[string]string{"TODOS_PPROF_ADDR": "[::]:6060"})
	if code != 2 || !strings.Contains(stderr, "invalid --pprof-addr") {
		t.Errorf("TODOS_PPROF_ADDR=[::]:6060: exit %d, %q; want it refused", code, stderr)
	}
}

func TestPprofServesOnItsOwnListener(t *testing.T) {
	dir := t.TempDir()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, Env{
			Args:  []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--pprof-addr", "127.0.0.1:0", "--log-format", "text"},
			Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: pw,
			Getenv: func(string) string { return "" }, Assets: testAssets(t),
		})
		pw.Close()
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop")
		}
	}()
	var addr string
	sc := bufio.NewScanner(pr)
	for sc.Scan() && !strings.Contains(sc.Text(), "msg=listening") { // logged after the profiler starts
		if m := regexp.MustCompile(`msg="pprof listening" addr=(127\.0\.0\.1:\d+)`).FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if addr == "" {
		t.Fatal("the profiler's address was not logged")
	}
	resp, err := http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine profile") {
		t.Errorf("goroutine profile: %d %.200s", resp.StatusCode, body)
	}
}
