// Package console runs SQL typed by an admin against one tenant's database.
//
// Every statement runs in a child process (the todos binary started with the
// hidden "__console" command, see ChildMain) because go-libsql cannot
// interrupt a running query: the parent kills the child's process group when
// the time limit passes.
//
// In the child, read-only mode opens the database with mode=ro. Before
// anything runs, the statement is screened twice:
//
//   - as text, only to find its first keywords: one statement at a time, and
//     PRAGMA statements against an allowlist, since SQLite carries out many
//     pragmas while compiling them (so even EXPLAIN would apply them);
//   - as a compiled program: "EXPLAIN <statement>" lists the VDBE opcodes the
//     statement would execute, and every opcode, function and virtual table
//     must be on an allowlist for the mode (see policy.go).
//
// mode=ro alone is not enough: it does not stop ATTACH (which creates files),
// VACUUM INTO, readfile()/writefile() or the fsdir table, all of which the
// engine bundled with go-libsql carries.
package console
