package console

import (
	"testing"

	"todos/app"
)

// TestWriteModeRefusesUnreadableValues: a write that would leave a value
// the app cannot read (text that is not UTF-8 anywhere; another type than
// the declared one in TODOs' own tables) is rolled back with a message
// naming where. The app reads those tables, and go-libsql aborts the whole
// server on text that is not UTF-8. Before the check, each write was
// committed.
func TestWriteModeRefusesUnreadableValues(t *testing.T) {
	t.Parallel()
	tmpl := newDB(t, "delete") // one file that copyDB copies whole
	cases := []struct{ name, sql, msg string }{
		{"created_at 0xFF", "UPDATE todos SET created_at = CAST(x'ff' AS TEXT)",
			`table "todos", column "created_at", row 1: text that is not valid UTF-8`},
		{"title not UTF-8", "UPDATE todos SET title = CAST(x'41ff' AS TEXT) WHERE id = 2",
			`table "todos", column "title", row 2: text that is not valid UTF-8`},
		{"created_at text", "UPDATE todos SET created_at = 'soon' WHERE id = 3",
			`table "todos", column "created_at", row 3: text where TODOs keeps an integer`},
		{"created_at real", "UPDATE users SET created_at = 1.5",
			`table "users", column "created_at", row 1: a real number where TODOs keeps an integer`},
		{"email blob", "UPDATE users SET email = x'00'",
			`table "users", column "email", row 1: a BLOB where TODOs keeps text`},
		{"other table not UTF-8", "INSERT INTO vals (v) VALUES (CAST(x'c3' AS TEXT))",
			`table "vals", column "v", row 15: text that is not valid UTF-8`},
		{"new table not UTF-8", "CREATE TABLE notes AS SELECT CAST(x'ff' AS TEXT) AS body",
			`table "notes", column "body", row 1: text that is not valid UTF-8`},
		{"insert returning", "INSERT INTO todos (title, created_at, updated_at) VALUES (CAST(x'ff' AS TEXT), 1, 1) RETURNING id",
			`table "todos", column "title", row 4: text that is not valid UTF-8`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := copyDB(t, tmpl)
			before := dump(t, path)
			_, err := run(t, path, tc.sql, true)
			wantCode(t, err, app.EINVALID, "Nothing was changed")
			wantCode(t, err, app.EINVALID, tc.msg)
			if after := dump(t, path); after != before {
				t.Fatalf("data changed:\n%s\nwant\n%s", after, before)
			}
		})
	}
}

// TestWriteModeKeepsReadableValues: the check refuses only what the app
// cannot read. Tables of the admin's own may hold any type, as SQLite
// allows, and valid text of any script is fine.
func TestWriteModeKeepsReadableValues(t *testing.T) {
	path := newDB(t, "wal")
	for _, q := range []string{
		"UPDATE todos SET title = 'café ☕ 日本' WHERE id = 1",
		"INSERT INTO vals (v) VALUES (x'ff'), ('ok'), (1.5)",
		"CREATE TABLE notes (body TEXT, n INTEGER)",
		"INSERT INTO notes VALUES (42, 'not a number'), (NULL, x'ff')",
		"UPDATE users SET email = 'ann@example.org'",
	} {
		mustRun(t, path, q, true)
	}
	res := mustRun(t, path, "SELECT title FROM todos WHERE id = 1", false)
	if joinRows(res.Rows) != "café ☕ 日本" {
		t.Fatalf("title = %v", res.Rows)
	}
}

// TestConsoleReadsCraftedDatabase: a database holding text that is not
// UTF-8, in values and in names (as an imported file or a bug could leave
// it), is read through quote() without harm; what go-libsql cannot read
// (a pragma's output or a column name quoting such a name) ends only the
// console's child process, with a plain message.
func TestConsoleReadsCraftedDatabase(t *testing.T) {
	path := newDB(t, "wal")
	db := openTestDB(t, path)
	for _, q := range []string{
		"UPDATE todos SET created_at = CAST(x'ff' AS TEXT), title = CAST(x'41ff' AS TEXT) WHERE id = 1",
		"CREATE INDEX iQQ ON todos (title)",
		"CREATE VIEW w AS SELECT 1 AS QQ",
		"PRAGMA writable_schema = ON",
		`UPDATE sqlite_schema SET name = CAST(replace(name, 'QQ', x'ff') AS TEXT),
			sql = CAST(replace(replace(sql, 'QQ', x'ff'), '(title)', '(created_at)') AS TEXT) WHERE sql LIKE '%QQ%'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	res := mustRun(t, path, "SELECT id, title, created_at FROM todos WHERE id = 1", false)
	if got := joinRows(res.Rows); got != "1,A\uFFFD,\uFFFD" {
		t.Fatalf("row = %q", got)
	}
	res = mustRun(t, path, "SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'i%'", false)
	if got := joinRows(res.Rows); got != "i\uFFFD" {
		t.Fatalf("index name = %q", got)
	}
	for _, q := range []string{"PRAGMA integrity_check", "SELECT * FROM w"} {
		_, err := run(t, path, q, false)
		wantCode(t, err, app.EINVALID, "not valid UTF-8")
	}
	res = mustRun(t, path, "SELECT * FROM pragma_integrity_check", false)
	if len(res.Rows) == 0 || res.Rows[0][0].Text == "ok" {
		t.Fatalf("integrity_check = %v", res.Rows)
	}
}
