package console

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"todos/app"
)

// refusal is a statement the console must refuse, and the error it gives.
// In sql, {{dir}} is a directory outside the tenant's (it must stay empty)
// and {{db}} the tenant's database path.
type refusalCase struct {
	name string
	sql  string
	code string // app error code; EFORBIDDEN when empty
	msg  string // part of the message
}

// Writes to the database, its schema or the temporary database.
var writeStatements = []refusalCase{
	{name: "insert", sql: "INSERT INTO todos (title, created_at, updated_at) VALUES ('x', 1, 1)", msg: msgWrite},
	{name: "insert select", sql: "INSERT INTO todos (title, created_at, updated_at) SELECT title, 1, 1 FROM todos", msg: msgWrite},
	{name: "insert returning", sql: "INSERT INTO todos (title, created_at, updated_at) VALUES ('x', 1, 1) RETURNING id", msg: msgWrite},
	{name: "insert default values", sql: "INSERT INTO vals DEFAULT VALUES", msg: msgWrite},
	{name: "update", sql: "UPDATE todos SET title = 'x'", msg: msgWrite},
	{name: "update firing trigger", sql: "UPDATE todos SET title = 'x' WHERE id = 1", msg: msgWrite},
	{name: "update from", sql: "UPDATE todos SET title = u.email FROM users u WHERE u.id = todos.id", msg: msgWrite},
	{name: "delete", sql: "DELETE FROM todos WHERE id = 1", msg: msgWrite},
	{name: "delete all", sql: "DELETE FROM vals", msg: msgWrite},
	{name: "replace", sql: "REPLACE INTO todos (id, title, created_at, updated_at) VALUES (1, 'x', 1, 1)", msg: msgWrite},
	{name: "insert or replace", sql: "INSERT OR REPLACE INTO vals VALUES (1, 2)", msg: msgWrite},
	{name: "upsert", sql: "INSERT INTO users VALUES (1, 'ann@example.com', 'y', 1) ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash", msg: msgWrite},
	{name: "with insert", sql: "WITH n(x) AS (SELECT 'x') INSERT INTO todos (title, created_at, updated_at) SELECT x, 1, 1 FROM n", msg: msgWrite},
	{name: "create table", sql: "CREATE TABLE x (a)", msg: msgWrite},
	{name: "create table as", sql: "CREATE TABLE x AS SELECT * FROM todos", msg: msgWrite},
	{name: "create table if not exists", sql: "CREATE TABLE IF NOT EXISTS todos (a)", msg: msgWrite},
	{name: "drop table", sql: "DROP TABLE todos", msg: msgWrite},
	{name: "drop table if exists", sql: "DROP TABLE IF EXISTS nothing_here", msg: msgWrite},
	{name: "alter add column", sql: "ALTER TABLE todos ADD COLUMN x TEXT", msg: msgWrite},
	{name: "alter rename table", sql: "ALTER TABLE todos RENAME TO t2", msg: msgWrite},
	{name: "alter rename column", sql: "ALTER TABLE todos RENAME COLUMN title TO t", msg: msgWrite},
	{name: "alter drop column", sql: "ALTER TABLE todos DROP COLUMN updated_at", msg: msgWrite},
	{name: "create index", sql: "CREATE INDEX i ON todos (title)", msg: msgWrite},
	{name: "create unique index", sql: "CREATE UNIQUE INDEX i ON users (email, id)", msg: msgWrite},
	{name: "drop index", sql: "DROP INDEX todos_completed", msg: msgWrite},
	{name: "create view", sql: "CREATE VIEW v AS SELECT 1", msg: msgWrite},
	{name: "drop view", sql: "DROP VIEW open_todos", msg: msgWrite},
	{name: "create trigger", sql: "CREATE TRIGGER t AFTER INSERT ON todos BEGIN DELETE FROM users; END", msg: msgWrite},
	{name: "drop trigger", sql: "DROP TRIGGER todos_touch", msg: msgWrite},
	{name: "create temp table", sql: "CREATE TEMP TABLE x (a)", msg: msgWrite},
	{name: "create temp table as", sql: "CREATE TEMPORARY TABLE x AS SELECT * FROM todos", msg: msgWrite},
	{name: "create temp view", sql: "CREATE TEMP VIEW v AS SELECT 1", msg: msgWrite},
	{name: "create temp trigger", sql: "CREATE TEMP TRIGGER t AFTER INSERT ON todos BEGIN SELECT 1; END", msg: msgWrite},
	{name: "reindex", sql: "REINDEX", msg: msgWrite},
	{name: "reindex table", sql: "REINDEX todos", msg: msgWrite},
	{name: "analyze", sql: "ANALYZE", msg: msgWrite},
	{name: "analyze table", sql: "ANALYZE todos", msg: msgWrite},
	{name: "write through dbpage", sql: "INSERT INTO sqlite_dbpage (pgno, data) VALUES (1, zeroblob(4096))", msg: "not allowed"},
}

