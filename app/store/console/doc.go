// Package console runs SQL typed by an admin against one tenant's database.
//
// Every statement runs in a child process (the todos binary started with the
// hidden "__console" command, see ChildMain) because go-libsql cannot
// interrupt a running query: the parent kills the child's process group when
// the time limit passes. On Linux the child also caps its own address space
// and CPU time.
//
// In the child, read-only mode opens a local database file with mode=ro,
// write mode with mode=rw inside BEGIN IMMEDIATE ... COMMIT. A database on
// a libSQL server (sqld, Turso) is opened with the URL and token the
// parent writes on the child's stdin: a read-only token where the server
// issues them, so that the server itself refuses writes (remote.go). Before anything runs, the
// statement is screened twice:
//
//   - as text, only to find its first keywords: one statement at a time, and
//     PRAGMA statements against an allowlist (pragma.go), since SQLite
//     carries out most pragmas while compiling them, so even EXPLAIN would
//     apply them;
//   - as a compiled program: "EXPLAIN <statement>" lists the VDBE opcodes the
//     statement would execute, and every opcode (opcodes.go), SQL function
//     (functions.go) and virtual table (vtab.go) must be allowed in the mode
//     (policy.go). Read-only mode allows writes only to the scratch cursors
//     SQLite uses for sorting, DISTINCT, IN, CTEs and window functions.
//
// mode=ro alone is not enough: the engine bundled with go-libsql (SQLite
// 3.45.1 with libSQL and SQLite3 Multiple Ciphers) still runs ATTACH (which
// creates files), VACUUM INTO, readfile(), writefile() and the fsdir table on
// a read-only connection. The features of this engine that reach files or
// load or run code, and what stops each:
//
//   - ATTACH (sqlite_attach), DETACH: refused by function name, both modes.
//   - VACUUM, VACUUM INTO, incremental vacuum: refused by opcode, both modes.
//   - readfile, writefile, lsmode (fileio), fsdir (table): refused, both
//     modes; the engine also refuses them in views and triggers (DIRECTONLY).
//   - load_extension, fts3_tokenizer, sha3_query (runs SQL text),
//     sqlite3mc_config/_config_table/_codec_data, sqlite_log: refused.
//   - sqlite_dbpage, sqlite_stmt, dbstat, carray, vector_top_k tables and
//     pragma tables other than the schema ones and the integrity checks:
//     refused.
//   - PRAGMA temp_store_directory, data_store_directory, journal_mode,
//     wal_checkpoint, writable_schema, query_only, key/rekey/cipher
//     (sqlite3mc) and every pragma off the allowlist: refused as text.
//   - CREATE VIRTUAL TABLE and any virtual table write; CREATE FUNCTION ...
//     LANGUAGE wasm (not compiled into this engine): refused by opcode.
//   - edit, zipfile, sqlar_*, csv: not in this engine.
//
// Values are read as CAST(quote(x) AS BLOB) through a wrapping query, since
// go-libsql turns date-like TEXT into time.Time and aborts the process on
// TEXT that is not UTF-8.
package console
