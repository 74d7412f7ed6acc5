package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"todos/app"
)

// sqlite3Shell is the real SQLite command-line shell, to read exports with
// another SQLite than the one in go-libsql.
const sqlite3Shell = "/usr/bin/sqlite3"

// shell runs one SQL statement on the database file at path with the sqlite3
// shell and returns its trimmed output.
func shell(t *testing.T, path, sql string) string {
	t.Helper()
	if _, err := os.Stat(sqlite3Shell); err != nil {
		t.Skipf("no sqlite3 shell: %v", err)
	}
	out, err := exec.Command(sqlite3Shell, path, sql).CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3 %s %q: %v: %s", path, sql, err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestExportTenantUnderConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 8)
	src := e.createTenant(t, "source")
	const prefilled = 5000
	e.prefill(t, src, prefilled)
	w := startWriters(t, e, src, 4)

	out := t.TempDir()
	first := w.count()
	var befores [][]int64
	var paths []string
	for i := range 3 {
		before := w.ids()
		var buf bytes.Buffer
		n, err := e.tenants.ExportTenant(ctx, "source", &buf)
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(buf.Len()) || n == 0 {
			t.Fatalf("ExportTenant returned %d for %d bytes", n, buf.Len())
		}
		path := filepath.Join(out, fmt.Sprintf("export-%d.db", i))
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		befores, paths = append(befores, before), append(paths, path)
	}
	during := w.count() - first
	w.finish(t)
	if during == 0 {
		t.Errorf("no write committed while the exports ran: the test proves nothing")
	}
	t.Logf("%d todos committed while 3 exports ran", during)

	for i, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(b[:16]) != sqliteMagic || b[18] != 1 || b[19] != 1 {
			t.Errorf("export %d: header %q, format bytes %d %d (want a rollback-journal file)", i, b[:16], b[18], b[19])
		}
		ids := wantSnapshot(t, openReadOnly(t, path), prefilled, befores[i])
		if got := shell(t, path, "select count(*) from todos"); got != strconv.Itoa(len(ids)) {
			t.Errorf("export %d: sqlite3 counts %s todos, go-libsql %d", i, got, len(ids))
		}
		if got := shell(t, path, "pragma integrity_check"); got != "ok" {
			t.Errorf("export %d: sqlite3 integrity_check: %s", i, got)
		}
		if got := shell(t, path, "select email from users"); got != "owner@example.com" {
			t.Errorf("export %d: users %q", i, got)
		}
	}
	if staged := stagedFiles(t, e.tenantsDir()); len(staged) != 0 {
		t.Errorf("staged files left: %q", staged)
	}
}

func TestExportTenantRefusals(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	e.createTenant(t, "gone")
	if err := e.tenants.DeleteTenant(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gone", "nope", "bad name!"} {
		var buf bytes.Buffer
		_, err := e.tenants.ExportTenant(ctx, name, &buf)
		wantCode(t, err, app.ENOTFOUND)
		if buf.Len() != 0 {
			t.Errorf("%s: %d bytes written", name, buf.Len())
		}
	}
	if staged := stagedFiles(t, e.tenantsDir()); len(staged) != 0 {
		t.Errorf("staged files left: %q", staged)
	}
}

func TestTenantSize(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	small, err := e.tenants.TenantSize(ctx, tn)
	if err != nil || small <= 0 {
		t.Fatalf("TenantSize = %d, %v", small, err)
	}
	e.prefill(t, tn, 2000)
	if big, err := e.tenants.TenantSize(ctx, tn); err != nil || big <= small {
		t.Errorf("TenantSize after 2000 todos = %d, %v; was %d", big, err, small)
	}
	_, err = e.tenants.TenantSize(ctx, &app.Tenant{Location: filepath.Join(e.tenantsDir(), "t_missing.db")})
	wantCode(t, err, app.ENOTFOUND)
}
