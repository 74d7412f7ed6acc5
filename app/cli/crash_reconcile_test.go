package cli

import (
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"todos/app/store"
)

// countTodos counts the todos in the tenant database at path.
func countTodos(t *testing.T, path string) int {
	t.Helper()
	connector, err := store.OpenConnector("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM todos").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCountersConvergeAfterKill kills the real binary while clients add
// todos, so that its last batch of counters dies with it, and starts it
// again: without anyone running "todos tenants recount" or using the
// tenant, the control plane comes to count every todo in the database.
func TestCountersConvergeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "todos")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	created := mustRun(t, dir, "tenants", "create", "acme", "--email", "o@example.com")
	password := regexp.MustCompile(`Owner password \(shown once\): (\S+)`).FindStringSubmatch(created)[1]
	mustRun(t, dir, "tenants", "create", "idle", "--email", "o@example.com")

	srv, port := startBinary(t, bin, dir)
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
	for acked.Load() < 40 {
		time.Sleep(5 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()
	close(stop)
	wg.Wait()

	stored := countTodos(t, tenantLocation(t, dir, "acme"))
	shown := listedTodos(mustRun(t, dir, "tenants", "list"), "acme")
	t.Logf("after the kill: %d todos stored, the control plane shows %s", stored, shown)
	if stored < int(acked.Load()) {
		t.Fatalf("%d adds were answered, %d todos stored", acked.Load(), stored)
	}

	srv, _ = startBinary(t, bin, dir)
	defer func() { _ = srv.Process.Signal(syscall.SIGTERM); _ = srv.Wait() }()
	waitFor(t, fmt.Sprintf("the control plane to count the %d stored todos", stored), func() bool {
		return listedTodos(mustRun(t, dir, "tenants", "list"), "acme") == strconv.Itoa(stored)
	})
}
