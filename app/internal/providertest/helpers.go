package providertest

import (
	"database/sql"
	"errors"
	"testing"

	"todos/app"
	"todos/app/store"
)

// The helpers below serve the provider packages' own tests too.

// WantCode fails unless err is an app error with code.
func WantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

// MustCreate creates tenantID's database in the provider's first region
// and removes it when the test ends.
func MustCreate(t *testing.T, p store.Provider, tenantID string) string {
	t.Helper()
	loc, err := p.Create(ctx, tenantID, p.Regions()[0].Code)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, loc) })
	return loc
}

// MustOpen opens location and closes it when the test ends.
func MustOpen(t *testing.T, p store.Provider, loc string) *sql.DB {
	t.Helper()
	db, err := p.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Exec runs statements on db.
func Exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// Titles returns the titles of table t in id order.
func Titles(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(ctx, "SELECT title FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
