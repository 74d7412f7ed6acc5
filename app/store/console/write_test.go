package console

import (
	"database/sql"
	"os"
	"strings"
	"testing"

	"todos/app"
)

// queryInt returns the integer query gives on db.
func queryInt(t *testing.T, db *sql.DB, query string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestWriteMode applies deliberate fixes while the app holds the database
// open, and checks what each statement reports.
func TestWriteMode(t *testing.T) {
	path := newDB(t, "wal")
	appDB := openTestDB(t, path)

	res := mustRun(t, path, "UPDATE todos SET completed = 1 WHERE completed = 0", true)
	if res.RowsAffected != 2 || res.Columns != nil {
		t.Fatalf("update: %+v", res)
	}
	if n := queryInt(t, appDB, "SELECT count(*) FROM todos WHERE completed = 1"); n != 3 {
		t.Fatalf("completed = %d after the update", n)
	}

	// The trigger of the schema fires, in the same transaction.
	mustRun(t, path, "UPDATE todos SET title = 'buy oat milk' WHERE id = 1", true)
	if n := queryInt(t, appDB, "SELECT updated_at FROM todos WHERE id = 1"); n != 2 {
		t.Fatalf("updated_at = %d: the trigger did not run", n)
	}

	res = mustRun(t, path, "INSERT INTO todos (title, created_at, updated_at) VALUES ('new', 5, 5) RETURNING id, title, '2024-01-02' AS day", true)
	if joinRows(res.Rows) != "4,new,2024-01-02" || res.RowsAffected != 1 {
		t.Fatalf("insert returning: %+v", res)
	}

	res = mustRun(t, path, "DELETE FROM todos WHERE id = 4", true)
	if res.RowsAffected != 1 {
		t.Fatalf("delete: %+v", res)
	}

	for _, q := range []string{
		"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
		"INSERT INTO notes (body) SELECT title FROM todos",
		"ALTER TABLE notes ADD COLUMN created_at INTEGER",
		"ALTER TABLE notes RENAME COLUMN body TO text",
		"ALTER TABLE notes DROP COLUMN created_at",
		"CREATE INDEX notes_text ON notes (text)",
		"ANALYZE",
		"REINDEX notes",
		"DROP INDEX notes_text",
		"PRAGMA application_id = 7",
		"CREATE TABLE IF NOT EXISTS notes (x)",
		"ALTER TABLE notes RENAME TO memos",
		"SELECT count(*) FROM memos",
		"DROP TABLE memos",
	} {
		mustRun(t, path, q, true)
	}
	if n := queryInt(t, appDB, "PRAGMA application_id"); n != 7 {
		t.Fatalf("application_id = %d", n)
	}
	if n := queryInt(t, appDB, "SELECT count(*) FROM sqlite_schema WHERE name IN ('notes', 'memos')"); n != 0 {
		t.Fatalf("%d tables left", n)
	}
	if got := mustRun(t, path, "PRAGMA integrity_check", false); joinRows(got.Rows) != "ok" {
		t.Fatalf("integrity_check: %v", got.Rows)
	}
}

// TestWriteModeAtomic: a statement that fails part-way changes no data,
// and the app can write right after. (Bytes may change: closing the last
// read-write connection checkpoints the WAL, as the app's own would.)
func TestWriteModeAtomic(t *testing.T) {
	path := newDB(t, "wal")
	appDB := openTestDB(t, path)
	before := dump(t, path)

	// Row 1 passes the CHECK, row 2 (already completed) fails it.
	_, err := run(t, path, "UPDATE todos SET completed = completed + 1", true)
	wantCode(t, err, app.EINVALID, "CHECK constraint failed")
	_, err = run(t, path, "INSERT INTO users (id, email, password_hash, created_at) VALUES (2, 'b@x', 'h', 1), (3, 'ann@example.com', 'h', 1)", true)
	wantCode(t, err, app.EINVALID, "UNIQUE constraint failed")

	if after := dump(t, path); after != before {
		t.Fatalf("data changed:\n%s\nwant\n%s", after, before)
	}
	if _, err := appDB.Exec("UPDATE todos SET completed = 0"); err != nil {
		t.Fatalf("the app cannot write: %v", err)
	}
}

// TestWriteModeRefuses: write mode changes the tenant's database and
// nothing else: no other database, file, journal setting or unchecked
// function.
func TestWriteModeRefuses(t *testing.T) {
	t.Parallel()
	tmpl := newDB(t, "delete")
	cases := []refusalCase{
		{name: "insert readfile", sql: "INSERT INTO vals (v) SELECT readfile('/etc/hostname')", msg: "readfile() is not allowed"},
		{name: "update writefile", sql: "UPDATE todos SET title = writefile('{{dir}}/w.txt', title)", msg: "writefile() is not allowed"},
		{name: "insert fsdir", sql: "INSERT INTO vals (v) SELECT name FROM fsdir('/etc')", msg: "fsdir is not allowed"},
		{name: "write dbpage", sql: "UPDATE sqlite_dbpage SET data = zeroblob(4096) WHERE pgno = 1", msg: "not allowed"},
		{name: "insert sha3_query", sql: "INSERT INTO vals (v) VALUES (sha3_query('VACUUM INTO ''{{dir}}/s.db'''))", msg: "sha3_query() is not allowed"},
	}
	for _, group := range [][]refusalCase{fileStatements, pragmaStatements} {
		cases = append(cases, group...)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			expectRefused(t, copyDB(t, tmpl), tc, true)
		})
	}
}

