package web

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"todos/app"
	"todos/app/store"
)

// craftDB builds a tenant database file as an attacker would hand it to an
// admin for import: the real schema (every migration), an owner
// (owner@example.com, "correct horse", hashed with the product's
// parameters), one todo "imported todo", then the statements in extra, run
// in order. It returns the file's bytes.
func craftDB(t *testing.T, extra ...string) []byte {
	t.Helper()
	hash, err := app.HashPassword(ownerPassword, app.DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UnixMilli()
	stmts := append([]string{
		"INSERT INTO users (email, password_hash, created_at) VALUES ('" + ownerEmail + "', '" + hash + "', " + strconv.FormatInt(now, 10) + ")",
		"INSERT INTO todos (title, completed, created_at, updated_at) VALUES ('imported todo', 0, " + strconv.FormatInt(now, 10) + ", " + strconv.FormatInt(now, 10) + ")",
	}, extra...)
	return craftRaw(t, stmts...)
}

// craftRaw builds a database with the real schema and the statements
// stmts, and returns its bytes. The file is in rollback (not WAL) mode,
// so its bytes are the whole database.
func craftRaw(t *testing.T, stmts ...string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crafted.db")
	connector, err := store.OpenConnector("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(1)
	ms, err := store.ParseMigrations(mustReadSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Migrate(context.Background(), db, ms); err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("crafting: %s: %v", s, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// patchBytes replaces every occurrence of old with new (of the same length)
// in data: text SQLite stores that SQL could not write, such as a table
// name that is not UTF-8.
func patchBytes(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	if len(old) != len(new) || !bytes.Contains(data, []byte(old)) {
		t.Fatalf("cannot patch %q into %q", old, new)
	}
	return bytes.ReplaceAll(data, []byte(old), []byte(new))
}

// argon2Hash is a PHC string with the given cost parameters and a key of
// any value: the hash an imported file may carry.
func argon2Hash(m, t, p uint64) string {
	return "$argon2id$v=19$m=" + strconv.FormatUint(m, 10) + ",t=" + strconv.FormatUint(t, 10) + ",p=" + strconv.FormatUint(p, 10) +
		"$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
}
