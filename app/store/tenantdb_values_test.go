package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// TestAppTablesMatchSchema keeps appTables, the tables whose types
// CheckValues enforces (in the console's write mode), in line with
// schema.sql: a migration that adds a table adds it there too.
func TestAppTablesMatchSchema(t *testing.T) {
	want, err := referenceSchema(context.Background(), tenantMigrations(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := sortedKeys(want.columns); !slices.Equal(got, appTables) {
		t.Fatalf("schema.sql has tables %q; appTables lists %q", got, appTables)
	}
}

// TestCheckValuesAcceptsTheAppsOwnWrites: every value the app writes
// passes CheckValues, so that an export of any tenant can be imported
// again and the console's write mode does not refuse a statement because
// of what the app stored. Empty session data is the edge: an empty []byte
// must be stored as a BLOB.
func TestCheckValuesAcceptsTheAppsOwnWrites(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	e.addTodos(t, tn, 3)
	tdb := e.acquire(t, tn)
	steps := []func() error{
		func() error { _, _, err := tdb.ToggleTodo(ctx, 1); return err },
		func() error { _, _, err := tdb.RenameTodo(ctx, 2, "café ☕ 日本"); return err },
		func() error { _, _, _, err := tdb.AddTodoOnce(ctx, "key-0123456789abcdef", "once"); return err },
		func() error { return tdb.CommitSession(ctx, "empty", nil, time.Now().Add(time.Hour)) },
		func() error { return tdb.CommitSession(ctx, "full", []byte{0xff, 0}, time.Now().Add(time.Hour)) },
		func() error { _, err := tdb.Recount(ctx); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if err := CheckValues(ctx, tdb.db); err != nil {
		t.Fatal(err)
	}
}

// TestCheckValuesFindsEachProblem names the table, column and row of the
// first value that breaks a rule, and ignores types outside the app's
// tables.
func TestCheckValuesFindsEachProblem(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		stmt string
		want ValueError
	}{
		{"integer column with text", "UPDATE todos SET updated_at = 'later' WHERE id = 2",
			ValueError{Table: "todos", Column: "updated_at", Row: "2", Problem: "text where TODOs keeps an integer"}},
		{"blob column with text", "INSERT INTO sessions VALUES ('k', 'text', 1)",
			ValueError{Table: "sessions", Column: "data", Row: "1", Problem: "text where TODOs keeps a BLOB"}},
		{"other table, any type", "CREATE TABLE notes (n INTEGER); INSERT INTO notes VALUES ('x')", ValueError{}},
		{"other table, invalid text", "CREATE TABLE notes (n); INSERT INTO notes VALUES (CAST(x'e282' AS TEXT))",
			ValueError{Table: "notes", Column: "n", Row: "1", Problem: "text that is not valid UTF-8"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, 4)
			tn := e.createTenant(t, "acme")
			e.addTodos(t, tn, 3)
			tdb := e.acquire(t, tn)
			for _, q := range SplitStatements(tc.stmt) {
				if _, err := tdb.db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			err := CheckValues(ctx, tdb.db)
			var ve *ValueError
			switch {
			case tc.want == (ValueError{}) && err != nil:
				t.Fatalf("want no problem, got %v", err)
			case tc.want == (ValueError{}):
			case !errors.As(err, &ve) || *ve != tc.want:
				t.Fatalf("got %v, want %v", err, &tc.want)
			}
		})
	}
}
