package console

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"todos/app"
)

// fixture is the tenant schema of schema.sql plus a view, a trigger and
// rows holding every kind of value.
var fixture = []string{
	`CREATE TABLE users (
		id            INTEGER PRIMARY KEY,
		email         TEXT    NOT NULL UNIQUE,
		password_hash TEXT    NOT NULL,
		created_at    INTEGER NOT NULL)`,
	`CREATE TABLE todos (
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		title      TEXT    NOT NULL CHECK (length(title) > 0),
		completed  INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL)`,
	`CREATE INDEX todos_completed ON todos (completed)`,
	`CREATE VIEW open_todos AS SELECT id, title FROM todos WHERE completed = 0`,
	`CREATE TRIGGER todos_touch AFTER UPDATE OF title ON todos BEGIN
		UPDATE todos SET updated_at = updated_at + 1 WHERE id = new.id; END`,
	`CREATE TABLE vals (id INTEGER PRIMARY KEY, v)`,
	`INSERT INTO users VALUES (1, 'ann@example.com', 'x', 1700000000000)`,
	`INSERT INTO todos (title, completed, created_at, updated_at) VALUES
		('buy milk', 0, 1, 1), ('call bob', 1, 2, 2), ('write tests', 0, 3, 3)`,
	`INSERT INTO vals VALUES (1, NULL), (2, 42), (3, 1.5), (4, 'text'), (5, x'00ff10'),
		(6, '2024-01-02'), (7, '2024-01-02 10:00:00'), (8, 0.1), (9, -9223372036854775808), (10, 1e300),
		(11, 'it''s'), (12, ''), (13, x''), (14, 100.0)`,
}

// newDB creates a tenant database from fixture in a directory of its own
// and returns its path. journal is the journal mode ("wal" or "delete").
func newDB(t *testing.T, journal string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tenant.db")
	db := openTestDB(t, path)
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode=" + journal).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	for _, q := range fixture {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// openTestDB opens path read-write with one connection that waits for
// locks, closed (with the native database) at the end of the test.
func openTestDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	probe, err := sql.Open(driverName, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	connector, err := probe.Driver().(driver.DriverContext).OpenConnector("file:" + path)
	_ = probe.Close()
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector) // closes connector, and the native database, on Close
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	t.Cleanup(func() { _ = db.Close() })
	var ms int
	if err := db.QueryRow("PRAGMA busy_timeout=5000").Scan(&ms); err != nil {
		t.Fatal(err)
	}
	return db
}

// testRunner returns a Runner that starts this test binary as the child.
// Race-enabled binaries sleep a second before exiting unless told not to.
func testRunner() *Runner {
	return &Runner{
		Command:  []string{os.Args[0]},
		Env:      append(os.Environ(), childEnv+"=1", "GORACE=atexit_sleep_ms=0"),
		Timeout:  20 * time.Second, // race-enabled children start slowly
		Parallel: 64,
	}
}

// run runs sql on the database at path in the given mode.
func run(t *testing.T, path, sql string, write bool) (*app.ConsoleResult, error) {
	t.Helper()
	return testRunner().Run(context.Background(), path, app.ConsoleRequest{SQL: sql, Write: write})
}

// mustRun runs sql and fails the test on an error.
func mustRun(t *testing.T, path, sql string, write bool) *app.ConsoleResult {
	t.Helper()
	res, err := run(t, path, sql, write)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return res
}

// snapshot maps every file under dir to a hash of its contents. The
// contents of -shm files (WAL index, where readers record their position)
// are left out; their names count.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasSuffix(p, "-shm") {
			files[rel] = "(shm)"
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		files[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// dump returns every row of every table of the database at path, as
// quoted SQL values, read through a connection of its own.
func dump(t *testing.T, path string) string {
	t.Helper()
	db := openTestDB(t, path)
	defer db.Close()
	var tables []string
	rows, err := db.Query("SELECT CAST(name AS BLOB) FROM sqlite_schema WHERE type = 'table' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name []byte
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, string(name))
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		var cols []string
		rows, err := db.Query("SELECT CAST(name AS BLOB) FROM pragma_table_info(?)", table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var col []byte
			if err := rows.Scan(&col); err != nil {
				t.Fatal(err)
			}
			cols = append(cols, `quote("`+string(col)+`")`)
		}
		rows.Close()
		q := `SELECT CAST(group_concat(` + strings.Join(cols, " || ',' || ") + `, ';') AS BLOB) FROM "` + table + `"`
		var dumped []byte
		if err := db.QueryRow(q).Scan(&dumped); err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		b.WriteString(table + ":" + string(dumped) + "\n")
	}
	return b.String()
}

// sameFiles fails the test when two snapshots differ.
func sameFiles(t *testing.T, before, after map[string]string) {
	t.Helper()
	for name, h := range after {
		if b, ok := before[name]; !ok {
			t.Errorf("new file %s", name)
		} else if b != h {
			t.Errorf("%s changed", name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			t.Errorf("file %s disappeared", name)
		}
	}
}

// wantCode fails the test unless err has the given app error code and its
// message contains msg.
func wantCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error %q, got none", code, msg)
	}
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("code = %s, want %s (%v)", got, code, err)
	}
	if !strings.Contains(app.ErrorMessage(err), msg) {
		t.Fatalf("message = %q, want it to contain %q", app.ErrorMessage(err), msg)
	}
}