// TestSchemaCannotSmuggleFiles: views and triggers are stored as text, so
// write mode does not see the functions their bodies call. The engine
// refuses the file functions and fsdir in any view or trigger (they are
// DIRECTONLY), through the console and from the app alike.
func TestSchemaCannotSmuggleFiles(t *testing.T) {
	path := newDB(t, "delete")
	outside := t.TempDir()
	mustRun(t, path, "CREATE VIEW leak AS SELECT readfile('/etc/hostname') AS f", true)
	mustRun(t, path, "CREATE TRIGGER drop_file AFTER INSERT ON vals BEGIN SELECT writefile('"+outside+"/w.txt', 'x'); END", true)
	mustRun(t, path, "CREATE VIEW listing AS SELECT name FROM fsdir('/etc')", true)

	_, err := run(t, path, "SELECT * FROM leak", false)
	wantCode(t, err, app.EINVALID, "unsafe use of readfile()")
	_, err = run(t, path, "SELECT * FROM listing", false)
	wantCode(t, err, app.EINVALID, "unsafe use of virtual table \"fsdir\"")
	_, err = run(t, path, "INSERT INTO vals (v) VALUES (1)", true)
	wantCode(t, err, app.EINVALID, "unsafe use of writefile()")

	// The app's own connection (no console policy) cannot use them either.
	appDB := openTestDB(t, path)
	for _, q := range []string{"SELECT * FROM leak", "SELECT * FROM listing", "INSERT INTO vals (v) VALUES (1)"} {
		rows, err := appDB.Query(q)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "unsafe use of") {
			t.Errorf("%s from the app: %v", q, err)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Fatalf("files written: %v", entries)
	}
}

// TestWriteModeUTF8Crash: go-libsql aborts on TEXT that is not UTF-8 in a
// RETURNING result, which cannot be read through quote(). The child dies,
// its transaction with it, and the admin gets a plain explanation.
func TestWriteModeUTF8Crash(t *testing.T) {
	path := newDB(t, "wal")
	_, err := run(t, path, "UPDATE vals SET v = CAST(x'ff41' AS TEXT) WHERE id = 4 RETURNING v", true)
	wantCode(t, err, app.EINVALID, "not valid UTF-8")
	res := mustRun(t, path, "SELECT v FROM vals WHERE id = 4", false)
	if joinRows(res.Rows) != "text" {
		t.Fatalf("v = %v: the update was applied", res.Rows)
	}
}