// Statements that touch other databases, files or the journal, in any mode.
var fileStatements = []refusalCase{
	{name: "attach new file", sql: "ATTACH DATABASE '{{dir}}/new.db' AS x", msg: msgAttach},
	{name: "attach memory", sql: "ATTACH ':memory:' AS m", msg: msgAttach},
	{name: "attach uri", sql: "ATTACH 'file:{{dir}}/u.db?mode=rwc' AS u", msg: msgAttach},
	{name: "attach tenant again", sql: "ATTACH '{{db}}' AS again", msg: msgAttach},
	{name: "attach with key", sql: "ATTACH '{{dir}}/k.db' AS k KEY 'secret'", msg: msgAttach},
	{name: "attach expression", sql: "ATTACH '{{dir}}/' || 'e.db' AS e", msg: msgAttach},
	{name: "detach", sql: "DETACH DATABASE x", msg: msgDetach},
	{name: "vacuum", sql: "VACUUM", msg: msgVacuum},
	{name: "vacuum main", sql: "VACUUM main", msg: msgVacuum},
	{name: "vacuum into", sql: "VACUUM INTO '{{dir}}/copy.db'", msg: msgVacuumInto},
	{name: "vacuum main into", sql: "VACUUM main INTO '{{dir}}/copy.db'", msg: msgVacuumInto},
	{name: "begin", sql: "BEGIN", msg: msgTransaction},
	{name: "begin immediate", sql: "BEGIN IMMEDIATE", msg: msgTransaction},
	{name: "commit", sql: "COMMIT", msg: msgTransaction},
	{name: "end", sql: "END", msg: msgTransaction},
	{name: "rollback", sql: "ROLLBACK", msg: msgTransaction},
	{name: "savepoint", sql: "SAVEPOINT s", msg: msgTransaction},
	{name: "release", sql: "RELEASE s", msg: msgTransaction},
	{name: "create virtual table", sql: "CREATE VIRTUAL TABLE f USING fts5(a)", msg: msgVtabChange},
	{name: "create fsdir table", sql: "CREATE VIRTUAL TABLE f USING fsdir", msg: msgVtabChange},
	{name: "create temp virtual table", sql: "CREATE VIRTUAL TABLE temp.f USING fts4(a)", msg: msgVtabChange},
	// Functions that read or write files, load code or run unchecked SQL.
	{name: "readfile", sql: "SELECT readfile('/etc/hostname')", msg: "readfile() is not allowed"},
	{name: "readfile of db", sql: "SELECT readfile('{{db}}')", msg: "readfile() is not allowed"},
	{name: "writefile", sql: "SELECT writefile('{{dir}}/w.txt', 'x')", msg: "writefile() is not allowed"},
	{name: "writefile mkdir", sql: "SELECT writefile('{{dir}}/d', NULL, 16877)", msg: "writefile() is not allowed"},
	{name: "lsmode", sql: "SELECT lsmode(420)", msg: "lsmode() is not allowed"},
	{name: "load_extension", sql: "SELECT load_extension('{{dir}}/x.so')", msg: "load_extension() is not allowed"},
	{name: "load_extension entry", sql: "SELECT load_extension('{{dir}}/x.so', 'init')", msg: "load_extension() is not allowed"},
	{name: "fts3_tokenizer", sql: "SELECT fts3_tokenizer('simple')", msg: "fts3_tokenizer() is not allowed"},
	{name: "fts3_tokenizer register", sql: "SELECT fts3_tokenizer('evil', x'0000000000000000')", msg: "fts3_tokenizer() is not allowed"},
	{name: "sha3_query", sql: "SELECT sha3_query('ATTACH ''{{dir}}/s.db'' AS s')", msg: "sha3_query() is not allowed"},
	{name: "sqlite3mc_config", sql: "SELECT sqlite3mc_config('default:cipher', 'chacha20')", msg: "sqlite3mc_config() is not allowed"},
	{name: "sqlite3mc_config_table", sql: "SELECT sqlite3mc_config_table()", msg: "sqlite3mc_config_table() is not allowed"},
	{name: "sqlite3mc_codec_data", sql: "SELECT sqlite3mc_codec_data('cipher_salt')", msg: "sqlite3mc_codec_data() is not allowed"},
	{name: "sqlite_log", sql: "SELECT sqlite_log(1, 'x')", msg: "sqlite_log() is not allowed"},
	{name: "optimize", sql: "SELECT optimize('x')", msg: "optimize() is not allowed"},
	{name: "fts5", sql: "SELECT fts5(NULL)", msg: "fts5() is not allowed"},
	{name: "geopoly_debug", sql: "SELECT geopoly_debug(x'00')", msg: "geopoly_debug() is not allowed"},
	{name: "rtreecheck", sql: "SELECT rtreecheck('todos')", msg: "rtreecheck() is not allowed"},
	// The same functions where they are easy to overlook.
	{name: "readfile in subquery", sql: "SELECT * FROM (SELECT readfile('/etc/hostname') AS f)", msg: "readfile() is not allowed"},
	{name: "readfile in cte", sql: "WITH r AS (SELECT readfile('/etc/hostname') AS f) SELECT * FROM r", msg: "readfile() is not allowed"},
	{name: "readfile in where", sql: "SELECT id FROM todos WHERE readfile(title) IS NULL", msg: "readfile() is not allowed"},
	{name: "readfile in order by", sql: "SELECT id FROM todos ORDER BY readfile(title)", msg: "readfile() is not allowed"},
	{name: "readfile in group by", sql: "SELECT count(*) FROM todos GROUP BY readfile(title)", msg: "readfile() is not allowed"},
	{name: "readfile in aggregate", sql: "SELECT group_concat(readfile(title)) FROM todos", msg: "readfile() is not allowed"},
	{name: "readfile in json_each", sql: "SELECT * FROM json_each(readfile('/etc/hostname'))", msg: "readfile() is not allowed"},
	{name: "writefile in case", sql: "SELECT CASE WHEN 0 THEN 1 ELSE writefile('{{dir}}/w.txt', 'x') END", msg: "writefile() is not allowed"},
	{name: "writefile in values", sql: "VALUES (writefile('{{dir}}/w.txt', 'x'))", msg: "writefile() is not allowed"},
	{name: "writefile in explain", sql: "EXPLAIN SELECT writefile('{{dir}}/w.txt', 'x')", msg: "writefile() is not allowed"},
	// Table-valued functions and virtual tables.
	{name: "fsdir", sql: "SELECT * FROM fsdir('{{dir}}')", msg: "fsdir is not allowed"},
	{name: "fsdir etc", sql: "SELECT name FROM fsdir('/etc') LIMIT 1", msg: "fsdir is not allowed"},
	{name: "fsdir in subquery", sql: "SELECT (SELECT count(*) FROM fsdir('/etc'))", msg: "fsdir is not allowed"},
	{name: "sqlite_dbpage", sql: "SELECT * FROM sqlite_dbpage", msg: "sqlite_dbpage is not allowed"},
	{name: "sqlite_stmt", sql: "SELECT * FROM sqlite_stmt", msg: "sqlite_stmt is not allowed"},
	{name: "dbstat", sql: "SELECT * FROM dbstat", msg: "dbstat is not allowed"},
	{name: "pragma_database_list", sql: "SELECT * FROM pragma_database_list", msg: "pragma_database_list is not allowed"},
	{name: "pragma_optimize", sql: "SELECT * FROM pragma_optimize", msg: "pragma_optimize is not allowed"},
	{name: "pragma_journal_mode", sql: "SELECT * FROM pragma_journal_mode", msg: "pragma_journal_mode is not allowed"},
	// Functions and tables this engine does not have: the engine refuses them.
	{name: "edit absent", sql: "SELECT edit('x', 'vi')", code: app.EINVALID, msg: "no such function: edit"},
	{name: "zipfile absent", sql: "SELECT zipfile('a', 'b')", code: app.EINVALID, msg: "no such function: zipfile"},
	{name: "zipfile table absent", sql: "SELECT * FROM zipfile('{{dir}}/z.zip')", code: app.EINVALID, msg: "no such table: zipfile"},
	{name: "sqlar_compress absent", sql: "SELECT sqlar_compress('x')", code: app.EINVALID, msg: "no such function: sqlar_compress"},
	{name: "sqlar_uncompress absent", sql: "SELECT sqlar_uncompress('x', 1)", code: app.EINVALID, msg: "no such function: sqlar_uncompress"},
	{name: "csv absent", sql: "SELECT * FROM csv('{{dir}}/x.csv')", code: app.EINVALID, msg: "no such table: csv"},
	{name: "shell_add_schema absent", sql: "SELECT shell_add_schema('x', 'main', 'y')", code: app.EINVALID, msg: "no such function: shell_add_schema"},
	{name: "sqlite_attach not callable", sql: "SELECT sqlite_attach('{{dir}}/a.db', 'a', NULL)", code: app.EINVALID, msg: "no such function: sqlite_attach"},
	{name: "wasm function absent", sql: "CREATE FUNCTION f LANGUAGE wasm AS 'x'", code: app.EINVALID, msg: "not compiled-in"},
	{name: "drop wasm function absent", sql: "DROP FUNCTION f", code: app.EINVALID, msg: "not compiled-in"},
	// More than one statement: nothing runs.
	{name: "two statements", sql: "SELECT 1; ATTACH '{{dir}}/two.db' AS two", code: app.EINVALID, msg: "Run one statement at a time."},
	{name: "select then vacuum", sql: "SELECT * FROM todos;\nVACUUM INTO '{{dir}}/copy.db';", code: app.EINVALID, msg: "Run one statement at a time."},
}

