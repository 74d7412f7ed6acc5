package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"todos/app"
)

// withFF makes the byte 0xFF out of every "QQ" in the names and definitions
// of the schema's objects: SQL text that go-libsql sends must be UTF-8, so
// a crafted name is written as QQ and then patched in place.
var withFF = []string{
	"PRAGMA writable_schema = ON",
	`UPDATE sqlite_schema SET name = CAST(replace(name, 'QQ', x'ff') AS TEXT),
		tbl_name = CAST(replace(tbl_name, 'QQ', x'ff') AS TEXT),
		sql = CAST(replace(sql, 'QQ', x'ff') AS TEXT) WHERE sql LIKE '%QQ%'`,
}

// craftedCase is a tenant database changed into one that the app cannot
// read as go-libsql returns it: stmts run on one connection of the
// database, and an import of such a file is refused with refused.
type craftedCase struct {
	name    string
	stmts   []string
	refused string
}

// craftedCases each hold a value that aborted the process when read as is.
var craftedCases = []craftedCase{
	{name: "table named 0xFF", refused: `table "sqlite_schema", column "name", row`,
		stmts: append([]string{"CREATE TABLE xQQy (z)", "INSERT INTO xQQy VALUES (1)"}, withFF...)},
	{name: "table named 0xFF with a NULL in a NOT NULL column", refused: "NULL value in x\uFFFDy.z",
		stmts: append([]string{"CREATE TABLE xQQy (z)", "INSERT INTO xQQy VALUES (NULL)"},
			append(withFF, "UPDATE sqlite_schema SET sql = replace(sql, '(z)', '(z NOT NULL)') WHERE type = 'table' AND sql LIKE '%(z)'")...)},
	{name: "created_at is text 0xFF", refused: `table "todos", column "created_at", row 1: text that is not valid UTF-8`,
		stmts: []string{"UPDATE todos SET created_at = CAST(x'ff' AS TEXT) WHERE id = 1"}},
	{name: "title is not UTF-8", refused: `table "todos", column "title", row 2: text that is not valid UTF-8`,
		stmts: []string{"UPDATE todos SET title = CAST(x'41ff42' AS TEXT) WHERE id = 2"}},
	{name: "completed is text yes", refused: `table "todos", column "completed", row 1: text where TODOs keeps an integer`,
		stmts: []string{"PRAGMA ignore_check_constraints = ON", "UPDATE todos SET completed = 'yes' WHERE id = 1"}},
	{name: "completed is text 0xFF", refused: `table "todos", column "completed", row 1: text that is not valid UTF-8`,
		stmts: []string{"PRAGMA ignore_check_constraints = ON", "UPDATE todos SET completed = CAST(x'ff' AS TEXT) WHERE id = 1"}},
	{name: "id is text", refused: `column "id" of table "todos" is not defined as TODOs defines it`,
		stmts: []string{"DROP TABLE todos", `CREATE TABLE todos (
			id         INTEGER PRIMARY KEY,
			title      TEXT    NOT NULL CHECK (length(title) > 0),
			completed  INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
			created_at INTEGER NOT NULL,
			updated_at INTEGER NOT NULL) WITHOUT ROWID`,
			"INSERT INTO todos VALUES (CAST(x'ff' AS TEXT), 'a', 0, 0, 0), ('yes', 'b', 1, 0, 0), (3, 'c', 0, 0, 0)"}},
	{name: "email is not UTF-8", refused: `table "users", column "email", row 1: text that is not valid UTF-8`,
		stmts: []string{"UPDATE users SET email = CAST(x'ff' AS TEXT) || email"}},
	{name: "password hash is not UTF-8", refused: `column "password_hash", row 1: text that is not valid UTF-8`,
		stmts: []string{"UPDATE users SET password_hash = CAST(x'ff' AS TEXT)"}},
	{name: "user created_at is text", refused: `column "created_at", row 1: text where TODOs keeps an integer`,
		stmts: []string{"UPDATE users SET created_at = 'yesterday'"}},
	{name: "session data is not UTF-8", refused: `table "sessions", column "data", row 1: text that is not valid UTF-8`,
		stmts: []string{"INSERT INTO sessions VALUES ('k', CAST(x'ff' AS TEXT), 99999999999999)"}},
	{name: "session token is not UTF-8", refused: `table "sessions", column "token_hash", row 1: text that is not valid UTF-8`,
		stmts: []string{"INSERT INTO sessions VALUES (CAST(x'ff' AS TEXT), x'00', 99999999999999)"}},
	{name: "counts are text", refused: `table "todo_stats", column "total", row 1: text that is not valid UTF-8`,
		stmts: []string{"UPDATE todo_stats SET total = CAST(x'ff' AS TEXT), completed = 'x'"}},
	{name: "todos without its CHECK constraints", refused: `its table "todos" is not defined as TODOs defines it`,
		stmts: []string{"DROP TABLE todos", `CREATE TABLE todos (
			id         INTEGER PRIMARY KEY AUTOINCREMENT,
			title      TEXT    NOT NULL,
			completed  INTEGER NOT NULL DEFAULT 0,
			created_at INTEGER NOT NULL,
			updated_at INTEGER NOT NULL)`,
			"INSERT INTO todos VALUES (1, 'a', 2, 0, 0), (2, '', 0, 0, 0), (3, 'c', -1, 0, 0)"}},
	{name: "index named 0xFF", refused: `table "sqlite_schema", column "name", row`,
		stmts: append([]string{"CREATE INDEX iQQ ON todos (title)"}, withFF...)},
	{name: "index named 0xFF out of step with its table", refused: "index i\uFFFD",
		stmts: append([]string{"CREATE INDEX iQQ ON todos (title)"},
			append(withFF, "UPDATE sqlite_schema SET sql = replace(sql, '(title)', '(created_at)') WHERE type = 'index' AND sql LIKE '%(title)'")...)},
	{name: "trigger named 0xFF", refused: `it has a trigger "t\xff" that TODOs does not define`,
		stmts: append([]string{"CREATE TRIGGER tQQ AFTER INSERT ON todos BEGIN SELECT 1; END"}, withFF...)},
	{name: "view with 0xFF in its SQL", refused: `it has a view "v" that TODOs does not define`,
		stmts: append([]string{"CREATE VIEW v AS SELECT 'QQ' AS a, 1 AS QQ"}, withFF...)},
	{name: "trigger of TODOs writing 0xFF", refused: `its trigger "todos_counted_on_insert" is not defined as TODOs defines it`,
		stmts: []string{"DROP TRIGGER todos_counted_on_insert",
			"CREATE TRIGGER todos_counted_on_insert AFTER INSERT ON todos BEGIN UPDATE todo_stats SET total = CAST(x'ff' AS TEXT) WHERE id = 1; END"}},
}

