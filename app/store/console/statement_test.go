package console

import (
	"slices"
	"testing"
)

// TestSplitStatements checks where statements end.
func TestSplitStatements(t *testing.T) {
	tests := []struct {
		sql  string
		want []string
	}{
		{"SELECT 1", []string{"SELECT 1"}},
		{"  SELECT 1 ;  ", []string{"SELECT 1"}},
		{"-- lead\nSELECT 1; -- trail", []string{"SELECT 1"}},
		{"/* a; b */ SELECT 1 /* ; */", []string{"SELECT 1"}},
		{"SELECT 1 /* unterminated ; SELECT 2", []string{"SELECT 1"}},
		{";;SELECT 1;;", []string{"SELECT 1"}},
		{"SELECT 'a;b', \"c;d\", `e;f`, [g;h]", []string{"SELECT 'a;b', \"c;d\", `e;f`, [g;h]"}},
		{"SELECT 'it''s; ok'", []string{"SELECT 'it''s; ok'"}},
		{"SELECT 1; SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"SELECT 1 -- c\n; SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"SELECT 'unterminated; SELECT 2", []string{"SELECT 'unterminated; SELECT 2"}},
		{"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1; DELETE FROM c; END; SELECT 1",
			[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1; DELETE FROM c; END", "SELECT 1"}},
		{"create temp trigger t after insert on a begin select case when 1 then 2 end; select 3; end",
			[]string{"create temp trigger t after insert on a begin select case when 1 then 2 end; select 3; end"}},
		{"EXPLAIN CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END",
			[]string{"EXPLAIN CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END"}},
		{"SELECT begin FROM t; SELECT 2", []string{"SELECT begin FROM t", "SELECT 2"}},
		{"", nil},
		{" -- only a comment", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, s := range splitStatements(tc.sql) {
			got = append(got, s.text)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("splitStatements(%q) = %q, want %q", tc.sql, got, tc.want)
		}
	}
}

// TestStatementWords checks the keyword helpers.
func TestStatementWords(t *testing.T) {
	s, err := parseStatement("/* x */ explain query plan select 1")
	if err != nil {
		t.Fatal(err)
	}
	inner, ok := s.explained()
	if !ok || inner.text != "select 1" || !inner.isQuery() || s.isQuery() {
		t.Fatalf("explained = %q, %v", inner.text, ok)
	}
	s, _ = parseStatement("WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a")
	if !s.isQuery() { // tried as a query; the wrapping then fails to compile
		t.Fatal("WITH is not tried as a query")
	}
	if got := moduleOf(`CREATE VIRTUAL TABLE "x" USING "FTS5"(a, b)`); got != "fts5" {
		t.Fatalf("moduleOf = %q", got)
	}
}

// TestCheckPragma unit-tests the pragma screen.
func TestCheckPragma(t *testing.T) {
	tests := []struct {
		sql          string
		read, wrmode bool // allowed in read-only mode, in write mode
	}{
		{"PRAGMA table_info(todos)", true, true},
		{"PRAGMA main.table_info('todos')", true, true},
		{"PRAGMA temp.table_list", true, true},
		{"PRAGMA index_list = todos", true, true},
		{"PRAGMA integrity_check(10)", true, true},
		{"PRAGMA user_version", true, true},
		{"PRAGMA user_version = 3", false, false},
		{"PRAGMA USER_VERSION(3)", false, false},
		{"PRAGMA application_id = 3", false, true},
		{"PRAGMA page_size", true, true},
		{"PRAGMA page_size = 512", false, false},
		{"PRAGMA foreign_keys", true, true},
		{"PRAGMA foreign_keys = 0", false, false},
		{"PRAGMA journal_mode", false, false},
		{"PRAGMA wal_checkpoint", false, false},
		{"PRAGMA aux.table_info(x)", false, false},
		{"PRAGMA", false, false},
		{"PRAGMA 'writable_schema' = 1", false, false},
		{"PRAGMA [writable_schema] = 1", false, false},
		{"SELECT 1", true, true},
	}
	for _, tc := range tests {
		s, err := parseStatement(tc.sql)
		if err != nil {
			t.Fatal(err)
		}
		if got := checkPragma(s, false) == nil; got != tc.read {
			t.Errorf("%s read-only: allowed=%v, want %v", tc.sql, got, tc.read)
		}
		if got := checkPragma(s, true) == nil; got != tc.wrmode {
			t.Errorf("%s write: allowed=%v, want %v", tc.sql, got, tc.wrmode)
		}
	}
}

// TestEscapePath checks the file: URI of unusual paths.
func TestEscapePath(t *testing.T) {
	if got := dsn("/data/a b/t?x#y%.db", false); got != "file:/data/a%20b/t%3Fx%23y%25.db?mode=ro" {
		t.Fatalf("dsn = %q", got)
	}
	if got := dsn("/data/t-1_x.db", true); got != "file:/data/t-1_x.db?mode=rw" {
		t.Fatalf("dsn = %q", got)
	}
}
