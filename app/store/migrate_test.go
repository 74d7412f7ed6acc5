package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"todos/app"
)

func TestParseMigrations(t *testing.T) {
	good := "-- header comment\n\n-- version: 1\nCREATE TABLE a (x);\n-- version: 2\nCREATE TABLE b (x); CREATE INDEX bx ON b (x);\n"
	ms, err := ParseMigrations(good)
	if err != nil {
		t.Fatal(err)
	}
	want := []Migration{
		{Version: 1, Statements: []string{"CREATE TABLE a (x)"}},
		{Version: 2, Statements: []string{"CREATE TABLE b (x)", "CREATE INDEX bx ON b (x)"}},
	}
	if !reflect.DeepEqual(ms, want) {
		t.Fatalf("got %+v, want %+v", ms, want)
	}
	bad := map[string]string{
		"no version":             "CREATE TABLE a (x);",
		"empty":                  "-- only a comment",
		"starts at 2":            "-- version: 2\nCREATE TABLE a (x);",
		"gap":                    "-- version: 1\nCREATE TABLE a (x);\n-- version: 3\nCREATE TABLE b (x);",
		"repeated":               "-- version: 1\nCREATE TABLE a (x);\n-- version: 1\nCREATE TABLE b (x);",
		"statement before first": "CREATE TABLE z (x);\n-- version: 1\nCREATE TABLE a (x);",
		"empty migration":        "-- version: 1\n-- nothing here\n-- version: 2\nCREATE TABLE b (x);",
	}
	for name, schema := range bad {
		if _, err := ParseMigrations(schema); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestParseMigrationsProductSchema(t *testing.T) {
	ms := tenantMigrations(t)
	if ms[0].Version != 1 || len(ms[0].Statements) != 3 {
		t.Fatalf("schema.sql parsed as %+v", ms)
	}
}

// openTestDB opens a fresh database file for migration tests.
func openTestDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := openDB(fileDSN(filepath.Join(t.TempDir(), "m.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// userVersion reads PRAGMA user_version.
func userVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// tableExists reports whether db has a table or trigger named name.
func tableExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = ?", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

const twoStepSchema = `
-- version: 1
CREATE TABLE a (x TEXT);
CREATE TABLE log (msg TEXT);
-- version: 2
CREATE TABLE b (y TEXT);
CREATE TRIGGER a_logged AFTER INSERT ON a BEGIN
    INSERT INTO log VALUES ('inserted; ' || new.x);
    INSERT INTO log VALUES (CASE WHEN new.x = 'end' THEN 'END;' ELSE 'ok' END);
END;
INSERT INTO a VALUES ('end');
`

func TestMigrateFreshRerunAndTrigger(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	ms, err := ParseMigrations(twoStepSchema)
	if err != nil {
		t.Fatal(err)
	}
	from, to, err := Migrate(ctx, db, ms)
	if err != nil || from != 0 || to != 2 {
		t.Fatalf("Migrate = %d, %d, %v; want 0, 2, nil", from, to, err)
	}
	if v := userVersion(t, db); v != 2 {
		t.Fatalf("user_version = %d, want 2", v)
	}
	var logged string
	if err := db.QueryRow("SELECT group_concat(msg, '|') FROM log").Scan(&logged); err != nil {
		t.Fatal(err)
	}
	if logged != "inserted; end|END;" {
		t.Errorf("trigger logged %q", logged)
	}
	from, to, err = Migrate(ctx, db, ms)
	if err != nil || from != 2 || to != 2 {
		t.Fatalf("second Migrate = %d, %d, %v; want 2, 2, nil", from, to, err)
	}
}

func TestMigrateFailureRollsBack(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	ms, err := ParseMigrations(`
-- version: 1
CREATE TABLE a (x);
-- version: 2
CREATE TABLE partial (x);
INSERT INTO a VALUES (1);
INSERT INTO missing_table VALUES (1);
`)
	if err != nil {
		t.Fatal(err)
	}
	from, to, err := Migrate(ctx, db, ms)
	wantCode(t, err, app.EINTERNAL)
	if app.ErrorMessage(err) != "This list's database could not be upgraded." {
		t.Errorf("message = %q", app.ErrorMessage(err))
	}
	if !strings.Contains(err.Error(), "missing_table") {
		t.Errorf("cause not kept: %v", err)
	}
	if from != 0 || to != 1 {
		t.Errorf("Migrate = %d, %d; want 0, 1", from, to)
	}
	if v := userVersion(t, db); v != 1 {
		t.Errorf("user_version = %d, want 1", v)
	}
	if tableExists(t, db, "partial") {
		t.Error("table of the failed migration exists")
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM a").Scan(&n); err != nil || n != 0 {
		t.Errorf("rows in a = %d, %v; want 0", n, err)
	}
}

func TestMigrateNewerDatabase(t *testing.T) {
	db := openTestDB(t)
	ms := tenantMigrations(t)
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", LatestVersion(ms)+1)); err != nil {
		t.Fatal(err)
	}
	_, _, err := Migrate(context.Background(), db, ms)
	wantCode(t, err, app.ECONFLICT)
	if !strings.Contains(app.ErrorMessage(err), "newer than this program") {
		t.Errorf("message = %q", app.ErrorMessage(err))
	}
}

// A migration that fails because the database cannot be reached or has no
// room says so; only other failures are "could not be upgraded".
func TestUpgradeErrorKeepsReachabilityAndSpace(t *testing.T) {
	for _, tt := range []struct {
		cause error
		want  string
	}{
		{app.Errorf(app.EUNAVAILABLE, "This list is temporarily unavailable."), app.EUNAVAILABLE},
		{errors.New("SQLite failure: `database or disk is full`"), app.EFULL},
		{errors.New("SQLite failure: `table users already exists`"), app.EINTERNAL},
	} {
		if got := app.ErrorCode(upgradeError(tt.cause)); got != tt.want {
			t.Errorf("upgradeError(%v) has code %q, want %q", tt.cause, got, tt.want)
		}
	}
}
