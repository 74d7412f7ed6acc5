package store

import (
	"reflect"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"only whitespace and semicolons", " ;\n ; ;", nil},
		{"only comments", "-- a\n/* b; c */\n-- d;", nil},
		{"one without semicolon", "SELECT 1", []string{"SELECT 1"}},
		{"two", "CREATE TABLE a(x);\nCREATE TABLE b(y);", []string{"CREATE TABLE a(x)", "CREATE TABLE b(y)"}},
		{"semicolon in single quotes", "INSERT INTO a VALUES ('x;y');SELECT 2", []string{"INSERT INTO a VALUES ('x;y')", "SELECT 2"}},
		{"doubled single quote", "SELECT 'it''s; fine'; SELECT 3", []string{"SELECT 'it''s; fine'", "SELECT 3"}},
		{"double quoted identifier", `CREATE TABLE "a;b" ("x""y;" TEXT); SELECT 4`, []string{`CREATE TABLE "a;b" ("x""y;" TEXT)`, "SELECT 4"}},
		{"backtick and brackets", "SELECT `a;b`, [c;d] FROM t; SELECT 5", []string{"SELECT `a;b`, [c;d] FROM t", "SELECT 5"}},
		{"line comment with semicolon", "SELECT 1 -- no; split\n; SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"block comment with semicolon", "SELECT /* ; */ 1; SELECT 2", []string{"SELECT   1", "SELECT 2"}},
		{"comment markers inside string", "SELECT '--;/*'; SELECT 2", []string{"SELECT '--;/*'", "SELECT 2"}},
		{"unterminated block comment", "SELECT 1; /* open", []string{"SELECT 1"}},
		{"line comment at end without newline", "SELECT 1; -- bye", []string{"SELECT 1"}},
		{"unicode", "INSERT INTO a VALUES ('héllo 😀;'); SELECT 'ü'", []string{"INSERT INTO a VALUES ('héllo 😀;')", "SELECT 'ü'"}},
		{
			"trigger body",
			"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; DELETE FROM c; END; SELECT 1",
			[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; DELETE FROM c; END", "SELECT 1"},
		},
		{
			"temp trigger with case inside",
			"create temp trigger if not exists t after update on a begin update b set s = case when new.x then 'end;' else 0 end; end;\nSELECT 2;",
			[]string{"create temp trigger if not exists t after update on a begin update b set s = case when new.x then 'end;' else 0 end; end", "SELECT 2"},
		},
		{
			"trigger with when clause and lower case",
			"CREATE TEMPORARY TRIGGER x BEFORE DELETE ON a WHEN old.id > 0 BEGIN SELECT RAISE(ABORT, 'no;'); END",
			[]string{"CREATE TEMPORARY TRIGGER x BEFORE DELETE ON a WHEN old.id > 0 BEGIN SELECT RAISE(ABORT, 'no;'); END"},
		},
		{"begin transaction is not a trigger", "BEGIN; CREATE TABLE a(x); END;", []string{"BEGIN", "CREATE TABLE a(x)", "END"}},
		{"table named trigger_log", "CREATE TABLE trigger_log(x); SELECT 1", []string{"CREATE TABLE trigger_log(x)", "SELECT 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitStatements(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitStatements(%q)\n got  %q\n want %q", tt.in, got, tt.want)
			}
		})
	}
}