// Pragmas that change settings, files or the journal, in any mode.
var pragmaStatements = []refusalCase{
	{name: "journal_mode set", sql: "PRAGMA journal_mode=DELETE", msg: "PRAGMA journal_mode is not allowed"},
	{name: "journal_mode wal", sql: "PRAGMA journal_mode = WAL", msg: "PRAGMA journal_mode is not allowed"},
	{name: "journal_mode read", sql: "PRAGMA journal_mode", msg: "PRAGMA journal_mode is not allowed"},
	{name: "writable_schema", sql: "PRAGMA writable_schema=ON", msg: "PRAGMA writable_schema is not allowed"},
	{name: "query_only off", sql: "PRAGMA query_only=0", msg: "PRAGMA query_only is not allowed"},
	{name: "query_only false", sql: "PRAGMA query_only = false", msg: "PRAGMA query_only is not allowed"},
	{name: "temp_store_directory", sql: "PRAGMA temp_store_directory='{{dir}}'", msg: "PRAGMA temp_store_directory is not allowed"},
	{name: "temp_store_directory read", sql: "PRAGMA temp_store_directory", msg: "PRAGMA temp_store_directory is not allowed"},
	{name: "data_store_directory", sql: "PRAGMA data_store_directory='{{dir}}'", msg: "PRAGMA data_store_directory is not allowed"},
	{name: "wal_checkpoint", sql: "PRAGMA wal_checkpoint", msg: "PRAGMA wal_checkpoint is not allowed"},
	{name: "wal_checkpoint truncate", sql: "PRAGMA wal_checkpoint(TRUNCATE)", msg: "PRAGMA wal_checkpoint is not allowed"},
	{name: "wal_autocheckpoint", sql: "PRAGMA wal_autocheckpoint=1", msg: "PRAGMA wal_autocheckpoint is not allowed"},
	{name: "journal_size_limit", sql: "PRAGMA journal_size_limit=0", msg: "PRAGMA journal_size_limit is not allowed"},
	{name: "locking_mode", sql: "PRAGMA locking_mode=EXCLUSIVE", msg: "PRAGMA locking_mode is not allowed"},
	{name: "synchronous", sql: "PRAGMA synchronous=OFF", msg: "PRAGMA synchronous is not allowed"},
	{name: "mmap_size", sql: "PRAGMA mmap_size=268435456", msg: "PRAGMA mmap_size is not allowed"},
	{name: "temp_store", sql: "PRAGMA temp_store=FILE", msg: "PRAGMA temp_store is not allowed"},
	{name: "optimize pragma", sql: "PRAGMA optimize", msg: "PRAGMA optimize is not allowed"},
	{name: "incremental_vacuum", sql: "PRAGMA incremental_vacuum", msg: "PRAGMA incremental_vacuum is not allowed"},
	{name: "auto_vacuum", sql: "PRAGMA auto_vacuum=FULL", msg: "PRAGMA auto_vacuum is not allowed"},
	{name: "page_size set", sql: "PRAGMA page_size=1024", msg: "PRAGMA page_size can only be read"},
	{name: "max_page_count", sql: "PRAGMA max_page_count=1", msg: "PRAGMA max_page_count is not allowed"},
	{name: "cache_size", sql: "PRAGMA cache_size=1", msg: "PRAGMA cache_size is not allowed"},
	{name: "secure_delete", sql: "PRAGMA secure_delete=ON", msg: "PRAGMA secure_delete is not allowed"},
	{name: "schema_version set", sql: "PRAGMA schema_version=1", msg: "PRAGMA schema_version can only be read"},
	{name: "foreign_keys off", sql: "PRAGMA foreign_keys=OFF", msg: "PRAGMA foreign_keys can only be read"},
	{name: "trusted_schema on", sql: "PRAGMA trusted_schema=ON", msg: "PRAGMA trusted_schema is not allowed"},
	{name: "shrink_memory", sql: "PRAGMA shrink_memory", msg: "PRAGMA shrink_memory is not allowed"},
	{name: "hard_heap_limit", sql: "PRAGMA hard_heap_limit=1", msg: "PRAGMA hard_heap_limit is not allowed"},
	{name: "soft_heap_limit", sql: "PRAGMA soft_heap_limit=1", msg: "PRAGMA soft_heap_limit is not allowed"},
	{name: "threads", sql: "PRAGMA threads=8", msg: "PRAGMA threads is not allowed"},
	{name: "busy_timeout", sql: "PRAGMA busy_timeout=1", msg: "PRAGMA busy_timeout is not allowed"},
	{name: "ignore_check_constraints", sql: "PRAGMA ignore_check_constraints=1", msg: "PRAGMA ignore_check_constraints is not allowed"},
	{name: "database_list", sql: "PRAGMA database_list", msg: "PRAGMA database_list is not allowed"},
	// SQLite3 Multiple Ciphers: key material and re-encryption.
	{name: "key", sql: "PRAGMA key='secret'", msg: "PRAGMA key is not allowed"},
	{name: "rekey", sql: "PRAGMA rekey='secret'", msg: "PRAGMA rekey is not allowed"},
	{name: "hexkey", sql: "PRAGMA hexkey='00'", msg: "PRAGMA hexkey is not allowed"},
	{name: "hexrekey", sql: "PRAGMA hexrekey='00'", msg: "PRAGMA hexrekey is not allowed"},
	{name: "cipher", sql: "PRAGMA cipher='chacha20'", msg: "PRAGMA cipher is not allowed"},
	// Disguises.
	{name: "explain pragma", sql: "EXPLAIN PRAGMA writable_schema=1", msg: "PRAGMA writable_schema is not allowed"},
	{name: "explain query plan pragma", sql: "EXPLAIN QUERY PLAN PRAGMA temp_store_directory='{{dir}}'", msg: "PRAGMA temp_store_directory is not allowed"},
	{name: "comments", sql: "/* hi */ PRAGMA -- there\n writable_schema = 1;", msg: "PRAGMA writable_schema is not allowed"},
	{name: "lower case", sql: "pragma Journal_Mode=off", msg: "PRAGMA journal_mode is not allowed"},
	{name: "quoted name", sql: `PRAGMA "journal_mode"='off'`, msg: "PRAGMA journal_mode is not allowed"},
	{name: "schema prefix", sql: "PRAGMA main.journal_mode=off", msg: "PRAGMA journal_mode is not allowed"},
	{name: "other schema", sql: "PRAGMA other.user_version", msg: "Only the tenant's own database"},
}

