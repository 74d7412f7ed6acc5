package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"todos/app"
	"todos/app/store"
)

// consoleRun runs sql in acme's console, in write mode (confirmed) when
// write is true.
func consoleRun(h *hostileEnv, sql string, write bool) *response {
	h.t.Helper()
	form := url.Values{"sql": {sql}}
	if write {
		form.Set("write", "1")
		form.Set("confirm_write", "1")
	}
	return h.admin.post(adminURL+"/tenants/acme/console", form)
}

// wantConsoleRefused fails unless the console refused sql with a message.
func wantConsoleRefused(t *testing.T, h *hostileEnv, sql string, write bool) {
	t.Helper()
	r := consoleRun(h, sql, write)
	if r.StatusCode < 400 || r.StatusCode >= 500 || !strings.Contains(r.Body, `class="alert console-error"`) {
		t.Errorf("console (write %v) %q: %d, not refused", write, sql, r.StatusCode)
	}
}

// consoleCell finds the first value of a console result.
var consoleCell = regexp.MustCompile(`<table id="console-result"[\s\S]*?<tbody><tr><td class="[a-z]+">([^<]*)</td>`)

// freshOpen opens the tenant's database as the server does after a restart
// (a pool of its own) and reads its todos.
func freshOpen(t *testing.T, h *hostileEnv, name string) error {
	t.Helper()
	ms, err := store.ParseMigrations(mustReadSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	pool := store.NewTenantPool(store.LocalProvider{Dir: filepath.Join(h.dir, "tenants")}, ms, h.control, 2)
	defer pool.Close()
	list, err := pool.OpenList(context.Background(), h.tenant(name))
	if err != nil {
		return err
	}
	defer list.Release()
	_, _, err = list.Todos(context.Background(), app.FilterAll)
	return err
}

// TestHostileConsole: the SQL console reaches the tenant's own database
// and nothing else, changes nothing in read mode, and nothing it writes can
// break the tenant's list.
func TestHostileConsole(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "console-attach", attack: func(t *testing.T, h *hostileEnv) {
			dir := t.TempDir()
			bravo := h.tenant("bravo").Location
			control := filepath.Join(h.dir, "control.db")
			for _, tc := range []struct {
				sql   string
				write bool
			}{
				{"ATTACH DATABASE '" + filepath.Join(dir, "new.db") + "' AS x", false},
				{"ATTACH '" + bravo + "' AS b", true},
				{"SELECT sqlite_attach('file:" + control + "?mode=ro', 'c', NULL)", false},
				{"VACUUM INTO '" + filepath.Join(dir, "copy.db") + "'", true},
			} {
				wantConsoleRefused(t, h, tc.sql, tc.write)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("the console created files: %v", entries)
			}
		}},
		{name: "console-pragma-writes", attack: func(t *testing.T, h *hostileEnv) {
			version := consoleValueOf(t, h, "acme", "PRAGMA user_version")
			for _, sql := range []string{"PRAGMA user_version = 99", "PRAGMA writable_schema = ON", "PRAGMA temp_store_directory = '/tmp'"} {
				wantConsoleRefused(t, h, sql, false)
			}
			for _, sql := range []string{"PRAGMA journal_mode = DELETE", "PRAGMA writable_schema = ON"} {
				wantConsoleRefused(t, h, sql, true)
			}
			if after := consoleValueOf(t, h, "acme", "PRAGMA user_version"); after != version {
				t.Errorf("user_version after the refused pragmas: %s; was %s", after, version)
			}
		}},
		{name: "console-load-extension", attack: func(t *testing.T, h *hostileEnv) {
			for _, tc := range []struct {
				sql   string
				write bool
			}{
				{"SELECT load_extension('/lib/x86_64-linux-gnu/libc.so.6')", false},
				{"SELECT load_extension('./evil')", true},
				{"SELECT readfile('/etc/passwd')", false},
				{"UPDATE todos SET title = writefile('" + filepath.Join(t.TempDir(), "w") + "', title)", true},
			} {
				wantConsoleRefused(t, h, tc.sql, tc.write)
			}
		}},
		{name: "console-writes-in-read-mode", attack: func(t *testing.T, h *hostileEnv) {
			before := h.titles("acme")
			for _, sql := range []string{"DELETE FROM todos", "UPDATE users SET password_hash = 'x'",
				"INSERT INTO todos (title, created_at, updated_at) VALUES ('planted', 0, 0)",
				"WITH t AS (SELECT 1) DELETE FROM todos", "DROP TABLE todos",
				"CREATE TRIGGER planted AFTER INSERT ON todos BEGIN DELETE FROM users; END",
				"SELECT 1; DELETE FROM todos"} {
				wantConsoleRefused(t, h, sql, false)
			}
			if after := h.titles("acme"); !slices.Equal(after, before) {
				t.Errorf("acme's todos after refused writes: %q; were %q", after, before)
			}
			if r := h.acme.get(acmeURL + "/"); r.StatusCode != http.StatusOK {
				t.Errorf("acme's owner after refused writes: %d", r.StatusCode)
			}
		}},
		{name: "console-write-of-wrong-types", finding: "5", attack: func(t *testing.T, h *hostileEnv) {
			// Well-formed text where the app stores numbers: refused or
			// repaired, and the list still opens.
			for _, sql := range []string{"UPDATE todos SET created_at = 'yesterday'", "UPDATE todos SET updated_at = x'00'",
				"UPDATE todos SET created_at = 1.5e300", "UPDATE todos SET title = x'41'", "UPDATE users SET created_at = 'x'"} {
				consoleRun(h, sql, true)
			}
			if r := h.acme.get(acmeURL + "/"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "acme secret") {
				t.Errorf("acme's list after console writes of the wrong type: %d\n%s", r.StatusCode, clipBody(r.Body))
			}
		}},
		{name: "console-write-of-schema-version", finding: "new", attack: func(t *testing.T, h *hostileEnv) {
			// user_version is the tenant's migration state: a value set in
			// write mode must not leave acme unopenable after a restart.
			for _, v := range []string{"0", "99"} {
				consoleRun(h, "PRAGMA user_version = "+v, true)
				if err := freshOpen(t, h, "acme"); err != nil {
					t.Errorf("after PRAGMA user_version = %s in write mode, acme's next open: %v", v, err)
				}
			}
		}},
		{name: "console-write-of-invalid-utf8", finding: "5", isolated: true, attack: func(t *testing.T, h *hostileEnv) {
			// The reproduction: the write went through, the owner's
			// next list crashed the server.
			for _, sql := range []string{"UPDATE todos SET created_at = CAST(x'ff' AS TEXT)",
				"UPDATE todos SET title = CAST(x'ff41' AS TEXT)",
				"UPDATE users SET email = CAST(x'ff' AS TEXT) || email"} {
				consoleRun(h, sql, true)
			}
			h.acme.get(acmeURL + "/")
			h.acme.get(acmeURL + "/completed")
			h.admin.get(adminURL + "/tenants/acme")
			consoleRun(h, "SELECT * FROM todos", false)
			consoleRun(h, "SELECT * FROM users", false)
		}},
	})
}
