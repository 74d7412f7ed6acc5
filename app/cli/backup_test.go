package cli

import (
	"database/sql"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"todos/app/internal/testfs"
)

// textColumn returns every value of a text column (read as bytes).
func textColumn(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var vs []string
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, string(b))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

// backupContents checks every database file under dir with
// integrity_check and returns the todo titles of each tenant, found through
// the locations in dir's control.db (which name files under named).
func backupContents(t *testing.T, dir, named string) map[string][]string {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, ".db") {
			return err
		}
		if got := textColumn(t, openDBFile(t, path), "SELECT CAST(integrity_check AS BLOB) FROM pragma_integrity_check"); !slices.Equal(got, []string{"ok"}) {
			t.Errorf("integrity_check of %s: %v", path, got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	control := openDBFile(t, filepath.Join(dir, "control.db"))
	titles := map[string][]string{}
	for _, name := range textColumn(t, control, "SELECT CAST(name AS BLOB) FROM tenants") {
		loc := textColumn(t, control, "SELECT CAST(location AS BLOB) FROM tenants WHERE name = ?", name)[0]
		rel, err := filepath.Rel(named, loc)
		if err != nil || strings.HasPrefix(rel, "..") {
			t.Fatalf("%s's location %s is not in %s", name, loc, named)
		}
		titles[name] = textColumn(t, openDBFile(t, filepath.Join(dir, rel)), "SELECT CAST(title AS BLOB) FROM todos")
	}
	return titles
}

// wantTitles fails unless every title of want[tenant] is in got[tenant].
func wantTitles(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	for tenant, titles := range want {
		have := map[string]bool{}
		for _, s := range got[tenant] {
			have[s] = true
		}
		missing := 0
		for _, s := range titles {
			if !have[s] {
				missing++
			}
		}
		if missing > 0 {
			t.Errorf("%s: %d of %s's %d acknowledged todos are missing", what, missing, tenant, len(titles))
		}
	}
}

func TestBackupCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, "tenants", "create", "acme", "--email", "o@example.com")
	mustRun(t, dir, "tenants", "create", "gone", "--email", "o@example.com")
	mustRun(t, dir, "tenants", "delete", "gone")
	serveBriefly(t, dir) // makes the secret
	out := filepath.Join(t.TempDir(), "nightly", "backup")
	code, stdout, stderr := run(t, []string{"backup", "--data", dir, "--out", out}, "", nil)
	if code != 0 || !strings.Contains(stdout, "Backed up control.db and 2 tenant databases (1 live, 1 in the trash)") {
		t.Fatalf("backup: %d %q %q", code, stdout, stderr)
	}
	if got := backupContents(t, out, dir); len(got) != 2 {
		t.Errorf("tenants in the backup: %v", got)
	}
	if a, b := readFile(t, filepath.Join(dir, secretFile)), readFile(t, filepath.Join(out, secretFile)); a == "" || a != b {
		t.Error("the secret was not copied")
	}
	wantPrivateTree(t, filepath.Dir(out))
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"backup", "--data", dir}, 2, "want --out DIR"},
		{[]string{"backup", "--data", dir, "--out", out}, 1, "is not empty"},
		{[]string{"backup", "--data", filepath.Join(t.TempDir(), "none"), "--out", t.TempDir()}, 1, "does not exist"},
		{[]string{"backup", "--data", t.TempDir(), "--out", t.TempDir()}, 1, "is not a data directory"},
	}
	for _, tt := range tests {
		if code, _, stderr := run(t, tt.args, "", nil); code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
	// Restored elsewhere with --restore-dir, the commands work on it.
	moved := filepath.Join(t.TempDir(), "moved")
	if code, stdout, stderr := run(t, []string{"backup", "--data", dir, "--out", moved + ".tmp", "--restore-dir", moved}, "", nil); code != 0 {
		t.Fatalf("backup for another path: %d %q %q", code, stdout, stderr)
	}
	if err := os.Rename(moved+".tmp", moved); err != nil {
		t.Fatal(err)
	}
	mustRun(t, moved, "tenants", "restore", "gone")
	if list := mustRun(t, moved, "tenants", "list"); !strings.Contains(list, "acme") || !strings.Contains(list, "gone") {
		t.Errorf("list of the restored copy: %s", list)
	}
}

// readFile returns the contents of path, "" if it cannot be read.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, _ := os.ReadFile(path)
	return string(b)
}