// craftedSource creates a tenant with three todos (the first completed)
// and its owner.
func craftedSource(t *testing.T, e *testEnv, name string) *app.Tenant {
	t.Helper()
	tn := e.createTenant(t, name)
	e.addTodos(t, tn, 3)
	tdb := e.acquire(t, tn)
	defer tdb.Release()
	if _, _, err := tdb.ToggleTodo(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	return tn
}

// tamper runs stmts on one connection of the database file at path.
func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	db, err := openPlain(fileDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The pool closes a database in the background: wait for it.
	for _, q := range append([]string{"PRAGMA busy_timeout = 5000"}, stmts...) {
		rows, err := db.QueryContext(ctx, q)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestImportRefusesCraftedFiles imports an exported database changed by
// each crafted case: the import is refused with a message naming the
// problem, nothing is left behind, and the process lives. Before the fix,
// some aborted the process in the integrity check and the others passed
// every check (and aborted it when the list was opened).
func TestImportRefusesCraftedFiles(t *testing.T) {
	for _, tc := range craftedCases {
		t.Run(tc.name, func(t *testing.T) {
			if !isolate(t) {
				return
			}
			e := newTestEnv(t, 4)
			craftedSource(t, e, "source")
			path := filepath.Join(t.TempDir(), "crafted.db")
			if err := os.WriteFile(path, e.exportBytes(t, "source"), 0o600); err != nil {
				t.Fatal(err)
			}
			tamper(t, path, tc.stmts...)
			file, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			before := e.state(t)
			_, err = e.tenants.ImportTenant(context.Background(), importInput("imported", file))
			wantCode(t, err, app.EINVALID)
			if msg := app.ErrorMessage(err); !strings.Contains(msg, tc.refused) {
				t.Fatalf("refusal %q does not say %q", msg, tc.refused)
			}
			e.wantState(t, before)
		})
	}
}

// TestImportRefusesUTF16 refuses a database that stores its text as
// UTF-16: cast to bytes, its text would read as UTF-16, and read as text,
// a lone surrogate converts to bytes that are not UTF-8.
func TestImportRefusesUTF16(t *testing.T) {
	if !isolate(t) {
		return
	}
	e := newTestEnv(t, 4)
	ms := tenantMigrations(t)
	stmts := []string{"PRAGMA encoding = 'UTF-16le'"}
	for _, m := range ms {
		stmts = append(stmts, m.Statements...)
	}
	stmts = append(stmts, "INSERT INTO todos (title, completed, created_at, updated_at) VALUES (CAST(x'00d8' AS TEXT), 0, 0, 0)",
		"PRAGMA user_version = "+strconv.Itoa(LatestVersion(ms)))
	_, err := e.tenants.ImportTenant(context.Background(), importInput("imported", makeDB(t, stmts...)))
	wantCode(t, err, app.EINVALID)
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "UTF-16") {
		t.Fatalf("refusal %q does not mention UTF-16", msg)
	}
}

// TestCraftedLiveTenant writes each crafted case straight into a live
// tenant's database, as a bug or a hand-edited file would, and uses it the
// ways the app does: the list, one item, the counts, sign-in lookups, a
// session, writes, the admin's tenant page (recount, size), export, clone
// and import of the export. Nothing may abort the process; reading the
// list, the counts, recounting, exporting and cloning must work.
func TestCraftedLiveTenant(t *testing.T) {
	for _, tc := range craftedCases {
		t.Run(tc.name, func(t *testing.T) {
			if !isolate(t) {
				return
			}
			ctx := context.Background()
			e := newTestEnv(t, 4)
			tn := craftedSource(t, e, "crafted")
			<-e.pool.Evict(tn.ID)
			tamper(t, tn.Location, tc.stmts...)

			tdb := e.acquire(t, tn)
			todos, stats, err := tdb.Todos(ctx, app.FilterAll)
			if err != nil || len(todos) != 3 || stats.Total != 3 {
				t.Fatalf("list: %d todos, %+v, %v", len(todos), stats, err)
			}
			for _, td := range todos {
				if !utf8.ValidString(td.Title) {
					t.Fatalf("title %q is not valid UTF-8", td.Title)
				}
			}
			if _, err := tdb.Stats(ctx); err != nil {
				t.Fatalf("stats: %v", err)
			}
			// These may fail on such a database, but must not abort.
			_, _ = tdb.Todo(ctx, 1)
			_, _ = tdb.UserByEmail(ctx, "owner@example.com")
			_, _ = tdb.UserByID(ctx, 1)
			_, _, _ = tdb.FindSession(ctx, "k")
			_, _, _ = tdb.AddTodo(ctx, "added after")
			_, _, _ = tdb.ToggleTodo(ctx, 2)
			_, _, _ = tdb.Todos(ctx, app.FilterCompleted)
			tdb.Release()

			found, err := e.tenants.FindTenant(ctx, "crafted")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.tenants.RecountTenant(ctx, found); err != nil {
				t.Fatalf("recount: %v", err)
			}
			if _, err := e.tenants.TenantSize(ctx, found); err != nil {
				t.Fatalf("size: %v", err)
			}
			var export bytes.Buffer
			if _, err := e.tenants.ExportTenant(ctx, "crafted", &export); err != nil {
				t.Fatalf("export: %v", err)
			}
			clone, err := e.tenants.CloneTenant(ctx, "crafted", "crafted-clone")
			if err != nil {
				t.Fatalf("clone: %v", err)
			}
			if _, _, err := e.acquire(t, clone).Todos(ctx, app.FilterAll); err != nil {
				t.Fatalf("list of the clone: %v", err)
			}
			// The export is refused as the crafted file was, or readable.
			if imported, err := e.tenants.ImportTenant(ctx, importInput("reimported", export.Bytes())); err == nil {
				if _, _, err := e.acquire(t, imported).Todos(ctx, app.FilterAll); err != nil {
					t.Fatalf("list of the reimported export: %v", err)
				}
			} else {
				wantCode(t, err, app.EINVALID)
			}
		})
	}
}
