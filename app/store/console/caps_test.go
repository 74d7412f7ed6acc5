package console

import (
	"context"
	"strings"
	"testing"

	"todos/app"
)

// TestCaps checks the row and byte caps and their notes.
func TestCaps(t *testing.T) {
	t.Parallel()
	path := newDB(t, "delete")
	runReq := func(t *testing.T, req app.ConsoleRequest) *app.ConsoleResult {
		t.Helper()
		res, err := testRunner().Run(context.Background(), path, req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	t.Run("default row cap", func(t *testing.T) {
		t.Parallel()
		res := runReq(t, app.ConsoleRequest{SQL: "SELECT value FROM generate_series(1, 600)"})
		if len(res.Rows) != DefaultMaxRows || !res.Truncated || res.Note != "Showing the first 500 rows." {
			t.Fatalf("%d rows, truncated=%v, note=%q", len(res.Rows), res.Truncated, res.Note)
		}
		if res.Rows[499][0].Text != "500" {
			t.Fatalf("last row %v", res.Rows[499])
		}
	})
	t.Run("exactly the cap", func(t *testing.T) {
		t.Parallel()
		res := runReq(t, app.ConsoleRequest{SQL: "SELECT value FROM generate_series(1, 10)", MaxRows: 10})
		if len(res.Rows) != 10 || res.Truncated || res.Note != "" {
			t.Fatalf("%d rows, truncated=%v, note=%q", len(res.Rows), res.Truncated, res.Note)
		}
	})
	t.Run("row cap of a direct result", func(t *testing.T) {
		t.Parallel()
		res := runReq(t, app.ConsoleRequest{SQL: "PRAGMA function_list", MaxRows: 7})
		if len(res.Rows) != 7 || !res.Truncated || res.Note != "Showing the first 7 rows." {
			t.Fatalf("%d rows, truncated=%v, note=%q", len(res.Rows), res.Truncated, res.Note)
		}
	})
	t.Run("byte cap", func(t *testing.T) {
		t.Parallel()
		res := runReq(t, app.ConsoleRequest{
			SQL:      "SELECT printf('%.98c', 'x') FROM generate_series(1, 50)",
			MaxBytes: 1000,
		})
		if len(res.Rows) != 10 || !res.Truncated {
			t.Fatalf("%d rows, truncated=%v", len(res.Rows), res.Truncated)
		}
		if want := "Showing the first 10 rows: results are limited to 1000 bytes."; res.Note != want {
			t.Fatalf("note = %q, want %q", res.Note, want)
		}
	})
	t.Run("default byte cap", func(t *testing.T) {
		t.Parallel()
		res := runReq(t, app.ConsoleRequest{SQL: "SELECT randomblob(100000) FROM generate_series(1, 20)"})
		// 200,000 hex digits a row: 5 rows fit in 1 MiB.
		if len(res.Rows) != 5 || !res.Truncated || !strings.Contains(res.Note, "limited to 1 MiB") {
			t.Fatalf("%d rows, truncated=%v, note=%q", len(res.Rows), res.Truncated, res.Note)
		}
	})
	t.Run("one huge value", func(t *testing.T) {
		t.Parallel()
		res := runReq(t, app.ConsoleRequest{SQL: "SELECT 'é' || printf('%.3000c', 'y'), zeroblob(5000)", MaxBytes: 1001})
		if len(res.Rows) != 1 || !res.Truncated || !strings.Contains(res.Note, "first row only") {
			t.Fatalf("%d rows, truncated=%v, note=%q", len(res.Rows), res.Truncated, res.Note)
		}
		a, b := res.Rows[0][0].Text, res.Rows[0][1].Text
		if len(a) != 1001 || !strings.HasPrefix(a, "é") || b != "" {
			t.Fatalf("cut values of %d and %d bytes", len(a), len(b))
		}
	})
}

// TestCutText checks that cutting never splits a UTF-8 sequence.
func TestCutText(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"}, {"abc", 2, "ab"}, {"é", 1, ""}, {"aé", 2, "a"}, {"x", -1, ""},
	} {
		if got := cutText(tc.s, tc.n); got != tc.want {
			t.Errorf("cutText(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}
