package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestKillMidWriteLosesNoAcknowledgedWrite runs the real binary, adds todos
// from several clients, kills the process with SIGKILL while they are
// writing, and starts it again: every add that was answered is there, the
// server starts cleanly, and `todos tenants recount` brings the control
// plane's counters (whose last batch died with the process) in line.
func TestKillMidWriteLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildTodos(t)
	dir := t.TempDir()
	password := ownerPassword(t, mustRun(t, dir, "tenants", "create", "acme", "--email", "o@example.com"))
	answered := killWhileAdding(t, bin, dir, password, 40)

	srv, port, _ := startBinary(t, bin, dir)
	defer func() { _ = srv.Process.Signal(syscall.SIGTERM); _ = srv.Wait() }()
	client := signedInClient(t, port, "o@example.com", password)
	page := client.get("/")
	items := int64(strings.Count(page, `data-testid="todo-item"`))
	if items < answered {
		t.Fatalf("%d adds were answered before the kill, %d todos after the restart", answered, items)
	}
	out := mustRun(t, dir, "tenants", "recount", "acme")
	if out2 := mustRun(t, dir, "tenants", "list"); !strings.Contains(out2, fmt.Sprintf("active  %d ", items)) {
		t.Errorf("after the recount the control plane does not count %d todos:\n%s\n%s", items, out, out2)
	}
}

// buildTodos builds the binary into a temporary directory.
func buildTodos(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "todos")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// ownerPassword returns the owner password "todos tenants create" printed.
func ownerPassword(t *testing.T, created string) string {
	t.Helper()
	m := regexp.MustCompile(`Owner password \(shown once\): (\S+)`).FindStringSubmatch(created)
	if m == nil {
		t.Fatalf("no owner password printed:\n%s", created)
	}
	return m[1]
}

// killWhileAdding starts the binary on dir, has four clients signed in to
// acme (owner o@example.com) add todos until at least n adds were
// answered, kills the server with SIGKILL while they are writing and
// returns how many adds were answered.
func killWhileAdding(t *testing.T, bin, dir, password string, n int64) int64 {
	t.Helper()
	srv, port, _ := startBinary(t, bin, dir)
	client := signedInClient(t, port, "o@example.com", password)
	var acked atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if client.add(fmt.Sprintf("w%d-%d", w, i)) {
					acked.Add(1)
				}
			}
		})
	}
	for acked.Load() < n {
		time.Sleep(5 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()
	close(stop)
	wg.Wait()
	return acked.Load()
}

// startBinary starts "todos serve" on a free port of 127.0.0.1 and
// returns it once it listens, with its port and its log.
func startBinary(t *testing.T, bin, dir string) (*exec.Cmd, string, *syncBuffer) {
	t.Helper()
	var logs syncBuffer
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", dir)
	cmd.Stderr = &logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := regexp.MustCompile(`Site:\s+http://localhost:(\d+)/`).FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stdout)
			return cmd, m[1], &logs
		}
	}
	_ = cmd.Process.Kill()
	t.Fatalf("the server printed no address:\n%s", logs.String())
	return nil, "", nil
}

// crashClient is a browser-like client of one tenant's host.
type crashClient struct {
	t    *testing.T
	http *http.Client
	base string // http://acme.localhost:PORT
	csrf string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signedInClient signs in to acme on the server at port.
func signedInClient(t *testing.T, port, email, password string) *crashClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &crashClient{t: t, base: "http://acme.localhost:" + port, http: &http.Client{
		Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	page := c.get("/login")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page:\n%.500s", page)
	}
	c.csrf = m[1]
	resp, err := c.post("/login", url.Values{"email": {email}, "password": {password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	return c
}

func (c *crashClient) get(path string) string {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func (c *crashClient) post(path string, form url.Values) (*http.Response, error) {
	form.Set("_csrf", c.csrf)
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	resp, err := c.http.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

// add adds a todo and reports whether the server answered that it did.
func (c *crashClient) add(title string) bool {
	resp, err := c.post("/todos", url.Values{"title": {title}})
	return err == nil && resp.StatusCode == http.StatusSeeOther
}
