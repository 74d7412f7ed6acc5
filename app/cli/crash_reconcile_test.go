package cli

import (
	"fmt"
	"strconv"
	"syscall"
	"testing"
)

// countTodos counts the todos in the tenant database at path.
func countTodos(t *testing.T, path string) int {
	t.Helper()
	db := openWaitingDB(t, path)
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
	bin := buildTodos(t)
	dir := t.TempDir()
	password := ownerPassword(t, mustRun(t, dir, "tenants", "create", "acme", "--email", "o@example.com"))
	mustRun(t, dir, "tenants", "create", "idle", "--email", "o@example.com")
	acked := killWhileAdding(t, bin, dir, password, 40)

	stored := countTodos(t, tenantLocation(t, dir, "acme"))
	shown := listedTodos(mustRun(t, dir, "tenants", "list"), "acme")
	t.Logf("after the kill: %d todos stored, the control plane shows %s", stored, shown)
	if stored < int(acked) {
		t.Fatalf("%d adds were answered, %d todos stored", acked, stored)
	}

	srv, _, _ := startBinary(t, bin, dir)
	defer func() { _ = srv.Process.Signal(syscall.SIGTERM); _ = srv.Wait() }()
	waitFor(t, fmt.Sprintf("the control plane to count the %d stored todos", stored), func() bool {
		return listedTodos(mustRun(t, dir, "tenants", "list"), "acme") == strconv.Itoa(stored)
	})
}