// Setting the pragmas write mode may change, in read-only mode.
var pragmaWrites = []refusalCase{
	{name: "user_version set", sql: "PRAGMA user_version=5", msg: "PRAGMA user_version can only be read in the console."},
	{name: "user_version call", sql: "PRAGMA user_version(5)", msg: "PRAGMA user_version can only be read in the console."},
	{name: "main user_version", sql: "PRAGMA main.user_version = 5", msg: "PRAGMA user_version can only be read in the console."},
	{name: "application_id", sql: "PRAGMA application_id=1", msg: "Read-only mode: PRAGMA application_id can only be read."},
}

// TestReadOnlyRefuses runs every refused statement against its own copy
// of a tenant database that nothing holds open (rollback journal), and
// checks that nothing changed: the database's bytes, the files in its
// directory, and a directory outside it.
func TestReadOnlyRefuses(t *testing.T) {
	t.Parallel()
	tmpl := newDB(t, "delete")
	var cases []refusalCase
	for _, group := range [][]refusalCase{writeStatements, fileStatements, pragmaStatements, pragmaWrites} {
		cases = append(cases, group...)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := copyDB(t, tmpl)
			expectRefused(t, path, tc, false)
		})
	}
}

// TestReadOnlyRefusesWhileOpen runs the same statements against one WAL
// database that the "app" holds open and has written to, as in production.
func TestReadOnlyRefusesWhileOpen(t *testing.T) {
	path := newDB(t, "wal")
	appDB := openTestDB(t, path)
	if _, err := appDB.Exec("UPDATE todos SET updated_at = 10 WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	for _, group := range [][]refusalCase{writeStatements, fileStatements, pragmaStatements, pragmaWrites} {
		for _, tc := range group {
			t.Run(tc.name, func(t *testing.T) { expectRefused(t, path, tc, false) })
		}
	}
	var n int
	if err := appDB.QueryRow("SELECT count(*) FROM todos").Scan(&n); err != nil || n != 3 {
		t.Fatalf("todos = %d, %v; want 3", n, err)
	}
}

// expectRefused runs tc against the database at path and checks the error
// and that no file changed.
func expectRefused(t *testing.T, path string, tc refusalCase, write bool) {
	t.Helper()
	outside := t.TempDir()
	sql := strings.NewReplacer("{{dir}}", outside, "{{db}}", path).Replace(tc.sql)
	before := snapshot(t, filepath.Dir(path))
	_, err := run(t, path, sql, write)
	code := tc.code
	if code == "" {
		code = app.EFORBIDDEN
	}
	wantCode(t, err, code, tc.msg)
	sameFiles(t, before, snapshot(t, filepath.Dir(path)))
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("files created outside the tenant's directory: %v", entries)
	}
}

// copyDB copies the database file src into a new directory.
func copyDB(t *testing.T, src string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "tenant.db")
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}