// TestBackupOfARunningServerAndItsCleanStop runs the real binary with two
// tenants being written to. A backup taken meanwhile holds every todo
// acknowledged before it started and passes integrity_check; after SIGTERM,
// the *.db files alone (copied without their -wal files) hold every
// acknowledged todo; and the backup, put in place of the data directory,
// is served.
func TestBackupOfARunningServerAndItsCleanStop(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildTodos(t)
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	passwords := map[string]string{}
	for _, name := range []string{"acme", "beta", "gone"} {
		passwords[name] = ownerPassword(t, runBinary(t, bin, dir, "tenants", "create", name, "--email", "o@example.com"))
	}
	runBinary(t, bin, dir, "tenants", "delete", "gone")

	srv, port, logs := startBinary(t, bin, dir)
	w := startWriters(t, port, passwords, "acme", "beta")
	w.waitFor(20)
	before := w.snapshot()
	out := filepath.Join(t.TempDir(), "backup")
	code, stdout, stderr := run(t, []string{"backup", "--data", dir, "--out", out}, "", nil)
	w.waitFor(w.min() + 5) // the writers went on during and after the backup
	w.stop()
	if code != 0 {
		t.Fatalf("backup: %d %q %q", code, stdout, stderr)
	}
	wantTitles(t, "the backup", backupContents(t, out, dir), before)

	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := srv.Wait(); err != nil {
		t.Fatalf("the server did not stop cleanly: %v\n%s", err, logs.String())
	}
	// Commands exit as soon as they have closed the data directory.
	runBinary(t, bin, dir, "admin", "create", "boss@example.com")
	runBinary(t, bin, dir, "tenants", "create", "late", "--email", "o@example.com")
	dbOnly := t.TempDir()
	copyDBFiles(t, dir, dbOnly)
	got := backupContents(t, dbOnly, dir)
	wantTitles(t, "the *.db files alone after a clean stop", got, w.snapshot())
	if _, ok := got["late"]; !ok {
		t.Errorf("the control.db file alone does not list the tenant created last: %v", slices.Collect(maps.Keys(got)))
	}
	if admins := textColumn(t, openDBFile(t, filepath.Join(dbOnly, "control.db")), "SELECT CAST(email AS BLOB) FROM admins"); !slices.Equal(admins, []string{"boss@example.com"}) {
		t.Errorf("the control.db file alone has admins %v", admins)
	}

	// Restore: the backup takes the data directory's place.
	if err := os.Rename(dir, dir+".old"); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(out, dir); err != nil {
		t.Fatal(err)
	}
	srv, port, _ = startBinary(t, bin, dir)
	defer func() { _ = srv.Process.Signal(syscall.SIGTERM); _ = srv.Wait() }()
	for _, name := range []string{"acme", "beta"} {
		page := signedInTenant(t, port, name, "o@example.com", passwords[name]).get("/")
		for _, title := range before[name] {
			if !strings.Contains(page, title) {
				t.Fatalf("the restored %s does not show %q", name, title)
			}
		}
	}
}

// runBinary runs the binary on the data directory dir and returns its
// output; it must succeed.
func runBinary(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append(args, "--data", dir)...)
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("todos %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// copyDBFiles copies every *.db file under from to the same place under to,
// without its -wal and -shm files.
func copyDBFiles(t *testing.T, from, to string) {
	t.Helper()
	testfs.CopyDBFiles(t, from, to)
}

// signedInTenant signs in to tenant on the server at port. The client has
// a transport of its own: one shared by concurrent clients may open a
// spare connection that never carries a request, and the server's graceful
// shutdown waits for such a connection until its timeout.
func signedInTenant(t *testing.T, port, tenant, email, password string) *crashClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	transport := &http.Transport{}
	t.Cleanup(transport.CloseIdleConnections)
	c := &crashClient{t: t, base: "http://" + tenant + ".localhost:" + port, http: &http.Client{
		Jar: jar, Timeout: 10 * time.Second, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	m := csrfField.FindStringSubmatch(c.get("/login"))
	if m == nil {
		t.Fatalf("no CSRF token on %s's sign-in page", tenant)
	}
	c.csrf = m[1]
	resp, err := c.post("/login", url.Values{"email": {email}, "password": {password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in to %s: %v %v", tenant, resp, err)
	}
	return c
}

// writers add todos to tenants, two clients each, and remember every add
// the server acknowledged.
type writers struct {
	tenants int
	mu      sync.Mutex
	acked   map[string][]string
	more    *sync.Cond
	done    chan struct{}
	wg      sync.WaitGroup
}

// startWriters starts the clients of each tenant.
func startWriters(t *testing.T, port string, passwords map[string]string, tenants ...string) *writers {
	w := &writers{tenants: len(tenants), acked: map[string][]string{}, done: make(chan struct{})}
	w.more = sync.NewCond(&w.mu)
	for _, tenant := range tenants {
		for n := range 2 {
			c := signedInTenant(t, port, tenant, "o@example.com", passwords[tenant])
			w.wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-w.done:
						return
					default:
					}
					title := fmt.Sprintf("%s-w%d-%d", tenant, n, i)
					if c.add(title) {
						w.mu.Lock()
						w.acked[tenant] = append(w.acked[tenant], title)
						w.more.Broadcast()
						w.mu.Unlock()
					}
				}
			})
		}
	}
	return w
}

// min returns the fewest todos acknowledged for one tenant.
func (w *writers) min() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.minLocked()
}

func (w *writers) minLocked() int {
	n := -1
	for _, titles := range w.acked {
		if n < 0 || len(titles) < n {
			n = len(titles)
		}
	}
	if len(w.acked) < w.tenants {
		return 0
	}
	return n
}

// waitFor waits until every tenant has at least n acknowledged todos.
func (w *writers) waitFor(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.minLocked() < n {
		w.more.Wait()
	}
}

// snapshot returns a copy of the acknowledged todos.
func (w *writers) snapshot() map[string][]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := map[string][]string{}
	for k, v := range w.acked {
		s[k] = slices.Clone(v)
	}
	return s
}

// stop stops the clients and waits for them.
func (w *writers) stop() {
	close(w.done)
	w.wg.Wait()
}
